//! Document storage in memory and on the local file system, and its settings from the
//! environment; the S3 back end is `storage_s3.rs`, uploads `storage_upload.rs`.

use bytes::Bytes;
use futures::TryStreamExt as _;
use lentera_app::storage::{Storage, StorageConfig, StorageError};

use crate::storage_upload::real_pdf;

const KEY: &str = "documents/2026/0190f3a2-7c1d-7e00-8000-000000000001/ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

/// Put, get, open (streamed), exists, delete, and NotFound afterwards.
pub(crate) async fn round_trip(storage: &Storage, big: bool) {
    let body = Bytes::from(real_pdf());
    assert!(!storage.exists(KEY).await.expect("exists before"));
    assert!(matches!(
        storage.get(KEY).await,
        Err(StorageError::NotFound)
    ));
    storage.put(KEY, body.clone()).await.expect("put");
    assert!(storage.exists(KEY).await.expect("exists"));
    assert_eq!(storage.get(KEY).await.expect("get"), body);
    let (size, stream) = storage.open(KEY).await.expect("open");
    assert_eq!(size, body.len() as u64);
    let chunks: Vec<Bytes> = stream.try_collect().await.expect("stream");
    assert_eq!(chunks.concat(), body.to_vec());
    // Replacing keeps one object with the new content.
    storage
        .put(KEY, Bytes::from_static(b"v2"))
        .await
        .expect("replace");
    assert_eq!(
        storage.get(KEY).await.expect("get v2"),
        Bytes::from_static(b"v2")
    );
    if big {
        let big_key = "documents/2026/besar/5mib";
        let data: Vec<u8> = (0..5 * 1024 * 1024u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
            .collect();
        let data = Bytes::from(data);
        storage.put(big_key, data.clone()).await.expect("put 5 MiB");
        let (size, stream) = storage.open(big_key).await.expect("open 5 MiB");
        assert_eq!(size, 5 * 1024 * 1024);
        let chunks: Vec<Bytes> = stream.try_collect().await.expect("stream 5 MiB");
        assert!(chunks.concat() == data.as_ref(), "5 MiB object differs");
        storage.delete(big_key).await.expect("delete 5 MiB");
        assert!(!storage.exists(big_key).await.expect("exists 5 MiB"));
    }
    storage.delete(KEY).await.expect("delete");
    assert!(!storage.exists(KEY).await.expect("exists after delete"));
    assert!(matches!(
        storage.get(KEY).await,
        Err(StorageError::NotFound)
    ));
    assert!(matches!(
        storage.open(KEY).await,
        Err(StorageError::NotFound)
    ));
    // Deleting again is not an error.
    storage.delete(KEY).await.expect("delete again");
}

pub(crate) async fn refuses_bad_keys(storage: &Storage) {
    for key in [
        "",
        "/etc/passwd",
        "../etc/passwd",
        "documents/../../etc/passwd",
        "documents/..",
        "documents//x",
        "documents/x/",
        "dokumen/é",
        "documents\\x",
        "documents/a b",
    ] {
        let is_config = |r: Result<(), StorageError>| matches!(r, Err(StorageError::Config(_)));
        assert!(
            is_config(storage.put(key, Bytes::from_static(b"x")).await),
            "put {key:?}"
        );
        assert!(is_config(storage.get(key).await.map(drop)), "get {key:?}");
        assert!(is_config(storage.open(key).await.map(drop)), "open {key:?}");
        assert!(
            is_config(storage.exists(key).await.map(drop)),
            "exists {key:?}"
        );
        assert!(is_config(storage.delete(key).await), "delete {key:?}");
    }
}

#[tokio::test]
async fn storage_round_trip_in_memory() {
    let storage = Storage::new(&StorageConfig::Memory).expect("memory");
    assert_eq!(storage.describe(), "memory");
    round_trip(&storage, true).await;
    refuses_bad_keys(&storage).await;
}

#[tokio::test]
async fn storage_round_trip_on_the_local_file_system() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cfg = StorageConfig::from_lookup(dir.path(), |_| None).expect("config");
    let root = dir.path().join("documents");
    assert!(
        matches!(&cfg, StorageConfig::Local { root: r } if *r == root),
        "{cfg:?}"
    );
    assert!(!root.exists());
    let storage = Storage::new(&cfg).expect("local");
    assert!(root.is_dir(), "root created");
    assert!(
        storage.describe().starts_with("local:/") && storage.describe().ends_with("documents"),
        "{}",
        storage.describe()
    );
    // The object is a file under the root, at its key.
    storage
        .put(KEY, Bytes::from_static(b"isi"))
        .await
        .expect("put");
    assert_eq!(std::fs::read(root.join(KEY)).expect("file on disk"), b"isi");
    storage.delete(KEY).await.expect("delete");
    assert!(!root.join(KEY).exists());
    round_trip(&storage, true).await;
    refuses_bad_keys(&storage).await;
    // Nothing was written outside the root.
    let outside: Vec<_> = std::fs::read_dir(dir.path())
        .expect("read dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(outside, vec![std::ffi::OsString::from("documents")]);
}

#[test]
fn storage_config_from_the_environment() {
    let data = std::path::Path::new("/var/lib/lentera");
    let env = |vars: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    };
    let cfg = StorageConfig::from_lookup(
        data,
        env(&[
            ("LENTERA_S3_BUCKET", "dokumen"),
            ("LENTERA_S3_ENDPOINT", "http://127.0.0.1:9000"),
            ("LENTERA_S3_ACCESS_KEY_ID", "AKIAEXAMPLE"),
            ("LENTERA_S3_SECRET_ACCESS_KEY", "rahasia-sekali"),
            ("LENTERA_S3_ALLOW_HTTP", "true"),
        ]),
    )
    .expect("s3 config");
    match &cfg {
        StorageConfig::S3 {
            bucket,
            endpoint,
            region,
            allow_http,
            prefix,
            ..
        } => {
            assert_eq!(bucket, "dokumen");
            assert_eq!(endpoint.as_deref(), Some("http://127.0.0.1:9000"));
            assert_eq!(region, "us-east-1");
            assert!(*allow_http);
            assert_eq!(*prefix, None);
        }
        other => panic!("not S3: {other:?}"),
    }
    let shown = format!("{cfg:?}");
    assert!(!shown.contains("rahasia-sekali"), "{shown}");
    let storage = Storage::new(&cfg).expect("s3 storage");
    assert_eq!(storage.describe(), "s3:dokumen");
    assert!(!format!("{storage:?}").contains("rahasia-sekali"));

    let local = StorageConfig::from_lookup(data, env(&[("LENTERA_S3_BUCKET", " ")]));
    assert!(
        matches!(local, Ok(StorageConfig::Local { ref root }) if root == &data.join("documents"))
    );
    let half = StorageConfig::from_lookup(
        data,
        env(&[
            ("LENTERA_S3_BUCKET", "dokumen"),
            ("LENTERA_S3_ACCESS_KEY_ID", "AKIAEXAMPLE"),
        ]),
    );
    assert!(matches!(half, Err(StorageError::Config(_))), "{half:?}");
    let bad_flag = StorageConfig::from_lookup(
        data,
        env(&[
            ("LENTERA_S3_BUCKET", "dokumen"),
            ("LENTERA_S3_ALLOW_HTTP", "mungkin"),
        ]),
    );
    assert!(
        matches!(bad_flag, Err(StorageError::Config(_))),
        "{bad_flag:?}"
    );
}
