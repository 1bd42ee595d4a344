//! The *Laporan Layanan Informasi Publik* as a document (domain spec §8.2): the figures of
//! [`crate::reports`], the body's own texts ([`crate::report_texts`]) and the disputes at the
//! Komisi Informasi and in court, laid out as a [`Report`] that the web layer draws as HTML and
//! `lentera-render` writes as PDF, CSV and XLSX — one value, so the outputs cannot disagree.
//!
//! The document is in Indonesian (it is a legal document submitted to the Komisi Informasi).
//! It never carries an applicant's identity: open cases are listed by number and date only.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use lentera_domain::dispute::{Court, DisputeEvent, DisputeState, DisputeStatus, Ruling};
use lentera_domain::objection::Ground;
use lentera_domain::{ApplicantKind, Channel, ExemptionGround, Obtain};
use lentera_render::report::{
    Block, Cell, Chapter, Fact, Report, Section, Signature, Table, group_thousands,
};
use lentera_store::report_texts as store;
use serde::Serialize;
use time::{Date, OffsetDateTime};

use crate::report_texts::ReportTexts;
use crate::reports::{AnnualReport, period_bounds};
use crate::{App, AppError, BodyEntry};

pub const TITLE: &str = "LAPORAN LAYANAN INFORMASI PUBLIK";

const MONTHS: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];

/// The report as a document, with the figures it was built from.
#[derive(Debug, Clone, Serialize)]
pub struct ReportDocument {
    pub report: Report,
    pub figures: AnnualReport,
    pub texts: ReportTexts,
    /// `laporan-layanan-informasi-{slug}-{year}[-{period}][-gabungan]`, for download names.
    pub file_stem: String,
    pub rollup: bool,
}

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

    fn add(&mut self, o: &Self) {
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

/// `Tahun 2025`, `Semester I 2025`, `Triwulan III 2025`.
pub fn period_label(year: i32, period: &str) -> String {
    match period {
        "s1" => format!("Semester I {year}"),
        "s2" => format!("Semester II {year}"),
        "q1" => format!("Triwulan I {year}"),
        "q2" => format!("Triwulan II {year}"),
        "q3" => format!("Triwulan III {year}"),
        "q4" => format!("Triwulan IV {year}"),
        _ => format!("Tahun {year}"),
    }
}

/// `2 Februari 2026`.
pub fn date_id(d: Date) -> String {
    let m = usize::from(u8::from(d.month())).saturating_sub(1);
    format!("{} {} {}", d.day(), MONTHS[m.min(11)], d.year())
}

/// What the builder needs besides the figures.
pub struct DocInput<'a> {
    pub report: &'a AnnualReport,
    /// The bodies below the parent, for a roll-up (empty otherwise).
    pub children: &'a [AnnualReport],
    /// For a roll-up, the parent's own figures (its row in the table per body).
    pub own: Option<&'a AnnualReport>,
    pub texts: &'a ReportTexts,
    /// Received requests per (month, channel).
    pub month_channel: &'a BTreeMap<(u8, String), u64>,
    pub disputes: &'a DisputeFigures,
    /// Unit slug → name.
    pub unit_names: &'a HashMap<String, String>,
    /// When the figures were computed, in the body's zone.
    pub generated_at: OffsetDateTime,
    /// The day printed under the signatures.
    pub signed_on: Date,
    /// The first year without its SKB that deadlines of the period's last requests run into:
    /// their figures are then partly provisional (domain spec §7.1).
    pub provisional_year: Option<i32>,
}

#[allow(clippy::cast_precision_loss)]
fn pct(n: u64, d: u64) -> Option<f64> {
    (d > 0).then(|| n as f64 * 100.0 / d as f64)
}

fn paragraph(text: &str, missing: &str) -> Block {
    let t = text.trim();
    Block::Paragraph {
        text: if t.is_empty() {
            missing.to_owned()
        } else {
            t.to_owned()
        },
    }
}

const NOT_WRITTEN: &str = "(Bagian ini belum diisi oleh PPID.)";

/// A table of labelled counts with their share of `total`, and a totals row.
fn count_table(
    id: &str,
    caption: &str,
    first: &str,
    rows: Vec<(String, u64)>,
    total: u64,
    note: Option<String>,
) -> Table {
    Table {
        id: id.to_owned(),
        caption: caption.to_owned(),
        columns: vec![first.to_owned(), "Jumlah".into(), "%".into()],
        rows: rows
            .into_iter()
            .map(|(label, n)| {
                vec![
                    Cell::text(label),
                    Cell::count(n),
                    Cell::percent(pct(n, total)),
                ]
            })
            .collect(),
        footer: Some(vec![
            Cell::text("Jumlah"),
            Cell::count(total),
            Cell::percent(pct(total, total)),
        ]),
        note,
    }
}

fn section(number: &str, title: &str, blocks: Vec<Block>) -> Section {
    Section {
        number: Some(number.to_owned()),
        title: Some(title.to_owned()),
        blocks,
    }
}

fn months_of(r: &AnnualReport) -> Vec<u8> {
    let a = u8::from(r.figures.from.month());
    let b = u8::from(r.figures.to.month());
    (a..=b).collect()
}

/// A bar chart drawn as SVG (one series). Labels are escaped; sizes are fixed so that every
/// SVG reader (browsers, typst) draws it the same.
pub fn bar_chart(id: &str, title: &str, labels: &[String], values: &[u64], color: &str) -> String {
    const W: u64 = 640;
    const H: u64 = 260;
    const LEFT: u64 = 44;
    const RIGHT: u64 = 10;
    const TOP: u64 = 16;
    const BOTTOM: u64 = 40;
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    // Four gridline steps of a whole number, so that no two gridlines carry the same value.
    let step = values.iter().copied().max().unwrap_or(0).div_ceil(4).max(1);
    let max = step * 4;
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let n = u64::try_from(labels.len()).unwrap_or(1).max(1);
    let slot = plot_w / n;
    let bar = slot.saturating_sub(8).max(2);
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"{W}\" height=\"{H}\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-labelledby=\"{id}-t\"><title id=\"{id}-t\">{}</title>",
        esc(title)
    );
    for i in 0..=4u64 {
        let v = step * i;
        let y = TOP + plot_h - plot_h * i / 4;
        let _ = write!(
            s,
            "<line stroke=\"#d4d4d8\" x1=\"{LEFT}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\"/><text font-family=\"sans-serif\" font-size=\"11\" fill=\"#3f3f46\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            W - RIGHT,
            LEFT - 4,
            y + 4,
            group_thousands(v)
        );
    }
    for (i, label) in labels.iter().enumerate() {
        let i = u64::try_from(i).unwrap_or(0);
        let v = values
            .get(usize::try_from(i).unwrap_or(0))
            .copied()
            .unwrap_or(0);
        let h = plot_h * v / max;
        let x = LEFT + slot * i + 4;
        let _ = write!(
            s,
            "<rect fill=\"{color}\" x=\"{x}\" y=\"{}\" width=\"{bar}\" height=\"{h}\"><title>{}: {}</title></rect><text font-family=\"sans-serif\" font-size=\"11\" fill=\"#3f3f46\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            TOP + plot_h - h,
            esc(label),
            group_thousands(v),
            x + bar / 2,
            TOP + plot_h + 16,
            esc(label)
        );
    }
    s.push_str("</svg>");
    s
}

fn month_short(m: u8) -> String {
    MONTHS[usize::from(m).saturating_sub(1).min(11)]
        .chars()
        .take(3)
        .collect()
}

/// Builds the document (pure: everything it shows is in `input`).
#[allow(clippy::too_many_lines)]
pub fn build(input: &DocInput<'_>) -> Report {
    let r = input.report;
    let f = &r.figures;
    let q = &f.requests;
    let t = input.texts;
    let rollup = !input.children.is_empty();

    // ---------------------------------------------------------------- BAB I, II
    let bab1 = Chapter {
        number: "I".into(),
        title: "Gambaran Umum Kebijakan Layanan Informasi Publik".into(),
        sections: vec![Section {
            number: None,
            title: None,
            blocks: vec![paragraph(t.get("bab1"), NOT_WRITTEN)],
        }],
    };
    let mut bab2_sections = Vec::new();
    if !t.get("bab2").trim().is_empty() {
        bab2_sections.push(Section {
            number: None,
            title: None,
            blocks: vec![paragraph(t.get("bab2"), NOT_WRITTEN)],
        });
    }
    for (n, title, key) in [
        ("2.1", "Sarana dan Prasarana", "bab2_1"),
        ("2.2", "Sumber Daya Manusia", "bab2_2"),
        ("2.3", "Anggaran Layanan Informasi Publik", "bab2_3"),
    ] {
        bab2_sections.push(section(n, title, vec![paragraph(t.get(key), NOT_WRITTEN)]));
    }
    let bab2 = Chapter {
        number: "II".into(),
        title: "Gambaran Umum Pelaksanaan Layanan Informasi Publik".into(),
        sections: bab2_sections,
    };

    // ---------------------------------------------------------------- BAB III
    let mut bab3 = Vec::new();
    if rollup {
        let rows = input
            .own
            .filter(|o| !input.children.iter().any(|c| c.body == o.body))
            .into_iter()
            .chain(input.children.iter())
            .map(|c| {
                let cq = &c.figures.requests;
                vec![
                    Cell::text(c.body_name.clone()),
                    Cell::count(cq.received),
                    Cell::count(cq.decided),
                    Cell::percent(cq.service_time.on_time_percent),
                    Cell::count(cq.open_at_end),
                ]
            })
            .collect();
        bab3.push(Section {
            number: None,
            title: Some("Rincian per badan publik".into()),
            blocks: vec![Block::Table(Table {
                id: "3.0".into(),
                caption: "Tabel 3.0 Permohonan per badan publik".into(),
                columns: vec![
                    "Badan publik".into(),
                    "Diterima".into(),
                    "Diputus".into(),
                    "Tepat waktu".into(),
                    "Dalam proses".into(),
                ],
                rows,
                footer: Some(vec![
                    Cell::text("Jumlah (gabungan)"),
                    Cell::count(q.received),
                    Cell::count(q.decided),
                    Cell::percent(q.service_time.on_time_percent),
                    Cell::count(q.open_at_end),
                ]),
                note: Some(
                    "Baris pertama: badan induk sendiri; jumlah gabungan mencakup badan induk dan semua badan di bawahnya."
                        .into(),
                ),
            })],
        });
    }

    // 3.1 received
    let months = months_of(r);
    let channels: Vec<&'static str> = Channel::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|c| {
            q.by_channel.get(c).copied().unwrap_or(0) > 0
                || input.month_channel.keys().any(|(_, k)| k == c)
        })
        .collect();
    let mut columns = vec!["Bulan".to_owned()];
    columns.extend(
        channels
            .iter()
            .map(|c| Channel::parse(c).map_or((*c).to_owned(), |x| x.label_id().to_owned())),
    );
    columns.push("Jumlah".into());
    let month_rows: Vec<Vec<Cell>> = months
        .iter()
        .map(|m| {
            let mut row = vec![Cell::text(
                MONTHS[usize::from(*m).saturating_sub(1).min(11)],
            )];
            for c in &channels {
                row.push(Cell::count(
                    input
                        .month_channel
                        .get(&(*m, (*c).to_owned()))
                        .copied()
                        .unwrap_or(0),
                ));
            }
            row.push(Cell::count(q.by_month.get(m).copied().unwrap_or(0)));
            row
        })
        .collect();
    let mut footer = vec![Cell::text("Jumlah")];
    for c in &channels {
        footer.push(Cell::count(q.by_channel.get(c).copied().unwrap_or(0)));
    }
    footer.push(Cell::count(q.received));
    let month_values: Vec<u64> = months
        .iter()
        .map(|m| q.by_month.get(m).copied().unwrap_or(0))
        .collect();
    let by_kind = ApplicantKind::ALL
        .iter()
        .map(|k| {
            (
                k.label_id().to_owned(),
                q.by_applicant_kind.get(k.as_str()).copied().unwrap_or(0),
            )
        })
        .collect();
    let by_obtain = Obtain::ALL
        .iter()
        .map(|o| {
            (
                o.label_id().to_owned(),
                q.by_obtain.get(o.as_str()).copied().unwrap_or(0),
            )
        })
        .collect();
    let unit_total: u64 = q.by_unit.values().sum();
    let mut by_unit: Vec<(String, u64)> = q
        .by_unit
        .iter()
        .map(|(u, n)| {
            (
                input
                    .unit_names
                    .get(u)
                    .cloned()
                    .unwrap_or_else(|| u.clone()),
                *n,
            )
        })
        .collect();
    by_unit.push((
        "Ditangani PPID (tanpa disposisi)".into(),
        q.received.saturating_sub(unit_total),
    ));
    bab3.push(section(
        "3.1",
        "Jumlah Permohonan Informasi Publik",
        vec![
            Block::Facts {
                rows: vec![Fact {
                    label: "Jumlah permohonan informasi publik yang diterima".into(),
                    value: Cell::count(q.received),
                }],
            },
            Block::Chart {
                title: format!("Permohonan diterima per bulan, {}", r_period(r)),
                svg: bar_chart(
                    "chart-month",
                    "Permohonan diterima per bulan",
                    &months.iter().map(|m| month_short(*m)).collect::<Vec<_>>(),
                    &month_values,
                    "#1d4ed8",
                ),
            },
            Block::Table(Table {
                id: "3.1a".into(),
                caption: "Tabel 3.1a Jumlah permohonan per bulan dan saluran".into(),
                columns,
                rows: month_rows,
                footer: Some(footer),
                note: Some("Menurut tanggal permohonan diterima (tanggal registrasi).".into()),
            }),
            Block::Table(count_table(
                "3.1b",
                "Tabel 3.1b Jumlah permohonan menurut jenis pemohon",
                "Jenis pemohon",
                by_kind,
                q.received,
                None,
            )),
            Block::Table(count_table(
                "3.1c",
                "Tabel 3.1c Jumlah permohonan menurut cara memperoleh informasi",
                "Cara memperoleh informasi",
                by_obtain,
                q.received,
                None,
            )),
            Block::Table(count_table(
                "3.1d",
                "Tabel 3.1d Jumlah permohonan menurut unit (PPID Pelaksana)",
                "Unit",
                by_unit,
                q.received,
                None,
            )),
        ],
    ));

    // 3.2 time
    let st = &q.service_time;
    let classes = [
        ("0–10 hari kerja (tepat waktu)", st.within_10),
        (
            "11–17 hari kerja dengan perpanjangan (tepat waktu)",
            st.extended_on_time,
        ),
        ("Melewati batas waktu", st.late),
        ("Belum diputus pada akhir periode", q.open_at_end),
    ];
    let class_total = st.within_10 + st.extended_on_time + st.late + q.open_at_end;
    let wd = |v: Option<f64>| Cell::decimal(v).text;
    bab3.push(section(
        "3.2",
        "Waktu yang Diperlukan untuk Memenuhi Setiap Permohonan",
        vec![
            Block::Table(count_table(
                "3.2",
                "Tabel 3.2 Permohonan menurut waktu pemenuhan",
                "Klasifikasi waktu",
                classes.iter().map(|(l, n)| ((*l).to_owned(), *n)).collect(),
                class_total,
                Some(format!(
                    "Rata-rata {} hari kerja, median {} hari kerja (permohonan yang diputus); tepat waktu {} dari permohonan yang diputus. Waktu dihitung dalam hari kerja sejak permohonan diterima sampai pemberitahuan tertulis.{}",
                    wd(st.mean_wd),
                    wd(st.median_wd),
                    Cell::percent(st.on_time_percent).text,
                    input.provisional_year.map_or_else(String::new, |y| format!(
                        " Tenggat yang berjalan sampai tahun {y} bersifat sementara: SKB hari libur tahun {y} belum dimuat, sehingga angka ini dapat bergeser setelah SKB dimuat."
                    ))
                )),
            )),
            Block::Facts {
                rows: vec![
                    Fact {
                        label: "Rata-rata waktu pemenuhan (hari kerja)".into(),
                        value: Cell::decimal(st.mean_wd),
                    },
                    Fact {
                        label: "Median waktu pemenuhan (hari kerja)".into(),
                        value: Cell::decimal(st.median_wd),
                    },
                    Fact {
                        label: "Persentase tepat waktu".into(),
                        value: Cell::percent(st.on_time_percent),
                    },
                    Fact {
                        label: "Permohonan yang diperpanjang".into(),
                        value: Cell::count(q.extended),
                    },
                ],
            },
            Block::Chart {
                title: "Permohonan menurut klasifikasi waktu pemenuhan".into(),
                svg: bar_chart(
                    "chart-time",
                    "Permohonan menurut klasifikasi waktu pemenuhan",
                    &[
                        "≤ 10 HK".to_owned(),
                        "11–17 HK".to_owned(),
                        "Terlambat".to_owned(),
                        "Belum diputus".to_owned(),
                    ],
                    &classes.iter().map(|(_, n)| *n).collect::<Vec<_>>(),
                    "#047857",
                ),
            },
        ],
    ));

    // 3.3 outcomes and the reconciliation
    let outcomes = vec![
        ("Dikabulkan seluruhnya".to_owned(), q.granted_fully),
        ("Dikabulkan sebagian".to_owned(), q.granted_partially),
        ("Ditolak".to_owned(), q.refused.total),
    ];
    let recon = vec![
        Fact {
            label: "Permohonan diterima".into(),
            value: Cell::count(q.received),
        },
        Fact {
            label: "Permohonan diputus (pemberitahuan tertulis)".into(),
            value: Cell::count(q.decided),
        },
        Fact {
            label: "Tidak dapat diproses".into(),
            value: Cell::count(q.not_processable),
        },
        Fact {
            label: "Dicabut oleh pemohon".into(),
            value: Cell::count(q.withdrawn),
        },
        Fact {
            label: "Dalam proses pada akhir periode".into(),
            value: Cell::count(q.open_at_end),
        },
    ];
    let check = format!(
        "Diterima = diputus + tidak dapat diproses + dicabut + dalam proses: {} = {} + {} + {} + {}{}",
        group_thousands(q.received),
        group_thousands(q.decided),
        group_thousands(q.not_processable),
        group_thousands(q.withdrawn),
        group_thousands(q.open_at_end),
        if q.reconciles {
            " (cocok)"
        } else {
            " (TIDAK COCOK)"
        }
    );
    bab3.push(section(
        "3.3",
        "Jumlah Permohonan yang Dikabulkan Sebagian atau Seluruhnya",
        vec![
            Block::Table(count_table(
                "3.3",
                "Tabel 3.3 Permohonan yang diputus menurut hasil",
                "Hasil",
                outcomes,
                q.decided,
                None,
            )),
            Block::Facts { rows: recon },
            Block::Check {
                text: check,
                ok: q.reconciles,
            },
        ],
    ));

    // 3.4 refusals
    let mut refusals = vec![(
        "Informasi dikecualikan (Pasal 17 UU 14/2008)".to_owned(),
        q.refused.exempt,
    )];
    for g in ExemptionGround::ALL {
        let n = q
            .refused
            .exempt_by_ground
            .get(g.as_str())
            .copied()
            .unwrap_or(0);
        if n > 0 {
            let letter = g.as_str().trim_start_matches("17");
            refusals.push((format!("– Pasal 17 huruf {letter}: {}", g.label_id()), n));
        }
    }
    refusals.push(("Informasi tidak dikuasai".into(), q.refused.not_held));
    refusals.push((
        "Informasi belum didokumentasikan".into(),
        q.refused.not_documented,
    ));
    bab3.push(section(
        "3.4",
        "Jumlah Permohonan yang Ditolak beserta Alasannya",
        vec![Block::Table(count_table(
            "3.4",
            "Tabel 3.4 Permohonan yang ditolak menurut alasan",
            "Alasan penolakan",
            refusals,
            q.refused.total,
            Some(
                "Baris huruf Pasal 17 merinci penolakan karena informasi dikecualikan; satu permohonan dapat menyebut lebih dari satu huruf."
                    .into(),
            ),
        ))],
    ));
    bab3.push(Section {
        number: None,
        title: Some("Permohonan terlama yang belum selesai".into()),
        blocks: vec![Block::Table(oldest_table(
            "3.5",
            "Tabel 3.5 Sepuluh permohonan terlama yang masih dalam proses pada akhir periode",
            &f.oldest_open_requests
                .iter()
                .map(|o| (o.number.clone(), o.since))
                .collect::<Vec<_>>(),
            f.to,
        ))],
    });
    let bab3 = Chapter {
        number: "III".into(),
        title: "Rincian Pelayanan Informasi Publik".into(),
        sections: bab3,
    };

    // ---------------------------------------------------------------- BAB IV
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
    let bab4 = Chapter {
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
    };

    // ---------------------------------------------------------------- BAB V, VI
    let bab5 = Chapter {
        number: "V".into(),
        title: "Kendala Eksternal dan Internal dalam Pelaksanaan Layanan Informasi Publik".into(),
        sections: vec![Section {
            number: None,
            title: None,
            blocks: vec![paragraph(t.get("bab5"), NOT_WRITTEN)],
        }],
    };
    let bab6 = Chapter {
        number: "VI".into(),
        title:
            "Rekomendasi dan Rencana Tindak Lanjut untuk Meningkatkan Kualitas Pelayanan Informasi"
                .into(),
        sections: vec![Section {
            number: None,
            title: None,
            blocks: vec![paragraph(t.get("bab6"), NOT_WRITTEN)],
        }],
    };

    let place = t.get("tempat").trim();
    let place_date = if place.is_empty() {
        date_id(input.signed_on)
    } else {
        format!("{place}, {}", date_id(input.signed_on))
    };
    let subtitle = if rollup {
        format!(
            "{} dan {} badan publik di bawahnya",
            r.body_name,
            input.children.len()
        )
    } else {
        r.body_name.clone()
    };
    let at = input.generated_at;
    Report {
        title: TITLE.into(),
        subtitle,
        period: r_period(r),
        generated: format!(
            "Angka dihitung dari catatan permohonan, keberatan dan sengketa per {} ({} s.d. {}), disusun {} pukul {:02}.{:02}.",
            date_id(f.to),
            date_id(f.from),
            date_id(f.to),
            date_id(at.date()),
            at.hour(),
            at.minute()
        ),
        chapters: vec![bab1, bab2, bab3, bab4, bab5, bab6],
        signatures: vec![
            Signature {
                prefix: String::new(),
                role: "Pejabat Pengelola Informasi dan Dokumentasi (PPID)".into(),
                name: t.get("ttd_ppid").trim().to_owned(),
                place_date: place_date.clone(),
            },
            Signature {
                prefix: "Mengetahui,".into(),
                role: "Atasan PPID".into(),
                name: t.get("ttd_atasan").trim().to_owned(),
                place_date,
            },
        ],
    }
}

fn r_period(r: &AnnualReport) -> String {
    period_label(r.year, &r.period)
}

/// Numbers and dates only — never who asked.
fn oldest_table(id: &str, caption: &str, rows: &[(String, Date)], to: Date) -> Table {
    Table {
        id: id.to_owned(),
        caption: caption.to_owned(),
        columns: vec![
            "Nomor".into(),
            "Tanggal diterima".into(),
            "Umur (hari kalender)".into(),
        ],
        rows: rows
            .iter()
            .map(|(n, since)| {
                vec![
                    Cell::text(n.clone()),
                    Cell::text(date_id(*since)),
                    Cell::count(u64::try_from((to - *since).whole_days()).unwrap_or(0)),
                ]
            })
            .collect(),
        footer: None,
        note: rows
            .is_empty()
            .then(|| "Tidak ada yang masih terbuka pada akhir periode.".to_owned()),
    }
}

/// `laporan-layanan-informasi-{slug}-{year}[-{period}][-gabungan]`.
pub fn file_stem(slug: &str, year: i32, period: &str, rollup: bool) -> String {
    let mut s = format!("laporan-layanan-informasi-{slug}-{year}");
    if period != "year" && !period.is_empty() {
        s.push('-');
        s.push_str(period);
    }
    if rollup {
        s.push_str("-gabungan");
    }
    s
}

impl App {
    async fn disputes_of(
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

    /// The figures of a body, or of a parent merged over every body below it with each of
    /// them apart (`rollup`).
    async fn report_figures(
        &self,
        slug: &str,
        year: i32,
        part: Option<&str>,
        rollup: bool,
    ) -> Result<(AnnualReport, Vec<AnnualReport>), AppError> {
        if rollup {
            let mut r = self.annual_report_rollup(slug, year, part).await?;
            let children = std::mem::take(&mut r.children);
            Ok((r, children))
        } else {
            Ok((self.annual_report(slug, year, part).await?, Vec::new()))
        }
    }

    /// The figures as the API serves them: a body's, or with `rollup` the parent's merged over
    /// every body below it, each of them listed in `children`.
    pub async fn annual_report_figures(
        &self,
        slug: &str,
        year: i32,
        part: Option<&str>,
        rollup: bool,
    ) -> Result<AnnualReport, AppError> {
        if rollup {
            self.annual_report_rollup(slug, year, part).await
        } else {
            self.annual_report(slug, year, part).await
        }
    }

    /// The annual (semester, quarter) report of a body as a document; with `rollup`, the
    /// parent's report over every body below it, with a table per body.
    pub async fn annual_report_document(
        &self,
        slug: &str,
        year: i32,
        part: Option<&str>,
        rollup: bool,
    ) -> Result<ReportDocument, AppError> {
        let (from, to, period) = period_bounds(year, part)?;
        let body = self
            .body_by_slug(slug)
            .await?
            .ok_or(AppError::NotFound("body.not_found"))?;
        // A unit's requests belong to its body: the report is the body's.
        let body = self.home_body(&body).await?;
        let (figures, children) = self.report_figures(slug, year, part, rollup).await?;
        let own = if rollup {
            Some(self.annual_report(slug, year, part).await?)
        } else {
            None
        };
        let texts = self.report_texts_of(&body, i64::from(year)).await?;
        let mut scope = vec![std::sync::Arc::clone(&body)];
        for c in &children {
            if let Some(b) = self.body_by_slug(&c.body).await?
                && b.row.id != body.row.id
            {
                scope.push(b);
            }
        }
        let mut month_channel = BTreeMap::new();
        for (m, channels) in &figures.figures.requests.by_month_channel {
            for (c, n) in channels {
                month_channel.insert((*m, (*c).to_owned()), *n);
            }
        }
        let mut disputes = DisputeFigures::default();
        for b in &scope {
            disputes.add(&self.disputes_of(b, from, to).await?);
        }
        let mut unit_names = HashMap::new();
        for u in figures.figures.requests.by_unit.keys() {
            if let Some(b) = self.body_by_slug(u).await? {
                unit_names.insert(u.clone(), b.row.name.clone());
            }
        }
        let tz = body.time_zone();
        let now = self.now().to_offset(tz.offset());
        let report = build(&DocInput {
            report: &figures,
            children: &children,
            own: own.as_ref(),
            texts: &texts,
            month_channel: &month_channel,
            disputes: &disputes,
            unit_names: &unit_names,
            generated_at: now,
            signed_on: now.date(),
            provisional_year: crate::dashboard::provisional_year(&body.calendar, to),
        });
        Ok(ReportDocument {
            report,
            file_stem: file_stem(&body.row.slug, year, &period, rollup),
            figures,
            texts,
            rollup,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_named_in_indonesian() {
        assert_eq!(period_label(2025, "year"), "Tahun 2025");
        assert_eq!(period_label(2025, "s1"), "Semester I 2025");
        assert_eq!(period_label(2025, "q3"), "Triwulan III 2025");
        assert_eq!(
            file_stem("kab-a", 2025, "year", false),
            "laporan-layanan-informasi-kab-a-2025"
        );
        assert_eq!(
            file_stem("kab-a", 2025, "s1", true),
            "laporan-layanan-informasi-kab-a-2025-s1-gabungan"
        );
    }

    #[test]
    fn charts_escape_their_labels() {
        let svg = bar_chart("c", "a <b>", &["<x>".into()], &[3], "#000");
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(!svg.contains("<x>") && !svg.contains("<b>"));
    }
}
