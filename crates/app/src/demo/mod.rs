//! Demo data: a province with two regencies, their PPID units and officers, and a year of
//! requests in every state, made through the same use cases as real traffic (so every event
//! is in the log) with the clock moved to each event's day.

use std::fmt::Write as _;

use lentera_domain::{TimeZone, WorkingCalendar};
use time::{Date, Duration, OffsetDateTime, Time};

use crate::auth::NewUser;
use crate::bodies::NewBody;
use crate::clock::FixedClock;
use crate::{App, AppError};

mod body;
mod objections;
mod register;

use body::seed_body;
use objections::{Candidate, seed_objections};

pub const DEMO_PASSWORD: &str = "lentera-demo-2026";

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

fn wd(cal: &WorkingCalendar, from: Date, n: u32) -> Date {
    cal.add_working_days(from, n).unwrap_or(from)
}

/// Seeds an empty database and returns the text the demo prints.
/// The demo issues the letters of this many last days of its year of cases.
const DEMO_LETTER_DAYS: i64 = 21;

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
        published += register::seed_publications(app, &officer, &numbers).await?;
    }
    app.defer_index(false);
    // A year of cases calls for over a thousand letters; typesetting them all would keep the
    // demo busy for minutes. The letters of the last weeks are issued, as they would have been.
    let kept_from = today - Duration::days(DEMO_LETTER_DAYS);
    let dropped = lentera_store::letters::discard_jobs_before(&app.db, kept_from).await?;
    tracing::debug!(dropped, "demo: older letter jobs left out");
    let dropped =
        lentera_store::mail::discard_pending_before(&app.db, kept_from.midnight().assume_utc())
            .await?;
    tracing::debug!(dropped, "demo: older mails left out");
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
