//! Chapter IV of the report: objections and disputes, with the dispute figures folded from their
//! logs.

use std::collections::BTreeMap;

use lentera_domain::dispute::{Court, DisputeEvent, DisputeState, DisputeStatus, Ruling};
use lentera_domain::objection::Ground;
use lentera_render::report::{Block, Cell, Chapter, Fact, group_thousands};
use lentera_store::report_texts as store;
use serde::Serialize;
use time::Date;

use super::DocInput;
use super::blocks::{count_table, oldest_table, pct, section};
use crate::{App, AppError, BodyEntry};

/// Disputes at the Komisi Informasi and in court (chapter IV, 4.3–4.6): those filed in the
/// period, each folded as of the period's last day.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct DisputeFigures {
    pub filed: u64,
    pub by_status: BTreeMap<&'static str, u64>,
    pub ruled: u64,
    pub by_ruling: BTreeMap<&'static str, u64>,
    /// KI decisions carried out without going to court.
    pub ruling_complied: u64,
    pub to_court: u64,
    pub by_court: BTreeMap<&'static str, u64>,
    pub court_decided: u64,
    pub cassation_filed: u64,
    pub cassation_decided: u64,
    pub final_decisions: u64,
    /// Court decisions carried out.
    pub court_complied: u64,
}

impl DisputeFigures {
    /// Counts the disputes whose logs are given, as of `to`.
    pub fn of(logs: &[Vec<DisputeEvent>], to: Date) -> Self {
        let mut f = Self::default();
        for log in logs {
            let upto: Vec<&DisputeEvent> = log.iter().filter(|e| e.date() <= to).collect();
            let Ok(s) = DisputeState::from_events(upto.iter().copied()) else {
                continue;
            };
            f.filed += 1;
            *f.by_status.entry(s.status.as_str()).or_default() += 1;
            if let Some(r) = s.ruling {
                f.ruled += 1;
                *f.by_ruling.entry(r.as_str()).or_default() += 1;
                if s.court.is_none() && s.complied_on.is_some() {
                    f.ruling_complied += 1;
                }
            }
            if let Some(c) = s.court {
                f.to_court += 1;
                *f.by_court.entry(c.as_str()).or_default() += 1;
                if s.complied_on.is_some() {
                    f.court_complied += 1;
                }
            }
            for e in &upto {
                match e {
                    DisputeEvent::CourtDecided { .. } => f.court_decided += 1,
                    DisputeEvent::CassationFiled { .. } => f.cassation_filed += 1,
                    DisputeEvent::CassationDecided { .. } => f.cassation_decided += 1,
                    _ => {}
                }
            }
            if s.final_on.is_some() || s.status == DisputeStatus::Final {
                f.final_decisions += 1;
            }
        }
        f
    }

    pub(super) fn add(&mut self, o: &Self) {
        self.filed += o.filed;
        self.ruled += o.ruled;
        self.ruling_complied += o.ruling_complied;
        self.to_court += o.to_court;
        self.court_decided += o.court_decided;
        self.cassation_filed += o.cassation_filed;
        self.cassation_decided += o.cassation_decided;
        self.final_decisions += o.final_decisions;
        self.court_complied += o.court_complied;
        for (k, v) in &o.by_status {
            *self.by_status.entry(k).or_default() += v;
        }
        for (k, v) in &o.by_ruling {
            *self.by_ruling.entry(k).or_default() += v;
        }
        for (k, v) in &o.by_court {
            *self.by_court.entry(k).or_default() += v;
        }
    }
}

/// Chapter IV: objections, disputes at the Komisi Informasi and in court.
#[allow(clippy::too_many_lines)]
pub(super) fn chapter(input: &DocInput<'_>) -> Chapter {
    let f = &input.report.figures;
    let o = &f.objections;
    let d = input.disputes;
    let grounds = Ground::ALL
        .iter()
        .map(|g| {
            (
                format!("{}. {}", g.as_str().to_uppercase(), g.label_id()),
                o.by_ground.get(g.as_str()).copied().unwrap_or(0),
            )
        })
        .collect();
    let answers = vec![
        ("Dikabulkan".to_owned(), o.upheld),
        ("Dikabulkan sebagian".to_owned(), o.partially_upheld),
        ("Ditolak".to_owned(), o.dismissed),
        ("Selesai melalui musyawarah".to_owned(), o.settled),
        (
            "Tidak ditanggapi dalam batas waktu".to_owned(),
            o.unanswered,
        ),
    ];
    let ki_status = DisputeStatus::ALL
        .iter()
        .map(|s| {
            (
                s.label_id().to_owned(),
                d.by_status.get(s.as_str()).copied().unwrap_or(0),
            )
        })
        .collect();
    let rulings = Ruling::ALL
        .iter()
        .map(|x| {
            (
                x.label_id().to_owned(),
                d.by_ruling.get(x.as_str()).copied().unwrap_or(0),
            )
        })
        .collect();
    let courts = Court::ALL
        .iter()
        .map(|c| {
            (
                c.label_id().to_owned(),
                d.by_court.get(c.as_str()).copied().unwrap_or(0),
            )
        })
        .collect();
    Chapter {
        number: "IV".into(),
        title: "Rincian Penyelesaian Sengketa Informasi Publik".into(),
        sections: vec![
            section(
                "4.1",
                "Jumlah Keberatan yang Diterima",
                vec![Block::Table(count_table(
                    "4.1",
                    "Tabel 4.1 Keberatan menurut alasan (Pasal 35 ayat 1)",
                    "Alasan keberatan",
                    grounds,
                    o.received,
                    Some(format!(
                        "Jumlah keberatan diterima: {}. Satu keberatan dapat memuat lebih dari satu alasan.",
                        group_thousands(o.received)
                    )),
                ))],
            ),
            section(
                "4.2",
                "Tanggapan atas Keberatan dan Pelaksanaannya",
                vec![
                    Block::Table(count_table(
                        "4.2",
                        "Tabel 4.2 Keberatan menurut tanggapan atasan PPID",
                        "Tanggapan",
                        answers,
                        o.received,
                        None,
                    )),
                    Block::Facts {
                        rows: vec![
                            Fact {
                                label: "Keberatan yang ditanggapi".into(),
                                value: Cell::count(o.answered),
                            },
                            Fact {
                                label: "Ditanggapi tepat waktu (30 hari kerja)".into(),
                                value: Cell::count(o.answered_on_time),
                            },
                            Fact {
                                label: "Persentase tanggapan tepat waktu".into(),
                                value: Cell::percent(pct(o.answered_on_time, o.answered)),
                            },
                            Fact {
                                label: "Dilanjutkan ke Komisi Informasi".into(),
                                value: Cell::count(o.disputed),
                            },
                        ],
                    },
                    Block::Table(oldest_table(
                        "4.2b",
                        "Tabel 4.2b Sepuluh keberatan terlama yang belum selesai pada akhir periode",
                        &f.oldest_open_objections
                            .iter()
                            .map(|o| (o.number.clone(), o.since))
                            .collect::<Vec<_>>(),
                        f.to,
                    )),
                ],
            ),
            section(
                "4.3",
                "Jumlah Permohonan Penyelesaian Sengketa ke Komisi Informasi",
                vec![Block::Table(count_table(
                    "4.3",
                    "Tabel 4.3 Sengketa informasi menurut tahap pada akhir periode",
                    "Tahap",
                    ki_status,
                    d.filed,
                    Some("Sengketa yang diajukan ke Komisi Informasi dalam periode ini.".into()),
                ))],
            ),
            section(
                "4.4",
                "Hasil Mediasi dan/atau Putusan Ajudikasi Komisi Informasi dan Pelaksanaannya",
                vec![
                    Block::Table(count_table(
                        "4.4",
                        "Tabel 4.4 Putusan Komisi Informasi menurut hasil",
                        "Hasil",
                        rulings,
                        d.ruled,
                        None,
                    )),
                    Block::Facts {
                        rows: vec![Fact {
                            label: "Putusan Komisi Informasi yang telah dilaksanakan".into(),
                            value: Cell::count(d.ruling_complied),
                        }],
                    },
                ],
            ),
            section(
                "4.5",
                "Jumlah Gugatan ke Pengadilan",
                vec![
                    Block::Table(count_table(
                        "4.5",
                        "Tabel 4.5 Keberatan atas putusan Komisi Informasi menurut pengadilan",
                        "Pengadilan",
                        courts,
                        d.to_court,
                        None,
                    )),
                    Block::Facts {
                        rows: vec![Fact {
                            label: "Kasasi ke Mahkamah Agung".into(),
                            value: Cell::count(d.cassation_filed),
                        }],
                    },
                ],
            ),
            section(
                "4.6",
                "Hasil Putusan Pengadilan dan Pelaksanaannya",
                vec![Block::Facts {
                    rows: vec![
                        Fact {
                            label: "Putusan pengadilan tingkat pertama".into(),
                            value: Cell::count(d.court_decided),
                        },
                        Fact {
                            label: "Putusan kasasi".into(),
                            value: Cell::count(d.cassation_decided),
                        },
                        Fact {
                            label: "Putusan berkekuatan hukum tetap".into(),
                            value: Cell::count(d.final_decisions),
                        },
                        Fact {
                            label: "Putusan pengadilan yang telah dilaksanakan".into(),
                            value: Cell::count(d.court_complied),
                        },
                    ],
                }],
            ),
        ],
    }
}

impl App {
    pub(super) async fn disputes_of(
        &self,
        body: &BodyEntry,
        from: Date,
        to: Date,
    ) -> Result<DisputeFigures, AppError> {
        let mut logs: Vec<Vec<DisputeEvent>> = Vec::new();
        let mut last = None;
        for (id, data) in store::dispute_logs(&self.db, body.row.id, from, to).await? {
            let e: DisputeEvent =
                serde_json::from_str(&data).map_err(|e| AppError::Unexpected(e.into()))?;
            if last != Some(id) {
                logs.push(Vec::new());
                last = Some(id);
            }
            if let Some(l) = logs.last_mut() {
                l.push(e);
            }
        }
        Ok(DisputeFigures::of(&logs, to))
    }
}
