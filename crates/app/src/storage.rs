//! Storage of documents (attachments of requests, decisions, dossiers) through `object_store`:
//! a directory of the local file system by default, an S3-compatible bucket (AWS, MinIO,
//! Garage, Ceph, …) when `LENTERA_S3_BUCKET` is set, or memory for tests.
//!
//! Callers choose the keys, e.g. `documents/2026/0190f…/<sha256-hex>`; a key is checked before
//! every operation (ASCII, relative, no `..`, no empty segment) so that it can never escape the
//! root directory or the bucket prefix.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures::StreamExt;
use futures::stream::BoxStream;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::memory::InMemory;
use object_store::path::Path as ObjectPath;
use object_store::prefix::PrefixStore;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload, RetryConfig};

/// The longest key accepted, in bytes (S3 allows 1024).
const MAX_KEY_LEN: usize = 512;

/// Where documents are kept.
///
/// `Debug` is written by hand so that the secret access key is never printed.
#[derive(Clone)]
pub enum StorageConfig {
    /// A directory of the local file system, created if missing.
    Local { root: PathBuf },
    /// An S3-compatible bucket. `endpoint` is for non-AWS services (path-style requests are
    /// used); `allow_http` permits a plain-HTTP endpoint (local emulators, a private network).
    /// Empty `access_key_id` and `secret_access_key` leave the credentials to object_store's
    /// own chain (instance metadata, web identity).
    S3 {
        bucket: String,
        endpoint: Option<String>,
        region: String,
        access_key_id: String,
        secret_access_key: String,
        allow_http: bool,
        prefix: Option<String>,
    },
    /// In memory, lost at exit: tests and demonstrations.
    Memory,
}

impl fmt::Debug for StorageConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StorageConfig::Local { root } => f.debug_struct("Local").field("root", root).finish(),
            StorageConfig::S3 {
                bucket,
                endpoint,
                region,
                access_key_id,
                secret_access_key,
                allow_http,
                prefix,
            } => f
                .debug_struct("S3")
                .field("bucket", bucket)
                .field("endpoint", endpoint)
                .field("region", region)
                .field("access_key_id", &redacted(access_key_id))
                .field("secret_access_key", &redacted(secret_access_key))
                .field("allow_http", allow_http)
                .field("prefix", prefix)
                .finish(),
            StorageConfig::Memory => f.write_str("Memory"),
        }
    }
}

fn redacted(s: &str) -> &'static str {
    if s.is_empty() {
        "<unset>"
    } else {
        "<redacted>"
    }
}

impl StorageConfig {
    /// The configuration from the environment:
    ///
    /// - `LENTERA_S3_BUCKET` set and not empty: S3, with `LENTERA_S3_ENDPOINT` (optional),
    ///   `LENTERA_S3_REGION` (default `us-east-1`), `LENTERA_S3_ACCESS_KEY_ID` and
    ///   `LENTERA_S3_SECRET_ACCESS_KEY` (both or neither), `LENTERA_S3_ALLOW_HTTP`
    ///   (`1`/`true`/`yes` or `0`/`false`/`no`, default false) and `LENTERA_S3_PREFIX`
    ///   (optional key prefix inside the bucket);
    /// - otherwise the directory `{data_dir}/documents`.
    pub fn from_env(data_dir: &Path) -> Result<StorageConfig, StorageError> {
        Self::from_lookup(data_dir, |name| std::env::var(name).ok())
    }

    /// As [`StorageConfig::from_env`], reading the variables through `var` (for tests, which
    /// must not change the process environment).
    pub fn from_lookup(
        data_dir: &Path,
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<StorageConfig, StorageError> {
        let get = |name: &str| {
            var(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let Some(bucket) = get("LENTERA_S3_BUCKET") else {
            return Ok(StorageConfig::Local {
                root: data_dir.join("documents"),
            });
        };
        let access_key_id = get("LENTERA_S3_ACCESS_KEY_ID").unwrap_or_default();
        let secret_access_key = get("LENTERA_S3_SECRET_ACCESS_KEY").unwrap_or_default();
        if access_key_id.is_empty() != secret_access_key.is_empty() {
            return Err(StorageError::Config(
                "LENTERA_S3_ACCESS_KEY_ID and LENTERA_S3_SECRET_ACCESS_KEY must be set together"
                    .into(),
            ));
        }
        let allow_http = match get("LENTERA_S3_ALLOW_HTTP")
            .map(|v| v.to_ascii_lowercase())
            .as_deref()
        {
            None | Some("0" | "false" | "no" | "off") => false,
            Some("1" | "true" | "yes" | "on") => true,
            Some(other) => {
                return Err(StorageError::Config(format!(
                    "LENTERA_S3_ALLOW_HTTP must be true or false, not {other:?}"
                )));
            }
        };
        Ok(StorageConfig::S3 {
            bucket,
            endpoint: get("LENTERA_S3_ENDPOINT"),
            region: get("LENTERA_S3_REGION").unwrap_or_else(|| "us-east-1".into()),
            access_key_id,
            secret_access_key,
            allow_http,
            prefix: get("LENTERA_S3_PREFIX"),
        })
    }
}

/// Why a storage operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("document not found in storage")]
    NotFound,
    #[error("storage configuration: {0}")]
    Config(String),
    #[error("storage back end: {0}")]
    Backend(String),
}

impl From<object_store::Error> for StorageError {
    fn from(e: object_store::Error) -> Self {
        match e {
            // S3 answers 404 for a missing bucket too: that is a configuration fault, not a
            // missing document.
            object_store::Error::NotFound { ref source, .. }
                if source.to_string().contains("<Code>NoSuchBucket</Code>") =>
            {
                StorageError::Backend(format!("the bucket does not exist: {e}"))
            }
            object_store::Error::NotFound { .. } => StorageError::NotFound,
            other => StorageError::Backend(other.to_string()),
        }
    }
}

/// A handle on the document store; cheap to clone.
#[derive(Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    description: String,
}

impl fmt::Debug for Storage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Storage")
            .field("backend", &self.description)
            .finish_non_exhaustive()
    }
}

impl Storage {
    /// Opens the store; the local directory is created if missing. Nothing is sent to S3 here:
    /// a wrong bucket or wrong credentials show at the first operation.
    pub fn new(cfg: &StorageConfig) -> Result<Storage, StorageError> {
        match cfg {
            StorageConfig::Local { root } => {
                std::fs::create_dir_all(root).map_err(|e| {
                    StorageError::Config(format!("cannot create {}: {e}", root.display()))
                })?;
                let root = root.canonicalize().map_err(|e| {
                    StorageError::Config(format!("cannot resolve {}: {e}", root.display()))
                })?;
                let store = LocalFileSystem::new_with_prefix(&root)
                    .map_err(|e| StorageError::Config(e.to_string()))?
                    .with_automatic_cleanup(true);
                Ok(Storage {
                    store: Arc::new(store),
                    description: format!("local:{}", root.display()),
                })
            }
            StorageConfig::S3 {
                bucket,
                endpoint,
                region,
                access_key_id,
                secret_access_key,
                allow_http,
                prefix,
            } => {
                if bucket.is_empty() {
                    return Err(StorageError::Config("the S3 bucket name is empty".into()));
                }
                let mut builder = AmazonS3Builder::new()
                    .with_bucket_name(bucket)
                    .with_region(region)
                    .with_allow_http(*allow_http)
                    .with_retry(RetryConfig {
                        max_retries: 3,
                        retry_timeout: Duration::from_secs(30),
                        ..RetryConfig::default()
                    });
                if !access_key_id.is_empty() {
                    builder = builder
                        .with_access_key_id(access_key_id)
                        .with_secret_access_key(secret_access_key);
                }
                if let Some(endpoint) = endpoint {
                    builder = builder.with_endpoint(endpoint);
                }
                // The builder's error names the bad setting, never a credential.
                let s3 = builder
                    .build()
                    .map_err(|e| StorageError::Config(e.to_string()))?;
                let prefix = prefix
                    .as_deref()
                    .map(|p| p.trim_matches('/'))
                    .filter(|p| !p.is_empty());
                let (store, description): (Arc<dyn ObjectStore>, String) = match prefix {
                    Some(p) => {
                        let path = checked_path(p)?;
                        (
                            Arc::new(PrefixStore::new(s3, path)),
                            format!("s3:{bucket}/{p}"),
                        )
                    }
                    None => (Arc::new(s3), format!("s3:{bucket}")),
                };
                Ok(Storage { store, description })
            }
            StorageConfig::Memory => Ok(Storage {
                store: Arc::new(InMemory::new()),
                description: "memory".into(),
            }),
        }
    }

    /// `local:/path`, `s3:bucket` (or `s3:bucket/prefix`) or `memory`; never a secret.
    pub fn describe(&self) -> String {
        self.description.clone()
    }

    /// Writes the whole object, replacing any object of the same key (atomically on the local
    /// file system and on S3: a reader sees the old or the new object, never a part).
    pub async fn put(&self, key: &str, bytes: Bytes) -> Result<(), StorageError> {
        let path = checked_path(key)?;
        match self.store.put(&path, PutPayload::from(bytes)).await {
            Ok(_) => Ok(()),
            // Writing cannot miss a document: a 404 here is a missing bucket or root.
            Err(e @ object_store::Error::NotFound { .. }) => {
                Err(StorageError::Backend(e.to_string()))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// The whole object.
    pub async fn get(&self, key: &str) -> Result<Bytes, StorageError> {
        let path = checked_path(key)?;
        Ok(self.store.get(&path).await?.bytes().await?)
    }

    /// The size of the object and a stream of its bytes, for an HTTP download without holding
    /// the whole object in memory.
    pub async fn open(
        &self,
        key: &str,
    ) -> Result<(u64, BoxStream<'static, Result<Bytes, StorageError>>), StorageError> {
        let path = checked_path(key)?;
        let got = self.store.get(&path).await?;
        let size = got.meta.size;
        let stream = got.into_stream().map(|r| r.map_err(StorageError::from));
        Ok((size, stream.boxed()))
    }

    /// Deletes the object; deleting a missing object is not an error (S3 does not tell).
    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        let path = checked_path(key)?;
        match self.store.delete(&path).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Whether the store answers at all (readiness): one listing of a prefix that holds at most
    /// a few objects. A missing bucket or refused credentials are errors here, unlike
    /// [`Self::exists`].
    pub async fn reachable(&self) -> Result<(), StorageError> {
        let prefix = ObjectPath::from("health");
        self.store.list_with_delimiter(Some(&prefix)).await?;
        Ok(())
    }

    /// Every object's key and size, in no particular order (a backup copies them all; keys
    /// this module would refuse, such as a half-written local file, are left out).
    pub async fn list(&self) -> Result<Vec<(String, u64)>, StorageError> {
        let mut out = Vec::new();
        let mut objects = self.store.list(None);
        while let Some(meta) = objects.next().await {
            let meta = meta?;
            let key = meta.location.to_string();
            if checked_path(&key).is_ok() {
                out.push((key, meta.size));
            }
        }
        out.sort();
        Ok(out)
    }

    /// Whether an object exists under the key. S3 answers a HEAD request without a body, so a
    /// missing bucket reads as `false` here (`get` and `put` report it as a back-end error).
    pub async fn exists(&self, key: &str) -> Result<bool, StorageError> {
        let path = checked_path(key)?;
        match self.store.head(&path).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }
}

/// Checks a key and turns it into an object path. Accepted: printable ASCII without `\`,
/// segments separated by single `/`, no leading or trailing `/`, no `..` anywhere, no segment
/// `.`, at most [`MAX_KEY_LEN`] bytes.
fn checked_path(key: &str) -> Result<ObjectPath, StorageError> {
    let bad = |why: &str| Err(StorageError::Config(format!("invalid key {key:?}: {why}")));
    if key.is_empty() {
        return bad("empty");
    }
    if key.len() > MAX_KEY_LEN {
        return bad("too long");
    }
    if !key.bytes().all(|b| b.is_ascii_graphic()) {
        return bad("only printable ASCII without spaces is allowed");
    }
    if key.starts_with('/') || key.ends_with('/') {
        return bad("leading or trailing /");
    }
    if key.contains("..") {
        return bad("contains ..");
    }
    if key.contains('\\') {
        return bad("contains \\");
    }
    if key.split('/').any(|s| s.is_empty() || s == ".") {
        return bad("empty or . segment");
    }
    ObjectPath::parse(key).map_err(|e| StorageError::Config(format!("invalid key {key:?}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_checked() {
        for ok in ["documents/2026/0190f/ab12", "a", "a.b/c-d_e"] {
            assert!(checked_path(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "/abs",
            "a/../b",
            "..",
            "a//b",
            "a/",
            "./a",
            "a\\b",
            "dokumen/é",
            "a b",
            "a\nb",
        ] {
            assert!(
                matches!(checked_path(bad), Err(StorageError::Config(_))),
                "{bad:?}"
            );
        }
        assert!(checked_path(&"a".repeat(MAX_KEY_LEN + 1)).is_err());
    }

    #[test]
    fn debug_hides_secrets() {
        let cfg = StorageConfig::S3 {
            bucket: "b".into(),
            endpoint: None,
            region: "us-east-1".into(),
            access_key_id: "AKIDSECRETID".into(),
            secret_access_key: "verysecret".into(),
            allow_http: false,
            prefix: None,
        };
        let shown = format!("{cfg:?}");
        assert!(!shown.contains("verysecret") && !shown.contains("AKIDSECRETID"));
        let storage = Storage::new(&cfg).expect("s3 handle");
        let shown = format!("{storage:?} {}", storage.describe());
        assert!(!shown.contains("verysecret") && !shown.contains("AKIDSECRETID"));
        assert_eq!(storage.describe(), "s3:b");
    }
}
