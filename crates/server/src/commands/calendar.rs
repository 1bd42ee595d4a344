//! `lentera calendar import|preview|list`: the national calendar files of the Komisi
//! Informasi's years, with the deadlines they move.

use std::sync::Arc;

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};
use lentera_app::SystemClock;

use crate::cli::CalendarCommand;
use crate::open::{Role, explain, open_as};

fn read_calendar_file(file: &std::path::Path) -> anyhow::Result<String> {
    let meta =
        std::fs::metadata(file).with_context(|| format!("cannot read {}", file.display()))?;
    if meta.len() > 1024 * 1024 {
        bail!(
            "{} is larger than 1 MiB; a calendar year is a few kilobytes",
            file.display()
        );
    }
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    String::from_utf8(bytes).map_err(|_| anyhow::anyhow!("{} is not UTF-8 text", file.display()))
}

pub(crate) async fn calendar(command: CalendarCommand) -> anyhow::Result<()> {
    match command {
        CalendarCommand::Import { file, store } => {
            let text = read_calendar_file(&file)?;
            let app = open_as(&store, true, Arc::new(SystemClock), Role::Admin).await?;
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.set_message("Menghitung ulang tenggat");
            let who = format!(
                "lentera calendar import ({})",
                std::env::var("USER").unwrap_or_else(|_| "shell".into())
            );
            let out = app
                .import_calendar(&text, "cli", &who, &|n| {
                    bar.set_message(format!("Menghitung ulang tenggat: {n} berubah"));
                    bar.tick();
                })
                .await
                .map_err(explain)?;
            bar.finish_and_clear();
            if out.unchanged {
                println!(
                    "Kalender {} versi {} sudah berlaku; tidak ada yang berubah.",
                    out.year, out.version
                );
            } else {
                println!(
                    "Kalender {} versi {} dimuat; {} tenggat kasus terbuka dihitung ulang.",
                    out.year, out.version, out.recomputed
                );
            }
            Ok(())
        }
        CalendarCommand::Preview { file, store } => {
            let text = read_calendar_file(&file)?;
            let app = open_as(&store, true, Arc::new(SystemClock), Role::Admin).await?;
            let p = app.preview_calendar(&text).await.map_err(explain)?;
            println!(
                "Tahun {} versi {} (berlaku sekarang: {}): {} hari libur, {} ditambah, {} dihapus, {} berubah jenis.",
                p.year.year,
                p.year.version,
                p.in_force.as_deref().unwrap_or("sementara"),
                p.year.days.len(),
                p.diff.added.len(),
                p.diff.removed.len(),
                p.diff.changed.len()
            );
            if p.unchanged {
                println!("Isi yang sama sudah berlaku; memuatnya tidak mengubah apa pun.");
            }
            println!("{} kasus terbuka akan bergeser tenggatnya.", p.moves.len());
            for m in p.moves.iter().take(50) {
                println!(
                    "{}\t{}\t{}\t{} → {} ({:+} hari)",
                    m.kind,
                    m.body,
                    m.number,
                    m.from,
                    m.to,
                    m.days()
                );
            }
            if p.moves.len() > 50 {
                println!("… dan {} lainnya.", p.moves.len() - 50);
            }
            Ok(())
        }
        CalendarCommand::List { store } => {
            let app = open_as(&store, true, Arc::new(SystemClock), Role::Admin).await?;
            println!("tahun\tversi\tstatus\thari\tdimuat\toleh\tditerapkan\tdasar hukum");
            for y in app.calendar_years().await.map_err(explain)? {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    y.year,
                    y.version,
                    if y.status == "confirmed" {
                        "ditetapkan"
                    } else {
                        "rancangan"
                    },
                    y.days,
                    y.loaded_at.date(),
                    y.loaded_by,
                    if y.applied { "ya" } else { "sedang dihitung" },
                    y.instrument
                );
            }
            Ok(())
        }
    }
}
