//! The public register of requests: rows with initials and masked summaries.

use lentera_domain::request::RequestState;
use lentera_domain::{Channel, Outcome, RequestStatus};
use lentera_store::requests;
use time::Date;

use crate::{App, AppError, BodyEntry};

/// A row of the public register (§11.3): initials only, personal data masked in the summary.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RegisterEntry {
    pub number: String,
    pub received_on: Date,
    pub applicant_kind: &'static str,
    /// Initials for persons, the name for legal entities.
    pub applicant: String,
    pub summary: String,
    pub channel: &'static str,
    pub status: &'static str,
    pub status_label: &'static str,
    pub outcome: Option<&'static str>,
    pub outcome_label: Option<&'static str>,
    pub grounds: Vec<&'static str>,
    pub decided_on: Option<Date>,
    pub service_working_days: Option<u32>,
    pub extended: bool,
}

/// How much of a request's summary the public register shows, in characters.
pub const PUBLIC_SUMMARY_CHARS: usize = 160;

/// A request summary as the public register shows it: what the personal-data scanner finds is
/// masked in the whole text first, then the text is cut, so no number is half-shown (§11.3).
pub fn public_summary(information: &str) -> String {
    lentera_domain::privacy::masked_excerpt(information, PUBLIC_SUMMARY_CHARS)
}

impl App {
    /// The public register of a body's requests, newest first.
    /// One page of the request register read from the store (see [`App::request_register`]).
    pub(crate) async fn read_request_register(
        &self,
        body: &BodyEntry,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<RegisterEntry>, AppError> {
        let rows = requests::public_register(&self.db, body.row.id, limit, offset).await?;
        let entries = rows
            .into_iter()
            .map(|r| {
                let state: Option<RequestState> = serde_json::from_str(&r.state).ok();
                let kind = lentera_domain::ApplicantKind::parse(&r.applicant_kind)
                    .unwrap_or(lentera_domain::ApplicantKind::Individual);
                let outcome = r
                    .outcome
                    .as_deref()
                    .and_then(lentera_domain::Outcome::parse);
                let status = RequestStatus::parse(&r.status).unwrap_or(RequestStatus::Received);
                RegisterEntry {
                    number: r.number,
                    received_on: r.received_on,
                    applicant_kind: kind.label_id(),
                    applicant: if kind == lentera_domain::ApplicantKind::LegalEntity {
                        r.applicant_name
                    } else {
                        lentera_domain::submission::initials(&r.applicant_name)
                    },
                    summary: public_summary(&r.information),
                    channel: Channel::parse(&r.channel).map_or("web", Channel::label_id),
                    status: status.as_str(),
                    status_label: status.label_id(),
                    outcome: outcome.map(Outcome::as_str),
                    outcome_label: outcome.map(Outcome::label_id),
                    grounds: state
                        .as_ref()
                        .and_then(|s| s.decision.as_ref())
                        .map(|d| d.grounds.iter().map(|g| g.as_str()).collect())
                        .unwrap_or_default(),
                    decided_on: r.decided_on,
                    service_working_days: state
                        .as_ref()
                        .and_then(|s| s.service_working_days(&body.calendar))
                        .and_then(Result::ok),
                    extended: r.extended,
                }
            })
            .collect();
        Ok(entries)
    }
}
#[cfg(test)]
mod tests {
    #[test]
    fn personal_data_is_masked_in_public_summaries() {
        let t = super::public_summary(
            "Data NIK 3302015708900007 dan surel siti@contoh.id, telp 0812-3456-7890 tahun 2025",
        );
        assert!(
            !t.contains("3302015708900007") && !t.contains("siti@") && !t.contains("3456"),
            "{t}"
        );
        assert!(t.contains("tahun 2025"));
        let t = super::public_summary("NIK 3302 0157 0890 0123 telp 0812 3456 7890");
        assert_eq!(t, "NIK [nomor disamarkan] telp [nomor disamarkan]");
    }
}
