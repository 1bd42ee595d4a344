//! `manifest.json`: what a backup folder holds, with the size and SHA-256 of every file, and
//! the check that refuses a folder in which anything differs from it.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use super::BackupError;
use crate::Secret;

pub const FILE_NAME: &str = "manifest.json";
pub const FORMAT: &str = "lentera-backup";
/// Raised when a restore of an older version could no longer read the folder.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    pub lentera_version: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub database: DatabasePart,
    pub documents: DocumentsPart,
    pub key: KeyPart,
    /// Why the search index is absent (it is rebuilt from the database).
    pub search_index: String,
    pub files: Vec<FileEntry>,
    /// HMAC of the manifest without this field under the installation key; checked when the
    /// key is given. Absent only in a manifest being written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct DatabasePart {
    /// `sqlite` or `postgres`.
    pub kind: String,
    /// How the copy was taken (`VACUUM INTO`, `pg_dump (PostgreSQL) 15.x --format=custom`).
    pub method: String,
    /// The file in the folder.
    pub file: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct DocumentsPart {
    /// Where they were read from (`local:/…`, `s3:bucket/prefix`); never a credential.
    pub source: String,
    pub count: u64,
    /// The folder inside the backup holding every object under its storage key.
    pub folder: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct KeyPart {
    /// Always false: the key that encrypts identity numbers travels separately.
    pub included: bool,
    /// [`Secret::fingerprint`] of the key the data needs.
    pub fingerprint: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileEntry {
    /// Relative to the backup folder, `/`-separated.
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

impl Manifest {
    fn unsealed_bytes(&self) -> Result<Vec<u8>, BackupError> {
        let mut m = self.clone();
        m.seal = None;
        serde_json::to_vec(&m).map_err(|e| BackupError::Manifest(e.to_string()))
    }

    pub fn seal_with(&mut self, secret: &Secret) -> Result<(), BackupError> {
        self.seal = None;
        self.seal = Some(secret.seal(&self.unsealed_bytes()?));
        Ok(())
    }

    /// The key given belongs to this backup, and the manifest is the one written with it.
    pub fn check_key(&self, secret: &Secret) -> Result<(), BackupError> {
        if secret.fingerprint() != self.key.fingerprint {
            return Err(BackupError::WrongKey);
        }
        let expected = secret.seal(&self.unsealed_bytes()?);
        if self.seal.as_deref() != Some(expected.as_str()) {
            return Err(BackupError::Unsealed);
        }
        Ok(())
    }

    pub fn total_bytes(&self) -> u64 {
        self.files.iter().map(|f| f.size).sum()
    }

    pub fn write(&self, folder: &Path) -> Result<(), BackupError> {
        let text =
            serde_json::to_vec_pretty(self).map_err(|e| BackupError::Manifest(e.to_string()))?;
        let path = folder.join(FILE_NAME);
        std::fs::write(&path, text).map_err(|e| BackupError::io(&path, e))
    }

    pub fn read(folder: &Path) -> Result<Manifest, BackupError> {
        let path = folder.join(FILE_NAME);
        let bytes = std::fs::read(&path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                BackupError::Manifest(format!(
                    "{} tidak ada: {} bukan folder cadangan Lentera, atau pencadangannya tidak selesai",
                    path.display(),
                    folder.display()
                ))
            } else {
                BackupError::io(&path, e)
            }
        })?;
        let m: Manifest = serde_json::from_slice(&bytes)
            .map_err(|e| BackupError::Manifest(format!("{FILE_NAME} tidak terbaca: {e}")))?;
        if m.format != FORMAT {
            return Err(BackupError::Manifest(format!(
                "{FILE_NAME} bukan manifest cadangan Lentera (format {:?})",
                m.format
            )));
        }
        if m.format_version > FORMAT_VERSION {
            return Err(BackupError::Manifest(format!(
                "cadangan berformat versi {} dibuat oleh Lentera {}; versi ini hanya membaca sampai versi {FORMAT_VERSION}",
                m.format_version, m.lentera_version
            )));
        }
        for f in &m.files {
            safe_relative(&f.path)?;
        }
        Ok(m)
    }
}

/// A manifest path may only name a file inside the folder.
pub fn safe_relative(path: &str) -> Result<PathBuf, BackupError> {
    let bad = path.is_empty()
        || path.starts_with('/')
        || path.contains('\\')
        || path
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == "..");
    if bad {
        return Err(BackupError::Manifest(format!(
            "{FILE_NAME} menyebut jalur yang tidak aman: {path:?}"
        )));
    }
    Ok(path.split('/').collect())
}

/// Size and SHA-256 of a file, read in blocks.
pub fn hash_file(path: &Path) -> Result<(u64, String), BackupError> {
    let mut f = std::fs::File::open(path).map_err(|e| BackupError::io(path, e))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut size = 0u64;
    loop {
        let n = f.read(&mut buf).map_err(|e| BackupError::io(path, e))?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
        size += n as u64;
    }
    Ok((size, hex::encode(h.finalize())))
}

/// Every file under `folder` (relative, `/`-separated), the manifest excluded.
fn files_under(folder: &Path) -> Result<Vec<String>, BackupError> {
    let mut out = Vec::new();
    let mut stack = vec![(folder.to_path_buf(), String::new())];
    while let Some((dir, rel)) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| BackupError::io(&dir, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| BackupError::io(&dir, e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            let kind = entry
                .file_type()
                .map_err(|e| BackupError::io(&entry.path(), e))?;
            if kind.is_dir() {
                stack.push((entry.path(), path));
            } else if path != FILE_NAME {
                out.push(path);
            }
        }
    }
    Ok(out)
}

/// Checks the folder against its manifest before anything is restored: every listed file is
/// there with its size and checksum, and nothing else is. The first difference is named.
/// `progress(bytes checked, bytes in all)`.
pub fn verify(
    folder: &Path,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Manifest, BackupError> {
    let m = Manifest::read(folder)?;
    let listed: std::collections::HashSet<&str> = m.files.iter().map(|f| f.path.as_str()).collect();
    if let Some(extra) = files_under(folder)?
        .into_iter()
        .find(|p| !listed.contains(p.as_str()))
    {
        return Err(BackupError::Unlisted(extra));
    }
    if !listed.contains(m.database.file.as_str()) {
        return Err(BackupError::Manifest(format!(
            "{FILE_NAME} tidak mencantumkan berkas basis data {}",
            m.database.file
        )));
    }
    let total = m.total_bytes();
    let mut done = 0u64;
    progress(0, total);
    for f in &m.files {
        let path = folder.join(safe_relative(&f.path)?);
        if !path.is_file() {
            return Err(BackupError::Missing(f.path.clone()));
        }
        let (size, sha) = hash_file(&path)?;
        if size != f.size || sha != f.sha256 {
            return Err(BackupError::Tampered(f.path.clone()));
        }
        done += size;
        progress(done, total);
    }
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_folder() {
        for ok in ["database.sqlite3", "objects/documents/2026/a/b"] {
            assert!(safe_relative(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../b",
            "a//b",
            "./a",
            "a\\b",
        ] {
            assert!(safe_relative(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_seal_names_the_key_and_the_content() {
        let key = Secret::from_key([7; 32]);
        let mut m = Manifest {
            format: FORMAT.into(),
            format_version: FORMAT_VERSION,
            lentera_version: "0.1.0".into(),
            created_at: "2026-02-02T03:00:00Z".into(),
            database: DatabasePart {
                kind: "sqlite".into(),
                method: "VACUUM INTO".into(),
                file: "database.sqlite3".into(),
            },
            documents: DocumentsPart {
                source: "local:/x".into(),
                count: 0,
                folder: "objects".into(),
            },
            key: KeyPart {
                included: false,
                fingerprint: key.fingerprint(),
            },
            search_index: "-".into(),
            files: vec![FileEntry {
                path: "database.sqlite3".into(),
                size: 3,
                sha256: "ab".into(),
            }],
            seal: None,
        };
        m.seal_with(&key).expect("seal");
        m.check_key(&key).expect("same key");
        assert!(matches!(
            m.check_key(&Secret::from_key([8; 32])),
            Err(BackupError::WrongKey)
        ));
        m.files[0].sha256 = "cd".into();
        assert!(matches!(m.check_key(&key), Err(BackupError::Unsealed)));
    }
}
