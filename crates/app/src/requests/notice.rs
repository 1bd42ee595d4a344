//! The written notice of a decision as it is read: items a–g from the domain, with the
//! consequence test the refusal rests on named by its number and date. The tracking page, the
//! case page, the officer's confirmation and the letter all take it from here.

use lentera_domain::notice::{NoticeItem, notice_items};
use lentera_domain::request::Decision;
use lentera_store::register as store;

use super::DecisionInput;
use crate::auth::OfficerCtx;
use crate::{App, AppError, BodyEntry};

impl App {
    /// Items a–g of `decision` made by `body`.
    pub(crate) async fn notice_of(&self, body: &BodyEntry, decision: &Decision) -> Vec<NoticeItem> {
        let reference = match decision.consequence_test.as_deref() {
            Some(cited) => self.test_reference(body, cited).await,
            None => None,
        };
        notice_items(decision, reference.as_deref())
    }

    /// `UK-0007/2026 tanggal 2 Februari 2026`, or `None` when the test cannot be read (the
    /// notice then leaves the reference out rather than failing the page).
    async fn test_reference(&self, body: &BodyEntry, cited: &str) -> Option<String> {
        let id = uuid::Uuid::parse_str(cited.trim()).ok()?;
        let row = match store::get_test(&self.db, id).await {
            Ok(r) if r.body_id == body.row.id => r,
            Ok(_) => return None,
            Err(e) => {
                tracing::warn!(error = %e, "consequence test unreadable for a notice");
                return None;
            }
        };
        let number = row.number.filter(|n| !n.trim().is_empty())?;
        Some(match row.decided_on {
            Some(d) => format!("{number} tanggal {}", lentera_domain::dates::long_id(d)),
            None => number,
        })
    }

    /// The notice an officer's decision would give, shown before it is made; the same checks as
    /// deciding (permission, fields, the cited test), nothing written.
    pub async fn notice_preview(
        &self,
        officer: &OfficerCtx,
        number: &str,
        input: &DecisionInput,
    ) -> Result<Vec<NoticeItem>, AppError> {
        let loaded = self.load(number.trim()).await?;
        let (_, body, state, _) = loaded;
        if !officer.policy().may(
            lentera_domain::access::Action::Decide,
            &body.row.slug,
            state.unit.as_deref(),
        ) {
            return Err(AppError::Forbidden);
        }
        let today = self.today_in(body.time_zone());
        let mut decision = self.decision(input, &state, today)?;
        self.cite_consequence_test(&mut decision, &body).await?;
        Ok(self.notice_of(&body, &decision).await)
    }
}
