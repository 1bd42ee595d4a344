//! `lentera`: the one binary. Serves the portal and API, seeds a demo, runs migrations and the
//! few administrative commands of the contract.
//!
//! The command line is `cli.rs`; opening an installation `open.rs`; the service and the demo
//! `serve.rs`; the administrative commands `commands.rs` (calendar and benchmark corpus below
//! `commands/`) and `backup.rs`.

mod backup;
mod cli;
mod commands;
mod open;
mod serve;

use std::sync::Arc;

use clap::Parser;
use lentera_app::SystemClock;

use cli::{AuditCommand, BodyCommand, Cli, Command, UserCommand};
// `backup.rs` reaches these as `crate::…`.
use cli::StoreArgs;
use open::{Role, database_url, open, open_as, private_folder, service_clock};

/// A serving process logs its work; an admin command prints its own result and logs only
/// warnings, so its output stays readable. Colours only on a terminal.
fn init_tracing(serving: bool) {
    use std::io::IsTerminal;
    let default = if serving {
        "info,sqlx=warn,tower_http=warn"
    } else {
        "warn,sqlx=error"
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("LENTERA_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
}

fn main() -> std::process::ExitCode {
    // A bug must never show a user a backtrace: one line, and a non-zero exit.
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown".into());
        let first = what.lines().next().unwrap_or("").to_owned();
        eprintln!("lentera: internal error: {first} (please report it)");
    }));
    let cli = Cli::parse();
    init_tracing(matches!(
        cli.command,
        Command::Serve { .. } | Command::Demo { .. }
    ));
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("lentera: cannot start: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // One line per problem: the chain of causes joined, never a backtrace.
            let text = e
                .chain()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(": ");
            eprintln!("lentera: {text}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve { store, listen } => {
            serve::run_server(open(&store, true, service_clock()?).await?, &listen).await
        }
        Command::Demo { listen, data_dir } => serve::demo(&listen, data_dir).await,
        Command::Reindex { store } => commands::reindex(&store).await,
        Command::BenchCorpus {
            store,
            docs,
            queries,
        } => commands::bench_corpus(&store, docs, queries),
        Command::Migrate { store } => {
            let app = open_as(&store, true, Arc::new(SystemClock), Role::Admin).await?;
            println!("Migrasi selesai ({:?}).", app.db.backend());
            Ok(())
        }
        Command::Body {
            command:
                BodyCommand::Add {
                    slug,
                    name,
                    parent,
                    kind,
                    time_zone,
                    store,
                },
        } => {
            let body = lentera_app::bodies::NewBody {
                slug,
                name,
                kind,
                parent,
                time_zone,
                collective_leave_is_working: false,
            };
            commands::add_body(&store, &body).await
        }
        Command::Body {
            command: BodyCommand::List { store },
        } => commands::list_bodies(&store).await,
        Command::User {
            command:
                UserCommand::Add {
                    email,
                    role,
                    body,
                    name,
                    password_stdin: _,
                    store,
                },
        } => commands::add_user(&store, email, role, body, name).await,
        Command::Backup {
            dest,
            key_out,
            store,
        } => backup::backup(&store, &dest, key_out.as_deref()).await,
        Command::Restore {
            src,
            key,
            force,
            check,
            store,
        } => backup::restore(&store, &src, key.as_deref(), force, check).await,
        Command::Calendar { command } => commands::calendar(command).await,
        Command::Audit {
            command: AuditCommand::Verify { store },
        } => commands::audit_verify(&store).await,
    }
}
