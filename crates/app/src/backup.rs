//! Backup and restore of an installation (issue 15): the database as one consistent snapshot
//! taken beside the running service, every document object, and `manifest.json` with the size
//! and SHA-256 of each file. The key that encrypts identity numbers is never written into the
//! backup folder (the CLI exports it to a file of its own); the search index is not copied
//! either, because it is rebuilt from the database.
//!
//! Order matters for consistency: the database snapshot is taken first and the documents are
//! listed after it. A document's object is stored before its record is committed and objects
//! are never deleted once recorded, so every document the snapshot knows is in the listing;
//! objects stored after the snapshot are copied too and are harmless extras.

pub mod manifest;

use std::path::{Path, PathBuf};

use futures::StreamExt as _;
use lentera_store::Backend;
use sha2::{Digest as _, Sha256};
use tokio::io::AsyncWriteExt as _;

use crate::App;
use crate::storage::StorageError;
use lentera_store::StoreError;
pub use manifest::Manifest;
use manifest::{DatabasePart, DocumentsPart, FileEntry, KeyPart};

/// The folder inside a backup holding each document object under its storage key.
const OBJECTS: &str = "objects";
const SQLITE_FILE: &str = "database.sqlite3";
const PG_FILE: &str = "database.pgdump";

/// What a long step is doing, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Database,
    Documents,
    Checksums,
    Restoring,
    Uploading,
    Indexing,
}

impl Phase {
    pub fn label_id(self) -> &'static str {
        match self {
            Phase::Database => "Menyalin basis data",
            Phase::Documents => "Menyalin dokumen",
            Phase::Checksums => "Memeriksa checksum",
            Phase::Restoring => "Memulihkan basis data",
            Phase::Uploading => "Memulihkan dokumen",
            Phase::Indexing => "Membangun ulang indeks",
        }
    }
}

/// `progress(phase, done, total)`.
pub type Progress<'a> = dyn Fn(Phase, u64, u64) + Sync + 'a;

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0}")]
    Target(String),
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Manifest(String),
    #[error(
        "berkas {0} tidak cocok dengan manifest.json (ukuran atau SHA-256 berbeda: diubah atau rusak); pemulihan ditolak, tidak ada yang ditulis"
    )]
    Tampered(String),
    #[error(
        "manifest.json tidak cocok dengan segelnya di bawah kunci ini: manifest diubah setelah cadangan dibuat; pemulihan ditolak"
    )]
    Unsealed,
    #[error(
        "berkas {0} tercantum di manifest.json tetapi tidak ada di cadangan; pemulihan ditolak"
    )]
    Missing(String),
    #[error(
        "berkas {0} ada di folder cadangan tetapi tidak tercantum di manifest.json; pemulihan ditolak"
    )]
    Unlisted(String),
    #[error(
        "berkas kunci bukan kunci cadangan ini (sidik kunci berbeda); dengan kunci lain NIK tidak terbaca dan kode lacak tidak berlaku"
    )]
    WrongKey,
    #[error(
        "{count} dokumen tercatat di basis data tetapi tidak ada di cadangan maupun di penyimpanan (pertama: {first})"
    )]
    DocumentsMissing { count: usize, first: String },
    #[error("{}", store_text(.0))]
    Store(StoreError),
    #[error("penyimpanan dokumen: {0}")]
    Storage(StorageError),
    #[error("{0}")]
    App(String),
}

/// A refusal of the store's backup half is already a sentence; other errors get a prefix.
fn store_text(e: &StoreError) -> String {
    match e {
        StoreError::Config(text) => text.clone(),
        other => format!("basis data: {other}"),
    }
}

// By hand, not `#[from]`: a source would print the same text twice in the CLI's one line.
impl From<StoreError> for BackupError {
    fn from(e: StoreError) -> Self {
        BackupError::Store(e)
    }
}

impl From<StorageError> for BackupError {
    fn from(e: StorageError) -> Self {
        BackupError::Storage(e)
    }
}

impl BackupError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        BackupError::Io {
            path: path.display().to_string(),
            source,
        }
    }
}

fn kind_name(b: Backend) -> &'static str {
    match b {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    }
}

/// The back end a database URL names.
pub fn backend_of(url: &str) -> Backend {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Backend::Postgres
    } else {
        Backend::Sqlite
    }
}

/// The file of a `sqlite://` URL.
pub fn sqlite_path(url: &str) -> PathBuf {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    PathBuf::from(rest.split('?').next().unwrap_or(rest))
}

/// A new folder readable by its owner only: a backup holds personal data.
fn private_dir(path: &Path) -> Result<(), BackupError> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt as _;
        b.mode(0o700);
    }
    b.create(path).map_err(|e| BackupError::io(path, e))
}

fn is_empty_dir(path: &Path) -> Result<bool, BackupError> {
    let mut entries = std::fs::read_dir(path).map_err(|e| BackupError::io(path, e))?;
    Ok(entries.next().is_none())
}

/// Where a backup is written before it is complete; renamed to the destination at the end, so
/// that a folder named like the destination is always a whole backup.
fn staging_for(dest: &Path) -> Result<PathBuf, BackupError> {
    let name = dest
        .file_name()
        .ok_or_else(|| BackupError::Target(format!("{} bukan nama folder", dest.display())))?;
    let parent = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    Ok(parent.join(format!(
        ".{}.sebagian-{}",
        name.to_string_lossy(),
        uuid::Uuid::now_v7().simple()
    )))
}

async fn hash_blocking(path: PathBuf) -> Result<(u64, String), BackupError> {
    tokio::task::spawn_blocking(move || manifest::hash_file(&path))
        .await
        .map_err(|e| BackupError::App(e.to_string()))?
}

/// Renamed into place, the backup also survives a power cut right after the command returns.
fn sync_dir(path: &Path) {
    if let Ok(d) = std::fs::File::open(path) {
        let _ = d.sync_all();
    }
}

impl App {
    /// Writes a backup of this installation into `dest` (absent or an empty folder) and
    /// records it in the audit log. `database_url` is the URL this app was opened with (the
    /// PostgreSQL tool connects by itself); `who` names the operator in the audit entry.
    pub async fn backup(
        &self,
        database_url: &str,
        dest: &Path,
        who: &str,
        progress: &Progress<'_>,
    ) -> Result<Manifest, BackupError> {
        if dest.exists() && !(dest.is_dir() && is_empty_dir(dest)?) {
            return Err(BackupError::Target(format!(
                "{} sudah ada dan tidak kosong; cadangan tidak pernah menimpa, pilih folder baru",
                dest.display()
            )));
        }
        let staging = staging_for(dest)?;
        private_dir(&staging)?;
        match self.write_backup(database_url, &staging, progress).await {
            Ok(mut m) => {
                m.seal_with(self.secret())?;
                m.write(&staging)?;
                if dest.exists() {
                    std::fs::remove_dir(dest).map_err(|e| BackupError::io(dest, e))?;
                }
                std::fs::rename(&staging, dest).map_err(|e| BackupError::io(dest, e))?;
                if let Some(parent) = dest.parent() {
                    sync_dir(parent);
                }
                let detail = format!(
                    "{} ({}); {} dokumen; {} berkas, {} bita; oleh {who}",
                    m.database.kind,
                    m.database.method,
                    m.documents.count,
                    m.files.len(),
                    m.total_bytes()
                );
                lentera_store::audit::record(
                    &self.db,
                    self.now(),
                    None,
                    "backup.created",
                    "installation",
                    &dest.display().to_string(),
                    &detail,
                )
                .await?;
                Ok(m)
            }
            Err(e) => {
                let _ = std::fs::remove_dir_all(&staging);
                Err(e)
            }
        }
    }

    async fn write_backup(
        &self,
        database_url: &str,
        staging: &Path,
        progress: &Progress<'_>,
    ) -> Result<Manifest, BackupError> {
        let backend = self.db.backend();
        progress(Phase::Database, 0, 1);
        let (file, method) = match backend {
            Backend::Sqlite => {
                lentera_store::backup::sqlite_snapshot(&self.db, &staging.join(SQLITE_FILE))
                    .await?;
                (SQLITE_FILE, "VACUUM INTO".to_owned())
            }
            Backend::Postgres => {
                let version = lentera_store::backup::tool_version("pg_dump").await?;
                lentera_store::backup::pg_dump(database_url, &staging.join(PG_FILE)).await?;
                (PG_FILE, format!("{version} --format=custom"))
            }
        };
        progress(Phase::Database, 1, 1);
        let (size, sha256) = hash_blocking(staging.join(file)).await?;
        let mut files = vec![FileEntry {
            path: file.into(),
            size,
            sha256,
        }];

        // After the snapshot: see the module comment.
        let storage = self.storage();
        let objects = storage.list().await?;
        let total: u64 = objects.iter().map(|(_, s)| s).sum();
        let mut done = 0u64;
        progress(Phase::Documents, 0, total);
        for (key, _) in &objects {
            let rel = format!("{OBJECTS}/{key}");
            let path = staging.join(manifest::safe_relative(&rel)?);
            if let Some(parent) = path.parent() {
                private_dir(parent)?;
            }
            let (_, mut stream) = storage.open(key).await?;
            let mut out = tokio::fs::File::create(&path)
                .await
                .map_err(|e| BackupError::io(&path, e))?;
            let mut h = Sha256::new();
            let mut size = 0u64;
            while let Some(chunk) = stream.next().await {
                let chunk = chunk?;
                h.update(&chunk);
                size += chunk.len() as u64;
                out.write_all(&chunk)
                    .await
                    .map_err(|e| BackupError::io(&path, e))?;
                done += chunk.len() as u64;
                progress(Phase::Documents, done, total.max(done));
            }
            out.sync_all()
                .await
                .map_err(|e| BackupError::io(&path, e))?;
            files.push(FileEntry {
                path: rel,
                size,
                sha256: hex::encode(h.finalize()),
            });
        }
        let now = self.now();
        Ok(Manifest {
            format: manifest::FORMAT.into(),
            format_version: manifest::FORMAT_VERSION,
            lentera_version: env!("CARGO_PKG_VERSION").into(),
            created_at: now
                .to_offset(time::UtcOffset::UTC)
                .format(&time::format_description::well_known::Rfc3339)
                .map_err(|e| BackupError::App(e.to_string()))?,
            database: DatabasePart {
                kind: kind_name(backend).into(),
                method,
                file: file.into(),
            },
            documents: DocumentsPart {
                source: storage.describe(),
                count: objects.len() as u64,
                folder: OBJECTS.into(),
            },
            key: KeyPart {
                included: false,
                fingerprint: self.secret().fingerprint(),
            },
            search_index: "tidak dicadangkan: dibangun ulang dari basis data oleh lentera restore (atau lentera reindex)".into(),
            files,
            seal: None,
        })
    }

    /// The second half of a restore, on the app opened over the restored database (migrated):
    /// the documents into this app's storage, a check that every recorded document is there,
    /// the search index rebuilt, and an audit entry. Returns (documents restored, indexed).
    pub async fn finish_restore(
        &self,
        src: &Path,
        m: &Manifest,
        who: &str,
        progress: &Progress<'_>,
    ) -> Result<(u64, u64), BackupError> {
        let storage = self.storage();
        let prefix = format!("{}/", m.documents.folder);
        let objects: Vec<&FileEntry> = m
            .files
            .iter()
            .filter(|f| f.path.starts_with(&prefix))
            .collect();
        let total: u64 = objects.iter().map(|f| f.size).sum();
        let mut done = 0u64;
        let mut restored = std::collections::HashSet::new();
        progress(Phase::Uploading, 0, total);
        for f in &objects {
            let path = src.join(manifest::safe_relative(&f.path)?);
            let bytes = tokio::fs::read(&path)
                .await
                .map_err(|e| BackupError::io(&path, e))?;
            // Read again after the check: a file changed since then is refused, not restored.
            if hex::encode(Sha256::digest(&bytes)) != f.sha256 {
                return Err(BackupError::Tampered(f.path.clone()));
            }
            let key = &f.path[prefix.len()..];
            storage.put(key, bytes.into()).await?;
            restored.insert(key.to_owned());
            done += f.size;
            progress(Phase::Uploading, done, total);
        }
        let mut missing = Vec::new();
        for key in lentera_store::backup::document_keys(&self.db).await? {
            if !restored.contains(&key) && !storage.exists(&key).await? {
                missing.push(key);
            }
        }
        if let Some(first) = missing.first() {
            return Err(BackupError::DocumentsMissing {
                count: missing.len(),
                first: first.clone(),
            });
        }
        let indexed = self
            .reindex(&|d, t| progress(Phase::Indexing, d, t))
            .await
            .map_err(|e| BackupError::App(e.to_string()))?;
        let detail = format!(
            "cadangan {} (Lentera {}, {}); {} dokumen; oleh {who}",
            m.created_at,
            m.lentera_version,
            m.database.kind,
            restored.len()
        );
        lentera_store::audit::record(
            &self.db,
            self.now(),
            None,
            "backup.restored",
            "installation",
            &src.display().to_string(),
            &detail,
        )
        .await?;
        Ok((restored.len() as u64, indexed))
    }
}

/// A backup goes back into the kind of database it came from.
pub fn check_target_kind(m: &Manifest, database_url: &str) -> Result<Backend, BackupError> {
    let target = backend_of(database_url);
    if m.database.kind != kind_name(target) {
        return Err(BackupError::Target(format!(
            "cadangan ini dari basis data {}, tujuan pemulihan {}: pemulihan lintas jenis basis data tidak didukung",
            m.database.kind,
            kind_name(target)
        )));
    }
    Ok(target)
}

/// The first half of a restore, before any app exists: the database of a verified backup
/// (`m` from [`manifest::verify`]) into an empty target. `force` replaces what is there.
pub async fn restore_database(
    src: &Path,
    m: &Manifest,
    database_url: &str,
    force: bool,
    progress: &Progress<'_>,
) -> Result<(), BackupError> {
    let target = check_target_kind(m, database_url)?;
    let file = src.join(manifest::safe_relative(&m.database.file)?);
    progress(Phase::Restoring, 0, 1);
    match target {
        Backend::Sqlite => {
            let path = sqlite_path(database_url);
            let wal = |suffix: &str| PathBuf::from(format!("{}{suffix}", path.display()));
            if path.exists() {
                if !force {
                    return Err(BackupError::Target(format!(
                        "{} sudah ada; pulihkan ke folder data baru, atau tambahkan --force untuk menggantinya",
                        path.display()
                    )));
                }
                for p in [path.clone(), wal("-wal"), wal("-shm")] {
                    match std::fs::remove_file(&p) {
                        Ok(()) => {}
                        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                        Err(e) => return Err(BackupError::io(&p, e)),
                    }
                }
            }
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                private_dir(parent)?;
            }
            let partial = wal(".sebagian");
            std::fs::copy(&file, &partial).map_err(|e| BackupError::io(&partial, e))?;
            std::fs::File::open(&partial)
                .and_then(|f| f.sync_all())
                .map_err(|e| BackupError::io(&partial, e))?;
            std::fs::rename(&partial, &path).map_err(|e| BackupError::io(&path, e))?;
        }
        Backend::Postgres => {
            lentera_store::backup::tool_version("pg_restore").await?;
            let db = lentera_store::Db::connect(
                database_url,
                &lentera_store::DbOptions {
                    max_pg_connections: 1,
                    ..lentera_store::DbOptions::default()
                },
            )
            .await?;
            let empty = lentera_store::backup::is_empty(&db).await;
            let others = lentera_store::backup::other_sessions(&db).await;
            db.close().await;
            let (empty, others) = (empty?, others?);
            // `--force` replaces an installation, never one in use: a node still serving would
            // go on acknowledging requests into tables the restore is about to drop.
            if !empty && others > 0 {
                return Err(BackupError::Target(format!(
                    "basis data {} sedang dipakai ({others} sesi lain terhubung: node `lentera serve` yang masih berjalan?); hentikan semua node dulu, lalu pulihkan",
                    lentera_store::redact_url(database_url)
                )));
            }
            if !empty && !force {
                return Err(BackupError::Target(format!(
                    "basis data {} tidak kosong; pulihkan ke basis data baru, atau tambahkan --force untuk menggantinya",
                    lentera_store::redact_url(database_url)
                )));
            }
            lentera_store::backup::pg_restore(database_url, &file, !empty).await?;
        }
    }
    progress(Phase::Restoring, 1, 1);
    Ok(())
}
