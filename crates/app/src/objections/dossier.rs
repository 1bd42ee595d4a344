//! The dispute dossier: one PDF with the whole chain from request to ruling.

use time::OffsetDateTime;

use crate::auth::OfficerCtx;
use crate::{App, AppError};

impl App {
    /// One PDF with the whole chain from request to ruling, for the hearing: the request, its
    /// events and written notice, the objection and its answer, the dispute steps and deadlines.
    pub async fn dossier(&self, officer: &OfficerCtx, number: &str) -> Result<Vec<u8>, AppError> {
        use lentera_domain::labels::{dated, event_label};
        use lentera_render::{Block, Document};
        let o = self.objection_for_officer(officer, number).await?;
        let request = self.case_detail(officer, &o.request).await?;
        let body = self
            .body_by_slug(&o.body)
            .await?
            .ok_or(AppError::NotFound("body.not_found"))?;
        let tz = body.time_zone();
        let at = |t: &OffsetDateTime| {
            let l = t.to_offset(tz.offset());
            format!("{} {:02}.{:02}", l.date(), l.hour(), l.minute())
        };
        let mut d = Document::new(format!("Berkas sengketa informasi {}", o.number));
        d.set_author(body.row.name.clone());
        d.push(Block::Title(format!(
            "Berkas Sengketa Informasi Publik — {}",
            body.row.name
        )));
        d.push(Block::Paragraph(
            "Kronologi lengkap permohonan informasi, keberatan, dan sengketa, disusun dari catatan peristiwa Lentera (tidak diketik ulang).".into(),
        ));
        d.push(Block::Heading("I. Permohonan informasi".into()));
        let r = &request.request;
        d.push(Block::KeyValue(vec![
            ("Nomor pendaftaran".into(), r.number.clone()),
            ("Tanggal diterima".into(), r.received_on.to_string()),
            ("Batas waktu".into(), dated(r.due_on, r.due_provisional)),
            (
                "Diperpanjang".into(),
                if r.extended { "Ya" } else { "Tidak" }.into(),
            ),
            ("Informasi yang diminta".into(), request.information.clone()),
            ("Tujuan".into(), request.purpose.clone()),
            ("Status".into(), r.status_label.into()),
        ]));
        d.push(Block::Table {
            header: vec!["Waktu".into(), "Peristiwa".into()],
            rows: r
                .events
                .iter()
                .map(|e| {
                    let mut what = e.label.to_owned();
                    if let (Some(from), Some(to)) = (e.from, e.to) {
                        what = format!("{what}: {from} → {to}");
                    }
                    vec![at(&e.at), what]
                })
                .collect(),
        });
        if let Some(dec) = &r.decision {
            d.push(Block::Heading(
                "Pemberitahuan tertulis (Pasal 22 ayat 7)".into(),
            ));
            d.push(Block::KeyValue(vec![
                (
                    "Keputusan".into(),
                    lentera_domain::Outcome::parse(dec.outcome)
                        .map_or(dec.outcome, |x| x.label_id())
                        .into(),
                ),
                ("Tanggal".into(), dec.decided_on.to_string()),
                (
                    "Dasar pengecualian".into(),
                    if dec.grounds.is_empty() {
                        "—".into()
                    } else {
                        dec.grounds.join(", ")
                    },
                ),
                ("Alasan".into(), dec.notice.reasons.clone()),
            ]));
        }
        d.push(Block::Heading("II. Keberatan".into()));
        d.push(Block::KeyValue(vec![
            ("Nomor registrasi keberatan".into(), o.number.clone()),
            ("Tanggal diterima".into(), o.received_on.to_string()),
            ("Alasan (Pasal 35 ayat 1)".into(), o.grounds.join(", ")),
            ("Kasus posisi".into(), o.reason.clone()),
            (
                "Batas tanggapan atasan PPID".into(),
                dated(o.due_on, o.due_provisional),
            ),
            (
                "Diajukan lewat waktu".into(),
                if o.late { "Ya" } else { "Tidak" }.into(),
            ),
            ("Status".into(), o.status_label.into()),
        ]));
        if let Some(dec) = &o.decision {
            d.push(Block::KeyValue(vec![
                ("Tanggapan atasan PPID".into(), dec.outcome_label.into()),
                ("Tanggal tanggapan".into(), dec.decided_on.to_string()),
                ("Isi tanggapan".into(), dec.answer.clone()),
            ]));
        }
        d.push(Block::Table {
            header: vec![
                "Waktu".into(),
                "Tanggal hukum".into(),
                "Peristiwa".into(),
                "Keterangan".into(),
            ],
            rows: o
                .events
                .iter()
                .map(|e| {
                    vec![
                        at(&e.at),
                        e.on.map(|x| x.to_string()).unwrap_or_default(),
                        event_label(e.kind).0.into(),
                        e.detail.clone(),
                    ]
                })
                .collect(),
        });
        if let Some(s) = &o.dispute {
            d.push(Block::Heading("III. Sengketa informasi".into()));
            let mut kv = vec![
                ("Komisi Informasi".into(), s.commission.clone()),
                (
                    "Nomor registrasi".into(),
                    s.ki_number.clone().unwrap_or_else(|| "—".into()),
                ),
                ("Tanggal permohonan ke KI".into(), s.filed_on.to_string()),
                ("Status".into(), s.status_label.into()),
            ];
            if let Some(dl) = &s.deadlines {
                kv.push((
                    "KI wajib mulai paling lambat (14 HK)".into(),
                    dated(dl.ki_start_by, dl.ki_start_provisional),
                ));
                kv.push((
                    "KI wajib selesai paling lambat (100 HK)".into(),
                    dated(dl.ki_finish_by, dl.ki_finish_provisional),
                ));
                if dl.appeal_by.is_some() {
                    kv.push((
                        "Batas keberatan ke pengadilan (14 HK)".into(),
                        dated(dl.appeal_by, dl.appeal_provisional),
                    ));
                }
                if let Some(k) = dl.cassation_by {
                    kv.push(("Batas kasasi (14 hari)".into(), k.to_string()));
                }
            }
            d.push(Block::KeyValue(kv));
            d.push(Block::Table {
                header: vec!["Tanggal".into(), "Tahap".into(), "Keterangan".into()],
                rows: s
                    .events
                    .iter()
                    .map(|e| {
                        vec![
                            e.on.map(|x| x.to_string()).unwrap_or_default(),
                            event_label(e.kind).0.into(),
                            e.detail.clone(),
                        ]
                    })
                    .collect(),
            });
        }
        Ok(d.to_pdf())
    }
}
