//! Chapter III of the report (*Rincian Pelayanan Informasi Publik*), one function per section.

use lentera_domain::{ApplicantKind, Channel, ExemptionGround, Obtain};
use lentera_render::report::{Block, Cell, Chapter, Fact, Section, Table, group_thousands};

use super::blocks::{bar_chart, count_table, month_short, months_of, oldest_table, section};
use super::{DocInput, MONTHS, r_period};

/// Chapter III: the requests received, how fast they were answered, how, and why refused.
pub(super) fn chapter(input: &DocInput<'_>) -> Chapter {
    let mut sections = Vec::new();
    if !input.children.is_empty() {
        sections.push(per_body(input));
    }
    sections.extend([
        received(input),
        service_time(input),
        outcomes(input),
        refusals(input),
        oldest_open(input),
    ]);
    Chapter {
        number: "III".into(),
        title: "Rincian Pelayanan Informasi Publik".into(),
        sections,
    }
}

/// Table 3.0 of a roll-up: one row per body.
fn per_body(input: &DocInput<'_>) -> Section {
    let q = &input.report.figures.requests;
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
    Section {
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
    }
}

/// 3.1: requests received by month, channel, kind of applicant, way of obtaining, unit.
fn received(input: &DocInput<'_>) -> Section {
    let r = input.report;
    let q = &r.figures.requests;
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
    section(
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
    )
}

/// 3.2: the time taken to answer.
fn service_time(input: &DocInput<'_>) -> Section {
    let q = &input.report.figures.requests;
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
    section(
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
    )
}

/// 3.3: outcomes of the decided requests, and the reconciliation of the counts.
fn outcomes(input: &DocInput<'_>) -> Section {
    let q = &input.report.figures.requests;
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
    section(
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
    )
}

/// 3.4: refusals by reason.
fn refusals(input: &DocInput<'_>) -> Section {
    let q = &input.report.figures.requests;
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
    section(
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
    )
}

/// The oldest requests still open at the end of the period.
fn oldest_open(input: &DocInput<'_>) -> Section {
    let f = &input.report.figures;
    Section {
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
    }
}
