//! The register of public information (DIP), consequence tests (DIK), documents and published
//! answers: the use cases behind the public register pages and the back office.

use lentera_domain::access::RegisterAction;
use lentera_store::register::DocumentRow;
pub use lentera_store::register::EventRow as RegisterEvent;
use lentera_store::requests::NewEvent;
use serde::Serialize;
use uuid::Uuid;

use crate::auth::OfficerCtx;
use crate::{App, AppError, BodyEntry};

mod consequence_tests;
mod documents;
mod entries;
mod personal_data;
mod publications;
mod views;

pub(crate) use personal_data::entry_passes;
pub use personal_data::{DocumentCheck, document_check, unreadable_key};
pub use views::{
    CheckedBy, DocOwner, DocumentView, EntryView, FindingKind, PersonalFinding, PublicationView,
    PublishDraft, PublishInput, RegisterView, TestAction, TestView, document_url,
};

const NOT_FOUND: AppError = AppError::NotFound("register.not_found");

/// Documents grouped by owner, from one query for a whole list.
type DocumentsByOwner = std::collections::HashMap<Uuid, Vec<DocumentRow>>;

fn group_by_owner(rows: Vec<DocumentRow>) -> DocumentsByOwner {
    let mut map = DocumentsByOwner::new();
    for d in rows {
        map.entry(d.owner_id).or_default().push(d);
    }
    map
}

fn field_error(field: &str, code: &'static str) -> AppError {
    AppError::field(field, code)
}

fn json<T: Serialize>(v: &T) -> Result<String, AppError> {
    serde_json::to_string(v).map_err(|e| AppError::Unexpected(e.into()))
}

fn corrupt(e: impl std::fmt::Display) -> AppError {
    AppError::Unexpected(anyhow::anyhow!("stored register state unreadable: {e}"))
}

impl App {
    /// The stored events of one register aggregate (entry, test, publication), oldest first.
    pub async fn register_history(&self, id: Uuid) -> Result<Vec<RegisterEvent>, AppError> {
        Ok(lentera_store::register::events(&self.db, id).await?)
    }

    fn register_event(&self, kind: &str, data: String, officer: &OfficerCtx) -> NewEvent {
        NewEvent {
            id: Uuid::now_v7(),
            at: self.now(),
            actor_kind: "officer".into(),
            actor_id: Some(officer.user.id),
            kind: kind.into(),
            data,
            letters: Vec::new(),
            mails: Vec::new(),
        }
    }

    fn require(
        &self,
        officer: &OfficerCtx,
        action: RegisterAction,
        body: &BodyEntry,
        unit: Option<&str>,
    ) -> Result<(), AppError> {
        if officer.policy().may_register(action, &body.row.slug, unit) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}
