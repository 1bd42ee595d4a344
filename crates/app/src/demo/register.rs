//! Seeding the register: DIP entries covering part of the minimum-content checklist, decided
//! consequence tests (the DIK) that refusals cite, a document, and published answers.

use lentera_domain::consequence::RawTest;
use lentera_domain::register::{CHECKLIST, RawEntry};
use time::{Date, Duration};
use uuid::Uuid;

use crate::auth::OfficerCtx;
use crate::register::{DocOwner, PublishInput, TestAction};
use crate::{App, AppError};

/// (ground, test id) of the decided tests of a body.
pub(crate) type Tests = Vec<(&'static str, Uuid)>;

pub(crate) async fn seed_tests(
    app: &App,
    officer: &OfficerCtx,
    day: Date,
    code: &str,
) -> Result<Tests, AppError> {
    let specs: [(&str, &str, &str, &str, &str); 3] = [
        (
            "17a",
            "Berkas pemeriksaan dugaan penyimpangan dana hibah yang sedang diselidiki",
            "Membuka berkas dapat menghambat penyelidikan dan mengungkap identitas saksi.",
            "until_date",
            "",
        ),
        (
            "17h",
            "Data pribadi penerima bantuan sosial (NIK, alamat, kondisi kesehatan)",
            "Mengungkap rahasia pribadi penerima dan melanggar UU Pelindungan Data Pribadi.",
            "until_event",
            "penerima memberikan persetujuan tertulis",
        ),
        (
            "17i",
            "Memorandum internal pembahasan rancangan kebijakan yang belum ditetapkan",
            "Membuka memorandum sebelum kebijakan ditetapkan mengganggu proses pengambilan keputusan.",
            "while_other_law",
            "",
        ),
    ];
    let mut out = Vec::new();
    for (i, (ground, information, harm, period, event)) in specs.into_iter().enumerate() {
        let until = (day + Duration::days(365 * 4)).to_string();
        let raw = RawTest {
            information: Some(information.into()),
            source: Some("Arsip PPID".into()),
            grounds: vec![ground.into()],
            harm: Some(harm.into()),
            public_interest: Some(
                "Kepentingan yang dilindungi lebih besar daripada manfaat membukanya saat ini."
                    .into(),
            ),
            period_kind: Some(period.into()),
            period_until: (period == "until_date").then_some(until),
            period_event: (!event.is_empty()).then(|| event.to_owned()),
            ..RawTest::default()
        };
        let t = app.create_test(officer, &raw).await?;
        app.act_on_test(officer, t.id, TestAction::Submit).await?;
        app.act_on_test(
            officer,
            t.id,
            TestAction::Decide {
                number: format!("188/{}/PPID-{code}/{}", i + 1, day.year()),
                place: "Kantor PPID".into(),
                official: "PPID Utama".into(),
                on: Some(day),
            },
        )
        .await?;
        out.push((ground, t.id));
    }
    Ok(out)
}

/// Publishes entries for the first `items` checklist items, so bodies differ in completeness.
pub(crate) async fn seed_entries(
    app: &App,
    officer: &OfficerCtx,
    year: i32,
    items: usize,
) -> Result<usize, AppError> {
    let mut n = 0;
    for item in CHECKLIST.iter().take(items) {
        let raw = RawEntry {
            kind: Some(item.kind.as_str().into()),
            title: Some(format!("{} Tahun {year}", short(item.label))),
            summary: Some(format!(
                "{}. Disediakan oleh {} sesuai {} UU 14/2008.",
                item.label, officer.home.row.name, item.basis
            )),
            responsible: Some("Sekretariat Daerah / PPID Utama".into()),
            made_when: Some(format!("Januari {year}")),
            made_where: Some(officer.home.row.name.clone()),
            forms: vec!["softcopy".into(), "hardcopy".into()],
            retention: Some("5 tahun (Jadwal Retensi Arsip)".into()),
            year: Some(serde_json::json!(year)),
            checklist: Some(item.code.into()),
            ..RawEntry::default()
        };
        let e = app.create_entry(officer, &raw).await?;
        app.set_entry_published(officer, e.id, true, None, &[])
            .await?;
        if item.code == "berkala.keuangan" {
            let mut doc = lentera_render::Document::new(format!(
                "Ringkasan Laporan Realisasi Anggaran {year}"
            ));
            doc.push(lentera_render::Block::Paragraph(format!(
                "{} — realisasi pendapatan dan belanja daerah tahun anggaran {year}. \
                 Belanja pegawai, belanja barang dan jasa, belanja modal, dan belanja hibah.",
                officer.home.row.name
            )));
            let pdf = doc.to_pdf();
            app.upload_document(
                officer,
                DocOwner::Entry(e.id),
                &format!("realisasi-anggaran-{year}.pdf"),
                bytes::Bytes::from(pdf),
            )
            .await?;
        }
        n += 1;
    }
    Ok(n)
}

fn short(label: &str) -> &str {
    label.split([':', '(']).next().unwrap_or(label).trim()
}

/// Publishes the answers of some granted requests.
pub(crate) async fn seed_publications(
    app: &App,
    officer: &OfficerCtx,
    numbers: &[String],
) -> Result<usize, AppError> {
    let mut n = 0;
    for number in numbers {
        let draft = app.publish_draft(officer, number).await?;
        let input = PublishInput {
            title: Some(draft.title.clone()),
            text: Some(format!(
                "{}\n\nInformasi ini telah diberikan kepada pemohon dan dipublikasikan agar dapat \
                 diakses oleh masyarakat tanpa perlu mengajukan permohonan kembali.",
                draft.title
            )),
            documents: Vec::new(),
            confirmed: Vec::new(),
        };
        app.publish_answer(officer, number, &input).await?;
        n += 1;
    }
    Ok(n)
}
