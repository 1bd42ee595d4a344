//! Seeding one body: sample applicants, a year of requests in every state, made on their days.

use lentera_domain::submission::{RawApplicant, RawSubmission};
use time::{Date, Duration};

use super::objections::Candidate;
use super::{Rng, at, wd};
use crate::auth::OfficerCtx;
use crate::clock::FixedClock;
use crate::requests::{DecisionInput, Intake, OfficerAction};
use crate::{App, AppError};

const TOPICS: &[&str] = &[
    "Salinan Dokumen Pelaksanaan Anggaran (DPA) Dinas Pendidikan tahun anggaran 2026",
    "Data jumlah penerima Program Keluarga Harapan per kecamatan tahun 2025",
    "Laporan realisasi Dana Desa per desa semester I 2026",
    "Dokumen AMDAL pembangunan Pasar Induk beserta izin lingkungannya",
    "Daftar paket pengadaan pemeliharaan jalan kabupaten tahun 2026 dan pemenangnya",
    "Data prevalensi stunting per desa hasil pengukuran Februari 2026",
    "Salinan kontrak pengadaan ambulans dan kendaraan operasional puskesmas",
    "Rekapitulasi pengaduan masyarakat dan tindak lanjutnya tahun 2025",
    "Data sekolah dasar dengan ruang kelas rusak berat dan rencana rehabilitasinya",
    "Rencana Kerja Pemerintah Daerah (RKPD) 2027 dan notulen musrenbang kecamatan",
    "Laporan Hasil Pemeriksaan BPK atas Laporan Keuangan Pemerintah Daerah 2025",
    "Daftar penerima hibah dan bantuan sosial organisasi kemasyarakatan 2025",
    "Data kualitas air sungai hasil pemantauan Dinas Lingkungan Hidup 2025",
    "Jadwal dan anggaran pemeliharaan irigasi tersier tahun 2026",
    "Data jumlah tenaga kesehatan per puskesmas dan rasio terhadap penduduk",
    "Standar operasional prosedur pelayanan perizinan bangunan gedung (PBG)",
    "Daftar aset tanah milik pemerintah daerah yang disewakan kepada pihak ketiga",
    "Rincian anggaran perjalanan dinas sekretariat daerah tahun 2025",
    "Data penerimaan peserta didik baru jalur zonasi dan afirmasi 2026",
    "Hasil evaluasi kinerja BUMD air minum tahun 2025",
];

const NAMES: &[&str] = &[
    "Siti Aminah",
    "Budi Santoso",
    "Agus Prasetyo",
    "Dewi Lestari",
    "Rina Wulandari",
    "Joko Susilo",
    "Slamet Riyadi",
    "Nur Hidayah",
    "Eko Saputra",
    "Sri Mulyani",
    "Yayasan Lingkar Desa",
    "LBH Semarang",
    "Hendra Gunawan",
    "Fitri Handayani",
    "Wahyu Nugroho",
    "Ratna Sari",
    "Muhammad Iqbal",
    "Ayu Kartika",
];

const OCCUPATIONS: &[&str] = &[
    "Wartawan",
    "Mahasiswa",
    "Peneliti",
    "Wiraswasta",
    "Guru",
    "Petani",
    "Aktivis LSM",
    "Advokat",
];

const PURPOSES: &[&str] = &[
    "Bahan liputan investigasi",
    "Penelitian skripsi",
    "Pengawasan anggaran oleh masyarakat",
    "Advokasi kebijakan desa",
    "Kajian lembaga",
];

#[derive(Debug, Clone, Copy)]
pub(super) enum Fate {
    Granted,
    Partial,
    RejectedExempt,
    NotHeld,
    NotDocumented,
    ExtendedGranted,
    Late,
    Withdrawn,
    NotProcessable,
    Payment,
    Open,
}

pub(super) fn fate(r: &mut Rng) -> Fate {
    match r.below(100) {
        0..=39 => Fate::Granted,
        40..=49 => Fate::Partial,
        50..=56 => Fate::RejectedExempt,
        57..=61 => Fate::NotHeld,
        62..=64 => Fate::NotDocumented,
        65..=74 => Fate::ExtendedGranted,
        75..=79 => Fate::Late,
        80..=83 => Fate::Withdrawn,
        84..=87 => Fate::NotProcessable,
        88..=91 => Fate::Payment,
        _ => Fate::Open,
    }
}

struct Seeder<'a> {
    app: &'a App,
    clock: &'a FixedClock,
    today: Date,
}

impl Seeder<'_> {
    /// Runs `action` on `day` unless that day is still to come.
    async fn on(
        &self,
        day: Date,
        officer: &OfficerCtx,
        number: &str,
        action: OfficerAction,
    ) -> Result<bool, AppError> {
        if day > self.today {
            return Ok(false);
        }
        self.clock.set(at(day, 10));
        self.app.act(officer, number, action).await?;
        Ok(true)
    }
}

pub(super) fn decision(
    outcome: &str,
    grounds: &[&str],
    note: &str,
    holder: Option<&str>,
    fee: Option<u64>,
) -> OfficerAction {
    OfficerAction::Decide(Box::new(DecisionInput {
        outcome: Some(outcome.into()),
        grounds: grounds.iter().map(|g| (*g).to_owned()).collect(),
        note: Some(note.into()),
        holder: holder.map(str::to_owned),
        fee_idr: fee,
        fee_method: fee.map(|_| "Transfer ke rekening kas daerah".to_owned()),
        ..DecisionInput::default()
    }))
}

/// What seeding one body produced.
pub(super) struct BodySeed {
    pub(super) entries: usize,
    pub(super) granted: Vec<(&'static str, String)>,
    pub(super) sample: Option<(String, String)>,
    pub(super) count: usize,
    pub(super) candidates: Vec<Candidate>,
}

/// Seeds one body: its register, consequence tests and a year of requests in every state.
pub(super) async fn seed_body(
    app: &App,
    clock: &FixedClock,
    today: Date,
    start: Date,
    slug: &'static str,
    units: [(&'static str, &'static str); 4],
    mut rng: Rng,
) -> Result<BodySeed, AppError> {
    let seeder = Seeder { app, clock, today };
    let mut granted: Vec<(&'static str, String)> = Vec::new();
    let mut sample = None;
    let mut count = 0usize;
    let mut candidates: Vec<Candidate> = Vec::new();
    let email = match slug {
        "jateng" => "ppid@jateng.demo",
        "kab-banyumas" => "ppid@banyumas.demo",
        _ => "ppid@kendal.demo",
    };
    let user = lentera_store::users::get_by_email(&app.db, email).await?;
    let officer = app.officer(user).await?;
    let cal = std::sync::Arc::clone(&officer.home.calendar);
    // The register and the consequence tests exist before the year of requests starts.
    let register_day = start - Duration::days(20);
    clock.set(at(register_day, 9));
    let code = officer.home.row.code.clone();
    let tests = super::register::seed_tests(app, &officer, register_day, &code).await?;
    let items = match slug {
        "jateng" => 17,
        "kab-banyumas" => 12,
        _ => 7,
    };
    let entries = super::register::seed_entries(app, &officer, register_day.year(), items).await?;
    let per_body = 150;
    let mut extended_open = false;
    for i in 0..per_body {
        let offset = i64::from(i * 364 / per_body) + i64::try_from(rng.below(3)).unwrap_or(0);
        let received = (start + Duration::days(offset)).min(today);
        clock.set(at(received, 9 + u8::try_from(rng.below(7)).unwrap_or(0)));
        let name = *rng.pick(NAMES);
        let legal = name.starts_with("Yayasan") || name.starts_with("LBH");
        let nik = format!(
            "33{:02}{:012}",
            rng.below(30) + 1,
            rng.below(1_000_000_000_000)
        );
        let obtain = *rng.pick(&["softcopy", "softcopy", "softcopy", "hardcopy", "view"]);
        let raw = RawSubmission {
            body: Some(slug.into()),
            applicant: Some(RawApplicant {
                kind: Some(if legal { "legal_entity" } else { "individual" }.into()),
                name: Some(name.into()),
                id_number: Some(if legal {
                    format!("AHU-{:07}.AH.01.04.2019", rng.below(9_999_999))
                } else {
                    nik
                }),
                email: Some(format!(
                    "{}@contoh.id",
                    name.to_lowercase().replace(' ', ".")
                )),
                phone: Some(format!("08{:010}", rng.below(10_000_000_000))),
                address: Some(format!(
                    "Jl. Merdeka No. {}, {}",
                    rng.below(200) + 1,
                    slug.trim_start_matches("kab-")
                )),
                occupation: Some((*rng.pick(OCCUPATIONS)).into()),
            }),
            information: Some((*rng.pick(TOPICS)).into()),
            purpose: Some((*rng.pick(PURPOSES)).into()),
            obtain: Some(obtain.into()),
            delivery: Some(
                match obtain {
                    "hardcopy" => "post",
                    "view" => "pickup",
                    _ => "email",
                }
                .into(),
            ),
        };
        let walk_in = rng.below(4) == 0;
        let intake = Intake {
            received_on: None,
            channel: walk_in
                .then(|| (*rng.pick(&["in_person", "email", "post", "phone"])).to_owned()),
        };
        let receipt = if walk_in {
            app.submit(&raw, Some(&intake), Some(&officer), None)
                .await?
        } else {
            app.submit(&raw, None, None, None).await?
        };
        count += 1;
        let n = receipt.number.as_str();
        let mut fate = fate(&mut rng);
        // A queue without an extended case would hide a state the demo is there to show; which
        // requests land in the extension window depends on the weekday the demo starts, so one
        // is made extended on purpose rather than left to the draw.
        if !extended_open && wd(&cal, received, 9) <= today && wd(&cal, received, 14) > today {
            fate = Fate::ExtendedGranted;
        }
        extended_open |= matches!(fate, Fate::ExtendedGranted)
            && wd(&cal, received, 9) <= today
            && wd(&cal, received, 14) > today;
        let quick = u32::try_from(rng.below(8)).unwrap_or(0) + 2;
        if matches!(fate, Fate::RejectedExempt | Fate::Open) {
            candidates.push(Candidate {
                body: slug,
                fate,
                number: receipt.number.clone(),
                code: receipt.tracking_code.clone(),
                received,
                quick,
            });
        }
        let verify_day = wd(&cal, received, 1);
        match fate {
            Fate::NotProcessable => {
                if seeder
                    .on(
                        verify_day,
                        &officer,
                        n,
                        OfficerAction::MarkIncomplete {
                            note: "Salinan KTP tidak terbaca; mohon dikirim ulang.".into(),
                        },
                    )
                    .await?
                {
                    seeder
                        .on(
                            wd(&cal, received, 6),
                            &officer,
                            n,
                            OfficerAction::NotProcessable {
                                reason: "Persyaratan tidak dilengkapi dalam 3 hari kerja.".into(),
                            },
                        )
                        .await?;
                }
                continue;
            }
            Fate::Withdrawn => {
                if verify_day <= today {
                    clock.set(at(wd(&cal, received, 2), 11));
                    // The requester withdraws with their own code.
                    app.withdraw(
                        n,
                        &receipt.tracking_code,
                        Some("Informasi sudah diperoleh dari sumber lain.".into()),
                    )
                    .await?;
                }
                continue;
            }
            _ => {}
        }
        sample = Some((receipt.number.clone(), receipt.tracking_code.clone()));
        if !seeder
            .on(verify_day, &officer, n, OfficerAction::Verify)
            .await?
        {
            continue;
        }
        if rng.below(2) == 0 {
            let unit = format!("{slug}-{}", rng.pick(&units).0);
            seeder
                .on(verify_day, &officer, n, OfficerAction::Route { unit })
                .await?;
        }
        let done = match fate {
            Fate::Granted => {
                let decided = seeder
                    .on(
                        wd(&cal, received, quick),
                        &officer,
                        n,
                        decision(
                            "granted",
                            &[],
                            "Informasi terlampir dalam bentuk salinan elektronik.",
                            None,
                            None,
                        ),
                    )
                    .await?;
                if decided && granted.iter().filter(|(b, _)| *b == slug).count() < 8 {
                    granted.push((slug, n.to_owned()));
                }
                decided
            }
            Fate::Partial => {
                seeder
                    .on(
                        wd(&cal, received, quick),
                        &officer,
                        n,
                        decision(
                            "partially_granted",
                            &["17h"],
                            "Data pribadi penerima dihitamkan (Pasal 17 huruf h).",
                            None,
                            None,
                        ),
                    )
                    .await?
            }
            Fate::RejectedExempt => {
                let g = *rng.pick(&["17a", "17h", "17i"]);
                let test = tests
                    .iter()
                    .find(|(tg, _)| *tg == g)
                    .map(|(_, id)| id.to_string());
                let mut action = decision(
                    "rejected_exempt",
                    &[g],
                    "Informasi dikecualikan berdasarkan hasil uji konsekuensi.",
                    None,
                    None,
                );
                if let OfficerAction::Decide(d) = &mut action {
                    d.consequence_test = test.map(serde_json::Value::String);
                }
                seeder
                    .on(wd(&cal, received, quick), &officer, n, action)
                    .await?
            }
            Fate::NotHeld => {
                seeder
                    .on(
                        wd(&cal, received, quick),
                        &officer,
                        n,
                        decision(
                            "not_held",
                            &[],
                            "Informasi dikuasai instansi lain.",
                            Some("BPS Provinsi Jawa Tengah"),
                            None,
                        ),
                    )
                    .await?
            }
            Fate::NotDocumented => {
                seeder
                    .on(
                        wd(&cal, received, quick),
                        &officer,
                        n,
                        decision(
                            "not_documented",
                            &[],
                            "Data belum selesai direkapitulasi.",
                            None,
                            None,
                        ),
                    )
                    .await?
            }
            Fate::ExtendedGranted => {
                seeder
                    .on(
                        wd(&cal, received, 9),
                        &officer,
                        n,
                        OfficerAction::Extend {
                            reason: "Informasi masih dihimpun dari PPID Pelaksana.".into(),
                        },
                    )
                    .await?
                    && seeder
                        .on(
                            wd(&cal, received, 14),
                            &officer,
                            n,
                            decision("granted", &[], "Informasi terlampir.", None, None),
                        )
                        .await?
            }
            Fate::Late => {
                seeder
                    .on(
                        wd(&cal, received, 13),
                        &officer,
                        n,
                        decision(
                            "granted",
                            &[],
                            "Informasi terlampir (terlambat).",
                            None,
                            None,
                        ),
                    )
                    .await?
            }
            Fate::Payment => {
                seeder
                    .on(
                        wd(&cal, received, quick),
                        &officer,
                        n,
                        decision(
                            "granted",
                            &[],
                            "Salinan cetak 120 halaman.",
                            None,
                            Some(60_000),
                        ),
                    )
                    .await?
            }
            Fate::Open => {
                // Older open requests become overdue; recent ones are simply in progress.
                false
            }
            Fate::Withdrawn | Fate::NotProcessable => false,
        };
        if !done {
            continue;
        }
        let after = wd(&cal, received, quick + 2);
        match fate {
            Fate::Granted | Fate::Partial | Fate::ExtendedGranted | Fate::Late => {
                let delivered = seeder
                    .on(
                        after.max(wd(&cal, received, 15)),
                        &officer,
                        n,
                        OfficerAction::Deliver {
                            note: Some("Dikirim melalui surel.".into()),
                        },
                    )
                    .await?;
                if delivered && rng.below(3) > 0 {
                    seeder
                        .on(
                            wd(&cal, received, 17),
                            &officer,
                            n,
                            OfficerAction::Close { note: None },
                        )
                        .await?;
                }
            }
            Fate::Payment => {
                let asked = seeder
                    .on(
                        after,
                        &officer,
                        n,
                        OfficerAction::RequestPayment {
                            amount_idr: 60_000,
                            method: Some("Transfer ke rekening kas daerah".into()),
                        },
                    )
                    .await?;
                if asked && rng.below(2) == 0 {
                    seeder
                        .on(
                            wd(&cal, received, quick + 6),
                            &officer,
                            n,
                            OfficerAction::Deliver {
                                note: Some("Diambil langsung setelah pembayaran.".into()),
                            },
                        )
                        .await?;
                }
            }
            Fate::RejectedExempt | Fate::NotHeld | Fate::NotDocumented => {
                seeder
                    .on(after, &officer, n, OfficerAction::Close { note: None })
                    .await?;
            }
            _ => {}
        }
    }
    Ok(BodySeed {
        entries,
        granted,
        sample,
        count,
        candidates,
    })
}
