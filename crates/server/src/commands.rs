//! The administrative commands that open the installation as [`Role::Admin`] (beside a running
//! service) or rebuild its index: `reindex`, `body`, `user`, `audit verify`; `calendar` and the
//! benchmark corpus have a file each below `commands/`.

mod bench;
mod calendar;

pub(crate) use bench::bench_corpus;
pub(crate) use calendar::calendar;

use std::io::Read;
use std::sync::Arc;

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};
use lentera_app::SystemClock;
use lentera_app::auth::NewUser;
use lentera_app::bodies::NewBody;

use crate::cli::StoreArgs;
use crate::open::{Role, explain, open, open_as};

/// `lentera reindex`: rebuilds the search index from the database, with a progress bar.
pub(crate) async fn reindex(store: &StoreArgs) -> anyhow::Result<()> {
    let app = open(store, true, Arc::new(SystemClock)).await?;
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message("Membangun ulang indeks");
    let n = app
        .reindex(&|done, total| {
            bar.set_length(total);
            bar.set_position(done);
        })
        .await
        .map_err(explain)?;
    bar.finish();
    println!("Indeks pencarian dibangun ulang: {n} dokumen.");
    Ok(())
}

/// `lentera body add`.
pub(crate) async fn add_body(store: &StoreArgs, body: &NewBody) -> anyhow::Result<()> {
    let app = open_as(store, true, Arc::new(SystemClock), Role::Admin).await?;
    let b = app.create_body(body).await.map_err(explain)?;
    println!(
        "Badan publik ditambahkan: {} ({}){}",
        b.slug,
        lentera_domain::BodyKind::parse(&b.kind).map_or(b.kind.as_str(), |k| k.label_id()),
        b.parent.map(|p| format!(", induk {p}")).unwrap_or_default()
    );
    Ok(())
}

/// `lentera body list`: one tab-separated line per body or unit.
pub(crate) async fn list_bodies(store: &StoreArgs) -> anyhow::Result<()> {
    let app = open_as(store, true, Arc::new(SystemClock), Role::Admin).await?;
    for b in app.list_bodies().await.map_err(explain)? {
        println!(
            "{}\t{}\t{}\t{}",
            b.slug,
            b.kind,
            b.parent.unwrap_or_else(|| "-".into()),
            b.name
        );
    }
    Ok(())
}

/// `lentera user add`: the password comes from standard input, read before anything opens.
pub(crate) async fn add_user(
    store: &StoreArgs,
    email: String,
    role: String,
    body: String,
    name: Option<String>,
) -> anyhow::Result<()> {
    let password = read_password()?;
    let app = open_as(store, true, Arc::new(SystemClock), Role::Admin).await?;
    app.create_user(&NewUser {
        email: email.clone(),
        display_name: name,
        role,
        body,
        password,
    })
    .await
    .map_err(explain)?;
    println!("Petugas ditambahkan: {email}");
    Ok(())
}

fn read_password() -> anyhow::Result<String> {
    let mut s = String::new();
    std::io::stdin()
        .read_to_string(&mut s)
        .context("cannot read the password from standard input")?;
    let p = s.trim_end_matches(['\n', '\r']).to_owned();
    if p.is_empty() {
        bail!("no password on standard input");
    }
    Ok(p)
}

/// `lentera audit verify`: walks the chain; one line of result, exit 1 when it is broken.
pub(crate) async fn audit_verify(store: &StoreArgs) -> anyhow::Result<()> {
    use lentera_store::audit::BreakReason;
    let app = open_as(store, true, Arc::new(SystemClock), Role::Admin).await?;
    let bar = ProgressBar::new_spinner();
    bar.set_message("Memeriksa rantai log audit");
    let (ok, broken) = lentera_store::audit::verify(&app.db, &|n| {
        bar.set_message(format!("Memeriksa rantai log audit: {n} catatan"));
    })
    .await
    .map_err(|e| explain(e.into()))?;
    bar.finish_and_clear();
    let Some(b) = broken else {
        println!(
            "Rantai log audit utuh: {ok} catatan diperiksa, tidak ada yang diubah atau dihapus."
        );
        return Ok(());
    };
    let why = match b.reason {
        BreakReason::Edited => "isinya diubah setelah dicatat",
        BreakReason::Relinked => "tidak menunjuk ke catatan sebelumnya (diganti atau disisipkan)",
        BreakReason::Missing => "hilang (dihapus)",
        BreakReason::Unsealed => "ditulis di luar aplikasi, tanpa tautan rantai",
    };
    let id = b.id.map(|i| format!(" ({i})")).unwrap_or_default();
    bail!(
        "Rantai log audit RUSAK pada catatan #{}{id}: {why}. {ok} catatan sebelumnya utuh.",
        b.seq
    )
}
