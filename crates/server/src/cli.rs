//! The command line: `lentera <command>` with its options, as clap reads them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "lentera",
    version,
    about = "Layanan informasi publik (PPID) — UU 14/2008"
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Args, Clone)]
pub(crate) struct StoreArgs {
    /// Folder for the embedded database, the key file and documents.
    #[arg(long, env = "LENTERA_DATA_DIR", default_value = "./lentera-data")]
    pub(crate) data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; default: SQLite in the data folder.
    #[arg(long, env = "LENTERA_DATABASE_URL")]
    pub(crate) database_url: Option<String>,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Run the service.
    Serve {
        #[command(flatten)]
        store: StoreArgs,
        #[arg(long, env = "LENTERA_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
    },
    /// Run the service on a fresh data folder seeded with demo bodies, officers and a year of requests.
    Demo {
        #[arg(long, env = "LENTERA_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
        /// Where to put the demo data (default: a new temporary folder).
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
    /// Apply database migrations and exit.
    Migrate {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Rebuild the search index from the database.
    Reindex {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Fill the search index with a generated corpus (for the search benchmark only).
    #[command(hide = true)]
    BenchCorpus {
        #[command(flatten)]
        store: StoreArgs,
        #[arg(long, default_value_t = 1_000_000)]
        docs: usize,
        /// Also write this many sample queries to `{data_dir}/queries.txt` (URL query strings).
        #[arg(long, default_value_t = 0)]
        queries: usize,
    },
    /// Public bodies and PPID units.
    Body {
        #[command(subcommand)]
        command: BodyCommand,
    },
    /// Officers.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// The national holiday calendar (SKB libur nasional dan cuti bersama).
    Calendar {
        #[command(subcommand)]
        command: CalendarCommand,
    },
    /// Back up the database, the documents and a manifest with their checksums into a new
    /// folder, also while `lentera serve` runs. The encryption key is never put in it.
    Backup {
        /// A new (or empty) folder.
        dest: PathBuf,
        /// Also export the encryption key to this file (0600), outside the backup folder.
        #[arg(long)]
        key_out: Option<PathBuf>,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Restore a backup into a fresh data folder (or an empty PostgreSQL database): every
    /// checksum first, then the database, the documents, migrations and the search index.
    Restore {
        /// The backup folder (with manifest.json).
        src: PathBuf,
        /// The key file exported with the backup (`lentera backup --key-out`).
        #[arg(long, required_unless_present = "check")]
        key: Option<PathBuf>,
        /// Replace a data folder or database that is not empty.
        #[arg(long)]
        force: bool,
        /// Only verify the backup (checksums; with --key also the key and the manifest's seal);
        /// nothing is written.
        #[arg(long)]
        check: bool,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// The audit log of officer and admin actions.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Subcommand)]
pub(crate) enum AuditCommand {
    /// Check the hash chain of the audit log; exit status 1 names the first broken link.
    Verify {
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Subcommand)]
pub(crate) enum CalendarCommand {
    /// Load a year or an amendment (JSON in the shipped format, or CSV
    /// `date,kind,name,legal_basis`) and recompute every open deadline it moves.
    Import {
        file: PathBuf,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Show what loading a file would move, without loading it.
    Preview {
        file: PathBuf,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// The years in force with their version and legal basis.
    List {
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Subcommand)]
pub(crate) enum BodyCommand {
    /// Add a public body or a PPID unit (a unit has --parent).
    Add {
        #[arg(long)]
        slug: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        parent: Option<String>,
        /// ministry, agency, province, regency, city, bumn, bumd, university, unit
        #[arg(long)]
        kind: Option<String>,
        /// wib, wita or wit
        #[arg(long)]
        time_zone: Option<String>,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// List bodies and units.
    List {
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Subcommand)]
pub(crate) enum UserCommand {
    /// Add an officer; the password is read from standard input.
    Add {
        #[arg(long)]
        email: String,
        /// admin, ppid, ppid_unit, supervisor (atasan PPID), viewer
        #[arg(long)]
        role: String,
        #[arg(long)]
        body: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long, required = true)]
        password_stdin: bool,
        #[command(flatten)]
        store: StoreArgs,
    },
}
