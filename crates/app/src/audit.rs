//! The audit log as the admin reads it: a filtered page of links, and the check of the chain.
//! Each use case writes its own entries (`lentera_store::audit::record`), right after the change
//! it records.

pub use lentera_store::audit::{BrokenLink, Filter, Link};

use crate::{App, AppError};

impl App {
    /// One page of the log, newest first, as the filter asks.
    pub async fn audit_page(&self, filter: &Filter) -> Result<Vec<Link>, AppError> {
        Ok(lentera_store::audit::list(&self.db, filter).await?)
    }

    /// Walks the whole chain: how many links hold and the first broken one, if any.
    pub async fn audit_verify(
        &self,
        progress: &(dyn Fn(u64) + Send + Sync),
    ) -> Result<(u64, Option<BrokenLink>), AppError> {
        Ok(lentera_store::audit::verify(&self.db, progress).await?)
    }
}
