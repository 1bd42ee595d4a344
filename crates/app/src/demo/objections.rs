//! Seeding objections and disputes on some of the refused requests.

use time::{Date, Duration};

use super::body::{Fate, decision};
use super::{at, wd};
use crate::clock::FixedClock;
use crate::{App, AppError};

pub(super) struct Candidate {
    pub(super) body: &'static str,
    pub(super) fate: Fate,
    pub(super) number: String,
    pub(super) code: String,
    pub(super) received: Date,
    pub(super) quick: u32,
}

/// Objections on some refused and some ignored requests: dismissed ones that went on to a full
/// dispute chain, upheld ones that reopened the request.
pub(super) async fn seed_objections(
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
