//! Demo data: a province with two regencies, their PPID units and officers, and a year of
//! requests in every state, made through the same use cases as real traffic (so every event
//! is in the log) with the clock moved to each event's day.

use std::fmt::Write as _;

use lentera_domain::submission::{RawApplicant, RawSubmission};
use lentera_domain::{TimeZone, WorkingCalendar};
use time::{Date, Duration, OffsetDateTime, Time};

use crate::auth::{NewUser, OfficerCtx};
use crate::bodies::NewBody;
use crate::clock::FixedClock;
use crate::requests::{DecisionInput, Intake, OfficerAction};
use crate::{App, AppError};

pub const DEMO_PASSWORD: &str = "lentera-demo-2026";

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

/// A small deterministic generator so the demo is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let i = usize::try_from(self.below(items.len() as u64)).unwrap_or(0);
        &items[i.min(items.len() - 1)]
    }
}

fn at(day: Date, hour: u8) -> OffsetDateTime {
    // 09:00 WIB and so on, as UTC.
    let local = day.with_time(Time::from_hms(hour, 17, 0).unwrap_or(Time::MIDNIGHT));
    local
        .assume_offset(TimeZone::Wib.offset())
        .to_offset(time::UtcOffset::UTC)
}

#[derive(Debug, Clone, Copy)]
enum Fate {
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

fn fate(r: &mut Rng) -> Fate {
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

fn decision(
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

fn wd(cal: &WorkingCalendar, from: Date, n: u32) -> Date {
    cal.add_working_days(from, n).unwrap_or(from)
}

/// Seeds an empty database and returns the text the demo prints.
pub async fn seed(app: &App, clock: &FixedClock) -> Result<String, AppError> {
    // The demo's "now" is the clock's when seeding starts (the real time, or LENTERA_TODAY's
    // day): nothing is seeded later than it.
    let now = crate::clock::Clock::now(clock);
    clock.cap_at(now);
    let today = TimeZone::Wib.date_of(now);
    let start = today - Duration::days(364);
    clock.set(at(start - Duration::days(30), 8));

    let province = "jateng";
    let bodies = [
        (
            province,
            "Pemerintah Provinsi Jawa Tengah",
            "province",
            None,
        ),
        (
            "kab-banyumas",
            "Pemerintah Kabupaten Banyumas",
            "regency",
            Some(province),
        ),
        (
            "kab-kendal",
            "Pemerintah Kabupaten Kendal",
            "regency",
            Some(province),
        ),
    ];
    let units = [
        ("dinkes", "Dinas Kesehatan"),
        ("disdik", "Dinas Pendidikan"),
        ("bappeda", "Bappeda"),
        ("dpu", "Dinas Pekerjaan Umum"),
    ];
    for (slug, name, kind, parent) in bodies {
        app.create_body(&NewBody {
            slug: slug.into(),
            name: name.into(),
            kind: Some(kind.into()),
            parent: parent.map(str::to_owned),
            ..NewBody::default()
        })
        .await?;
        for (u, uname) in units {
            app.create_body(&NewBody {
                slug: format!("{slug}-{u}"),
                name: format!("{uname} — {}", name.trim_start_matches("Pemerintah ")),
                kind: Some("unit".into()),
                parent: Some(slug.into()),
                ..NewBody::default()
            })
            .await?;
        }
    }
    let banyumas = app
        .body_by_slug("kab-banyumas")
        .await?
        .ok_or(AppError::NotFound("body.not_found"))?;
    app.record_closure(
        &banyumas,
        Date::from_calendar_date(today.year(), time::Month::April, 6).unwrap_or(today),
        "Hari Jadi Kabupaten Banyumas",
        None,
    )
    .await
    .or_else(|e| {
        if matches!(e, AppError::CalendarIncomplete(_)) {
            Ok(())
        } else {
            Err(e)
        }
    })?;

    let mut accounts = vec![
        ("admin@lentera.demo", "admin", province),
        ("ppid@jateng.demo", "ppid", province),
        ("atasan@jateng.demo", "supervisor", province),
        ("pemantau@jateng.demo", "viewer", province),
        ("ppid@banyumas.demo", "ppid", "kab-banyumas"),
        ("atasan@banyumas.demo", "supervisor", "kab-banyumas"),
        ("ppid@kendal.demo", "ppid", "kab-kendal"),
    ];
    let unit_accounts = [
        ("dinkes@banyumas.demo", "kab-banyumas-dinkes"),
        ("disdik@jateng.demo", "jateng-disdik"),
    ];
    // One Argon2 hash (its own salt) for the shared, published demo password.
    let hash = tokio::task::spawn_blocking(|| crate::auth::hash_password(DEMO_PASSWORD))
        .await
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("password hashing stopped: {e}")))??;
    for (email, body) in unit_accounts {
        accounts.push((email, "ppid_unit", body));
    }
    let new_users: Vec<NewUser> = accounts
        .iter()
        .map(|(email, role, body)| NewUser {
            email: (*email).into(),
            display_name: None,
            role: (*role).into(),
            body: (*body).into(),
            password: DEMO_PASSWORD.into(),
        })
        .collect();
    for u in &new_users {
        app.create_user_hashed(u, Some(&hash), None).await?;
    }

    app.defer_index(true);
    // The three bodies are seeded side by side, each with its own time (the writer commits
    // their events together): a third of the wall time of one after the other.
    let seed_one = |i: u64, slug: &'static str| {
        FixedClock::scoped(seed_body(
            app,
            clock,
            today,
            start,
            slug,
            units,
            Rng(0x5EED_1E47_E4A0_2026 ^ (i << 40)),
        ))
    };
    let seeded = tokio::try_join!(
        seed_one(0, bodies[0].0),
        seed_one(1, bodies[1].0),
        seed_one(2, bodies[2].0),
    )?;
    let mut entries = 0usize;
    let mut granted: Vec<(&str, String)> = Vec::new();
    let mut sample = None;
    let mut count = 0usize;
    let mut candidates: Vec<Candidate> = Vec::new();
    for b in [seeded.0, seeded.1, seeded.2] {
        entries += b.entries;
        granted.extend(b.granted);
        sample = b.sample.or(sample);
        count += b.count;
        candidates.extend(b.candidates);
    }
    let objections = seed_objections(app, clock, today, &candidates).await?;
    clock.set(now);

    let mut published = 0usize;
    for (slug, _, _, _) in bodies {
        let email = match slug {
            "jateng" => "ppid@jateng.demo",
            "kab-banyumas" => "ppid@banyumas.demo",
            _ => "ppid@kendal.demo",
        };
        let officer = app
            .officer(lentera_store::users::get_by_email(&app.db, email).await?)
            .await?;
        let numbers: Vec<String> = granted
            .iter()
            .filter(|(b, _)| *b == slug)
            .map(|(_, n)| n.clone())
            .collect();
        clock.set(at(today, 8));
        published += crate::demo_register::seed_publications(app, &officer, &numbers).await?;
    }
    app.defer_index(false);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{entries} entri Daftar Informasi Publik, 9 uji konsekuensi (DIK), {published} jawaban dipublikasikan."
    );
    let _ = writeln!(
        out,
        "{objections} keberatan, sebagian berlanjut ke sengketa di Komisi Informasi."
    );
    let _ = writeln!(
        out,
        "Badan publik: jateng (provinsi), kab-banyumas, kab-kendal; masing-masing dengan 4 PPID Pelaksana."
    );
    let _ = writeln!(
        out,
        "{count} permohonan selama setahun terakhir, dalam semua status."
    );
    let _ = writeln!(out, "Akun petugas demo (kata sandi: {DEMO_PASSWORD}):");
    for (email, role, body) in &accounts {
        let _ = writeln!(out, "  {email:<24} {role:<11} {body}");
    }
    if let Some((number, code)) = sample {
        let _ = writeln!(out, "Contoh pelacakan: nomor {number}, kode {code}");
    }
    Ok(out)
}

/// What seeding one body produced.
struct BodySeed {
    entries: usize,
    granted: Vec<(&'static str, String)>,
    sample: Option<(String, String)>,
    count: usize,
    candidates: Vec<Candidate>,
}

/// Seeds one body: its register, consequence tests and a year of requests in every state.
async fn seed_body(
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
    let tests = crate::demo_register::seed_tests(app, &officer, register_day, &code).await?;
    let items = match slug {
        "jateng" => 17,
        "kab-banyumas" => 12,
        _ => 7,
    };
    let entries =
        crate::demo_register::seed_entries(app, &officer, register_day.year(), items).await?;
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

struct Candidate {
    body: &'static str,
    fate: Fate,
    number: String,
    code: String,
    received: Date,
    quick: u32,
}

/// Objections on some refused and some ignored requests: dismissed ones that went on to a full
/// dispute chain, upheld ones that reopened the request.
async fn seed_objections(
    app: &App,
    clock: &FixedClock,
    today: Date,
    candidates: &[Candidate],
) -> Result<usize, AppError> {
    use crate::objections::DisputeInput;
    let mut filed = 0;
    for body in ["jateng", "kab-banyumas", "kab-kendal"] {
        let (ppid_email, atasan_email) = match body {
            "jateng" => ("ppid@jateng.demo", "atasan@jateng.demo"),
            "kab-banyumas" => ("ppid@banyumas.demo", "atasan@banyumas.demo"),
            _ => ("ppid@kendal.demo", "atasan@jateng.demo"),
        };
        let ppid = app
            .officer(lentera_store::users::get_by_email(&app.db, ppid_email).await?)
            .await?;
        let atasan = lentera_store::users::get_by_email(&app.db, atasan_email).await?;
        let atasan = app.officer(atasan).await?;
        let supervises = atasan.home.row.slug == body;
        let cal = std::sync::Arc::clone(&ppid.home.calendar);
        let mine = || {
            candidates
                .iter()
                .filter(|c| c.body == body && c.received < today - Duration::days(120))
        };
        for (i, c) in mine()
            .filter(|c| matches!(c.fate, Fate::RejectedExempt))
            .take(2)
            .enumerate()
        {
            let on = wd(&cal, c.received, c.quick + 3);
            clock.set(at(on, 10));
            let o = app
                .file_objection(
                    &c.number,
                    &c.code,
                    &["a".to_owned()],
                    "Informasi yang diminta bukan rahasia pribadi.",
                    None,
                )
                .await?;
            filed += 1;
            if !supervises {
                continue;
            }
            let answer = wd(&cal, on, 20);
            if answer > today {
                continue;
            }
            clock.set(at(answer, 10));
            app.decide_objection(
                &atasan,
                &o.number,
                "dismissed",
                "Penolakan PPID telah didasarkan pada uji konsekuensi.",
            )
            .await?;
            if i > 0 {
                continue;
            }
            let steps: [(&str, u32, DisputeInput); 8] = [
                (
                    "filed",
                    5,
                    DisputeInput {
                        commission: Some("Komisi Informasi Provinsi Jawa Tengah".into()),
                        ..DisputeInput::default()
                    },
                ),
                (
                    "registered",
                    7,
                    DisputeInput {
                        ki_number: Some(format!("0{}/REG-PSI/KIP-JTG/{}", filed, answer.year())),
                        ..DisputeInput::default()
                    },
                ),
                (
                    "session",
                    15,
                    DisputeInput {
                        stage: Some("mediation".into()),
                        note: Some("Mediasi pertama".into()),
                        ..DisputeInput::default()
                    },
                ),
                ("mediation_failed", 20, DisputeInput::default()),
                (
                    "session",
                    30,
                    DisputeInput {
                        stage: Some("adjudication".into()),
                        note: Some("Pemeriksaan para pihak".into()),
                        ..DisputeInput::default()
                    },
                ),
                (
                    "ruled",
                    50,
                    DisputeInput {
                        ruling: Some("partially_granted".into()),
                        number: Some(format!("0{}/PTS-A/KIP-JTG/{}", filed, answer.year())),
                        ..DisputeInput::default()
                    },
                ),
                ("final", 66, DisputeInput::default()),
                (
                    "complied",
                    72,
                    DisputeInput {
                        evidence: Some(
                            "Salinan informasi dengan bagian data pribadi dihitamkan diserahkan."
                                .into(),
                        ),
                        ..DisputeInput::default()
                    },
                ),
            ];
            for (step, after, mut input) in steps {
                let day = wd(&cal, answer, after);
                if day > today {
                    break;
                }
                clock.set(at(day, 11));
                input.on = Some(day.to_string());
                app.dispute_step(&ppid, &o.number, step, &input).await?;
            }
        }
        for c in mine().filter(|c| matches!(c.fate, Fate::Open)).take(1) {
            let Ok(due) = cal.due_date(c.received, 10) else {
                continue;
            };
            let on = wd(&cal, due, 2);
            if on > today {
                continue;
            }
            clock.set(at(on, 10));
            let o = app
                .file_objection(
                    &c.number,
                    &c.code,
                    &["c".to_owned()],
                    "Permohonan tidak ditanggapi.",
                    None,
                )
                .await?;
            filed += 1;
            let answer = wd(&cal, on, 12);
            if !supervises || answer > today {
                continue;
            }
            clock.set(at(answer, 10));
            app.decide_objection(
                &atasan,
                &o.number,
                "upheld",
                "PPID diperintahkan memberikan jawaban dalam 10 hari kerja.",
            )
            .await?;
            let reply = wd(&cal, answer, 6);
            if reply <= today {
                clock.set(at(reply, 10));
                app.act(
                    &ppid,
                    &c.number,
                    decision(
                        "granted",
                        &[],
                        "Informasi diberikan setelah keberatan dikabulkan.",
                        None,
                        None,
                    ),
                )
                .await?;
            }
        }
    }
    Ok(filed)
}
