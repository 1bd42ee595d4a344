//! Document storage on S3, against a local moto server started by the test.

use std::io::Write as _;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use bytes::Bytes;
use lentera_app::storage::{Storage, StorageConfig, StorageError};

use crate::storage::{refuses_bad_keys, round_trip};

/// A moto server on 127.0.0.1, killed when dropped.
struct Moto {
    child: Child,
    port: u16,
    log: tempfile::NamedTempFile,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Moto {
    fn log(&self) -> String {
        std::fs::read_to_string(self.log.path()).unwrap_or_default()
    }
}

fn moto_installed() -> bool {
    Command::new("python3")
        .args(["-c", "import moto.server"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    l.local_addr().expect("local addr").port()
}

async fn start_moto() -> Moto {
    let port = free_port();
    let log = tempfile::NamedTempFile::new().expect("moto log file");
    let child = Command::new("python3")
        .args([
            "-m",
            "moto.server",
            "-H",
            "127.0.0.1",
            "-p",
            &port.to_string(),
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log.reopen().expect("moto log handle"))
        .spawn()
        .expect("start moto");
    let mut moto = Moto { child, port, log };
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(Some(status)) = moto.child.try_wait() {
            panic!("moto exited with {status}:\n{}", moto.log());
        }
        if client
            .get(format!("http://127.0.0.1:{port}/"))
            .timeout(Duration::from_secs(2))
            .send()
            .await
            .is_ok()
        {
            return moto;
        }
        assert!(
            Instant::now() < deadline,
            "moto did not answer on port {port} within 60 s:\n{}",
            moto.log()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn storage_round_trip_on_s3_emulator() {
    if !moto_installed() {
        let required = std::env::var("LENTERA_REQUIRE_S3").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "LENTERA_REQUIRE_S3=1 but the S3 emulator is not installed: \
             python3 -c 'import moto.server' fails; install it with: \
             python3 -m pip install 'moto[server]'"
        );
        // Straight to the process's stderr, so that the test harness does not capture it.
        let _ = writeln!(
            std::io::stderr(),
            "S3 emulator (moto) not installed: S3 test NOT RUN"
        );
        return;
    }
    let moto = start_moto().await;
    let endpoint = format!("http://127.0.0.1:{}", moto.port);
    let bucket = "lentera-uji";
    let created = reqwest::Client::new()
        .put(format!("{endpoint}/{bucket}"))
        .send()
        .await
        .expect("create bucket");
    assert!(
        created.status().is_success(),
        "create bucket: {}",
        created.status()
    );
    let cfg = |prefix: Option<&str>| StorageConfig::S3 {
        bucket: bucket.into(),
        endpoint: Some(endpoint.clone()),
        region: "us-east-1".into(),
        access_key_id: "testing".into(),
        secret_access_key: "rahasia-uji".into(),
        allow_http: true,
        prefix: prefix.map(str::to_owned),
    };
    let storage = Storage::new(&cfg(None)).expect("s3 storage");
    assert_eq!(storage.describe(), "s3:lentera-uji");
    assert!(!format!("{storage:?}").contains("rahasia-uji"));
    round_trip(&storage, true).await;
    refuses_bad_keys(&storage).await;

    // With a prefix, objects land under it in the bucket.
    let prefixed = Storage::new(&cfg(Some("/instansi-a/"))).expect("prefixed storage");
    assert_eq!(prefixed.describe(), "s3:lentera-uji/instansi-a");
    prefixed
        .put("documents/x", Bytes::from_static(b"isi"))
        .await
        .expect("put prefixed");
    assert!(
        storage
            .exists("instansi-a/documents/x")
            .await
            .expect("exists under prefix")
    );
    assert!(!storage.exists("documents/x").await.expect("exists at root"));
    assert_eq!(
        prefixed.get("documents/x").await.expect("get prefixed"),
        Bytes::from_static(b"isi")
    );
    prefixed
        .delete("documents/x")
        .await
        .expect("delete prefixed");
    assert!(
        !storage
            .exists("instansi-a/documents/x")
            .await
            .expect("gone")
    );

    // A missing bucket is a back-end error, not "not found" of the document.
    let mut missing = cfg(None);
    if let StorageConfig::S3 { bucket, .. } = &mut missing {
        *bucket = "tidak-ada".into();
    }
    let missing = Storage::new(&missing).expect("storage on a missing bucket");
    let put = missing.put("documents/x", Bytes::from_static(b"x")).await;
    assert!(matches!(put, Err(StorageError::Backend(_))), "{put:?}");
    let get = missing.get("documents/x").await;
    assert!(
        matches!(&get, Err(StorageError::Backend(m)) if m.contains("bucket does not exist")),
        "{get:?}"
    );
    drop(moto);
}
