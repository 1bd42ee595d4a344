//! A letter's text from the record: the case as it stood at the event that called for the
//! letter (later events never change a letter), the body's letterhead and signatory, and the
//! verification address.

use lentera_domain::dates::long_id;
use lentera_domain::letters::LetterKind;
use lentera_domain::numbering::LetterPattern;
use lentera_domain::objection::{ObjectionEvent, ObjectionState};
use lentera_domain::request::{NOTICE_WORKING_DAYS, RequestEvent, RequestState};
use lentera_render::letter::{Letter, LetterItem, Letterhead, Signatory};
use lentera_store::letters::{LetterJobRow, LetterheadRow};
use lentera_store::{objections, requests};

use crate::{App, AppError, BodyEntry};

/// What a letter is about, read at its event.
pub(super) struct Subject {
    pub body: std::sync::Arc<BodyEntry>,
    pub letter: Letter,
    pub kind: LetterKind,
    /// The body's letter-number pattern (the standard one unless the admin set another).
    pub pattern: LetterPattern,
}

/// `Kendal` from `Jl. Soekarno-Hatta No. 1, Kendal`: the place a letter is dated at.
fn place_of(address: &str) -> Option<&str> {
    address
        .rsplit(',')
        .map(str::trim)
        .find(|p| !p.is_empty() && !p.chars().all(|c| c.is_ascii_digit() || c == ' '))
}

pub(super) fn letterhead(body: &BodyEntry, row: Option<&LetterheadRow>) -> Letterhead {
    match row {
        Some(h) => Letterhead {
            authority: h.authority.clone(),
            name: h.name.clone(),
            address: h.address.clone(),
            contacts: h.contacts.clone(),
        },
        None => Letterhead {
            authority: String::new(),
            name: body.row.name.to_uppercase(),
            address: body.row.address.clone(),
            contacts: [body.row.phone.as_str(), body.row.email.as_str()]
                .into_iter()
                .filter(|s| !s.trim().is_empty())
                .collect::<Vec<_>>()
                .join(" · "),
        },
    }
}

fn signatory(body: &BodyEntry, row: Option<&LetterheadRow>, kind: LetterKind) -> Signatory {
    let superior = kind == LetterKind::ObjectionAnswer;
    match row {
        Some(h) if !superior => Signatory {
            position: h.signatory_position.clone(),
            name: h.signatory_name.clone(),
            nip: h.signatory_nip.clone(),
        },
        _ => Signatory {
            position: if superior {
                format!("Atasan PPID {}", body.row.name)
            } else {
                format!("PPID {}", body.row.name)
            },
            name: String::new(),
            nip: String::new(),
        },
    }
}

fn fact(label: &str, value: impl Into<String>) -> (String, String) {
    (label.to_owned(), value.into())
}

impl App {
    /// The letter for `job` (number and verification address filled in by the caller).
    pub(super) async fn compose(&self, job: &LetterJobRow) -> Result<Subject, AppError> {
        let kind = LetterKind::parse(&job.kind)
            .ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("unknown letter {}", job.kind)))?;
        let body = self.body(job.body_id).await?;
        let head_row = lentera_store::letters::letterhead(&self.db, body.row.id).await?;
        let mut letter = match job.case_kind.as_str() {
            "request" => self.request_letter(job, kind, &body).await?,
            _ => self.objection_letter(job, kind, &body).await?,
        };
        letter.letterhead = letterhead(&body, head_row.as_ref());
        letter.signatory = signatory(&body, head_row.as_ref(), kind);
        letter.title = kind.title_id().to_owned();
        letter.place_date = match place_of(&letter.letterhead.address) {
            Some(p) => format!("{p}, {}", long_id(job.issued_on)),
            None => long_id(job.issued_on),
        };
        letter.verify_note = "Keaslian surat ini dapat diperiksa dengan memindai kode QR atau membuka alamat berikut:".into();
        letter.closing = "Demikian disampaikan untuk menjadi perhatian.".into();
        let pattern = head_row
            .as_ref()
            .and_then(|h| LetterPattern::parse(&h.number_pattern).ok())
            .unwrap_or_else(LetterPattern::standard);
        letter.logo = head_row.and_then(|h| h.logo);
        Ok(Subject {
            body,
            letter,
            kind,
            pattern,
        })
    }

    async fn request_letter(
        &self,
        job: &LetterJobRow,
        kind: LetterKind,
        body: &BodyEntry,
    ) -> Result<Letter, AppError> {
        let row = requests::get_by_id(&self.db, job.case_id).await?;
        let rows = requests::events(&self.db, row.id).await?;
        let upto = usize::try_from(job.event_seq)
            .unwrap_or(usize::MAX)
            .min(rows.len());
        let (state, events) = self.fold(&rows[..upto], body)?;
        let applicant = requests::applicant(&self.db, row.applicant_id).await?;
        let mut l = Letter {
            subject: format!("Permohonan informasi publik nomor {}", row.number),
            addressee: vec![
                format!("Yth. {}", applicant.name),
                applicant.address.clone(),
            ],
            ..Letter::default()
        };
        l.facts = vec![
            fact("Nomor pendaftaran", row.number.clone()),
            fact("Tanggal diterima", long_id(row.received_on)),
            fact("Informasi yang diminta", row.information.clone()),
        ];
        let due = |state: &RequestState| -> String {
            match state.deadlines(&body.calendar) {
                Ok(d) if d.provisional => format!(
                    "{} (sementara: dapat bergeser setelah SKB hari libur tahun {} ditetapkan)",
                    long_id(d.effective_due),
                    d.effective_due.year()
                ),
                Ok(d) => long_id(d.effective_due),
                Err(_) => "—".into(),
            }
        };
        match kind {
            LetterKind::Receipt => {
                l.opening = "Dengan ini kami sampaikan bahwa permintaan informasi publik Anda telah kami terima dan dicatat dengan keterangan sebagai berikut:".into();
                l.facts.push(fact("Tujuan penggunaan", row.purpose.clone()));
                l.facts
                    .push(fact("Cara memperoleh informasi", state.obtain.label_id()));
                l.facts
                    .push(fact("Cara mendapatkan salinan", state.delivery.label_id()));
                l.facts
                    .push(fact("Batas waktu pemberitahuan tertulis", due(&state)));
                l.paragraphs = vec![format!(
                    "Sesuai Pasal 22 ayat (7) dan (8) UU 14/2008, kami memberikan pemberitahuan tertulis paling lambat {NOTICE_WORKING_DAYS} hari kerja sejak permintaan diterima, dan dapat memperpanjangnya paling lama 7 hari kerja dengan alasan tertulis. Perkembangan permohonan dapat Anda ikuti di {}/lacak dengan nomor pendaftaran dan kode lacak yang Anda terima.",
                    self.public_url()
                )];
            }
            LetterKind::Incomplete => {
                let note = events.iter().rev().find_map(|e| match e {
                    RequestEvent::MarkedIncomplete { note } => Some(note.clone()),
                    _ => None,
                });
                l.opening = "Setelah kami periksa, permohonan informasi Anda belum lengkap. Mohon dilengkapi hal berikut:".into();
                l.paragraphs = vec![
                    note.unwrap_or_default(),
                    "Jangka waktu pelayanan tetap berjalan; kelengkapan dapat disampaikan langsung, melalui surat, atau melalui laman kami.".into(),
                ];
            }
            LetterKind::Extension => {
                let reason = events.iter().rev().find_map(|e| match e {
                    RequestEvent::Extended { reason, .. } => Some(reason.clone()),
                    _ => None,
                });
                l.opening = "Dengan ini kami beritahukan bahwa jangka waktu pemberitahuan tertulis atas permohonan Anda diperpanjang paling lama 7 hari kerja (Pasal 22 ayat (8) UU 14/2008).".into();
                l.facts
                    .push(fact("Alasan perpanjangan", reason.unwrap_or_default()));
                l.facts.push(fact("Batas waktu baru", due(&state)));
            }
            LetterKind::Notice | LetterKind::Forwarding => {
                let decision = state.decision.clone().ok_or_else(|| {
                    AppError::Unexpected(anyhow::anyhow!("notice letter without a decision"))
                })?;
                if kind == LetterKind::Forwarding {
                    let holder = decision.notice.holder.clone().unwrap_or_default();
                    l.opening = "Dengan ini kami beritahukan bahwa informasi yang Anda minta tidak berada di bawah penguasaan kami.".into();
                    l.facts
                        .push(fact("Badan publik yang menguasai", holder.clone()));
                    l.paragraphs = vec![format!(
                        "Sesuai Pasal 22 ayat (7) huruf b UU 14/2008, permohonan dapat Anda ajukan kepada {holder}. Nomor pendaftaran di atas dapat Anda sebutkan sebagai rujukan."
                    )];
                } else {
                    l.opening = "Berdasarkan permintaan informasi publik Anda, dengan ini kami sampaikan pemberitahuan tertulis sebagaimana dimaksud Pasal 22 ayat (7) UU 14/2008:".into();
                    l.facts
                        .push(fact("Tanggal keputusan", long_id(decision.decided_on)));
                    l.items = self
                        .notice_of(body, &decision)
                        .await
                        .into_iter()
                        .map(|i| LetterItem {
                            label: format!("{}.", i.letter),
                            heading: i.heading.id,
                            lines: i.lines.into_iter().map(|s| s.id).collect(),
                        })
                        .collect();
                    if !decision.outcome.grants() || !decision.grounds.is_empty() {
                        l.paragraphs = vec!["Apabila Anda tidak puas dengan keputusan ini, Anda dapat mengajukan keberatan secara tertulis kepada atasan PPID paling lambat 30 hari kerja sejak pemberitahuan ini diterima (Pasal 35 dan 36 UU 14/2008).".into()];
                    }
                }
            }
            LetterKind::ObjectionReceipt | LetterKind::ObjectionAnswer => {
                return Err(AppError::Unexpected(anyhow::anyhow!(
                    "objection letter on a request"
                )));
            }
        }
        Ok(l)
    }

    async fn objection_letter(
        &self,
        job: &LetterJobRow,
        kind: LetterKind,
        body: &BodyEntry,
    ) -> Result<Letter, AppError> {
        let row = objections::get_by_id(&self.db, job.case_id).await?;
        let rows = objections::events(&self.db, row.id).await?;
        let upto = usize::try_from(job.event_seq)
            .unwrap_or(usize::MAX)
            .min(rows.len());
        let events = rows[..upto]
            .iter()
            .map(|r| serde_json::from_str::<ObjectionEvent>(&r.data))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| AppError::Unexpected(e.into()))?;
        let state = ObjectionState::from_events(events.iter())
            .map_err(|e| AppError::Unexpected(anyhow::anyhow!("{e}")))?;
        let request = requests::get_by_id(&self.db, row.request_id).await?;
        let applicant = requests::applicant(&self.db, request.applicant_id).await?;
        let grounds = state
            .grounds
            .iter()
            .map(|g| format!("{}. {}", g.as_str(), g.label_id()))
            .collect::<Vec<_>>();
        let mut l = Letter {
            subject: format!("Keberatan nomor {}", row.number),
            addressee: vec![
                format!("Yth. {}", applicant.name),
                applicant.address.clone(),
            ],
            facts: vec![
                fact("Nomor keberatan", row.number.clone()),
                fact("Nomor pendaftaran permohonan", request.number.clone()),
                fact("Tanggal diterima", long_id(state.received_on)),
                fact("Alasan keberatan", grounds.join("; ")),
            ],
            ..Letter::default()
        };
        match kind {
            LetterKind::ObjectionReceipt => {
                let due = state
                    .answer_due(&body.calendar)
                    .map(long_id)
                    .unwrap_or_else(|_| "—".into());
                l.opening = "Dengan ini kami sampaikan bahwa keberatan Anda atas permohonan informasi publik telah kami terima dengan keterangan sebagai berikut:".into();
                l.facts.push(fact("Kasus posisi", state.reason.clone()));
                l.facts.push(fact("Batas waktu tanggapan atasan PPID", due));
                l.paragraphs = vec!["Atasan PPID wajib memberikan tanggapan tertulis paling lambat 30 hari kerja sejak keberatan diterima (Pasal 36 ayat (1) UU 14/2008).".into()];
            }
            _ => {
                l.opening = "Menindaklanjuti keberatan Anda, dengan ini atasan PPID menyampaikan tanggapan tertulis sebagai berikut:".into();
                if let (Some(o), Some(d)) = (state.outcome, state.decided_on) {
                    l.facts.push(fact("Tanggapan", o.label_id()));
                    l.facts.push(fact("Tanggal tanggapan", long_id(d)));
                }
                l.paragraphs = vec![
                    state.answer.clone().unwrap_or_default(),
                    "Apabila Anda tidak puas dengan tanggapan ini, Anda dapat mengajukan penyelesaian sengketa informasi publik kepada Komisi Informasi paling lambat 14 hari kerja setelah tanggapan diterima (Pasal 37 UU 14/2008).".into(),
                ];
            }
        }
        Ok(l)
    }
}

#[cfg(test)]
mod tests {
    use super::place_of;

    #[test]
    fn letters_are_dated_at_the_town_of_the_address() {
        assert_eq!(place_of("Jl. Soekarno-Hatta No. 1, Kendal"), Some("Kendal"));
        assert_eq!(place_of("Jl. A 1, Kendal, 51311"), Some("Kendal"));
        assert_eq!(place_of(""), None);
    }
}
