//! `lentera backup` and `lentera restore`: the commands around `lentera_app::backup`, with the
//! key handled apart from the backup folder and a progress bar per step.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};
use lentera_app::backup::{self, Phase, manifest};
use lentera_app::{Secret, SystemClock};
use lentera_store::Backend;

use crate::{Role, StoreArgs, database_url, open, open_as, private_folder};

/// One bar, restarted with its own label whenever the step changes.
struct PhaseBar {
    bar: ProgressBar,
    phase: Mutex<Option<Phase>>,
}

impl PhaseBar {
    fn new() -> Self {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{msg} [{bar:40}] {percent}% ({eta})")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        Self {
            bar,
            phase: Mutex::new(None),
        }
    }

    fn update(&self, phase: Phase, done: u64, total: u64) {
        if let Ok(mut current) = self.phase.lock()
            && *current != Some(phase)
        {
            *current = Some(phase);
            self.bar.reset();
            self.bar.set_message(phase.label_id());
        }
        self.bar.set_length(total);
        self.bar.set_position(done);
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

fn operator(command: &str) -> String {
    format!(
        "{command} ({})",
        std::env::var("USER").unwrap_or_else(|_| "shell".into())
    )
}

/// The installation key as 64 hex characters: `LENTERA_SECRET_KEY`, else the key file.
fn installation_key(data_dir: &Path) -> anyhow::Result<String> {
    if let Some(v) = std::env::var("LENTERA_SECRET_KEY")
        .ok()
        .filter(|v| !v.trim().is_empty())
    {
        return Ok(v.trim().to_owned());
    }
    let path = data_dir.join("secret.key");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("kunci enkripsi {} tidak terbaca", path.display()))?;
    Ok(text.trim().to_owned())
}

/// `path` with its folder resolved (symbolic links, `..`), also when the file does not exist.
fn resolved(path: &Path) -> PathBuf {
    let name = path.file_name().map(PathBuf::from).unwrap_or_default();
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    match parent.canonicalize() {
        Ok(p) => p.join(name),
        Err(_) => std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()),
    }
}

pub async fn backup(store: &StoreArgs, dest: &Path, key_out: Option<&Path>) -> anyhow::Result<()> {
    if let Some(k) = key_out {
        if resolved(k).starts_with(resolved(dest)) {
            bail!(
                "--key-out {} ada di dalam folder cadangan {}; kunci tidak pernah disimpan bersama cadangan, pilih tempat lain",
                k.display(),
                dest.display()
            );
        }
        if k.exists() {
            bail!(
                "{} sudah ada; berkas kunci tidak pernah ditimpa",
                k.display()
            );
        }
    }
    let url = database_url(store);
    if backup::backend_of(&url) == Backend::Sqlite && !backup::sqlite_path(&url).exists() {
        bail!(
            "tidak ada basis data di {}; tidak ada yang dicadangkan (folder data: --data-dir atau LENTERA_DATA_DIR)",
            backup::sqlite_path(&url).display()
        );
    }
    let app = open_as(store, true, Arc::new(SystemClock), Role::Admin).await?;
    let bar = PhaseBar::new();
    let m = app
        .backup(&url, dest, &operator("lentera backup"), &|p, d, t| {
            bar.update(p, d, t);
        })
        .await;
    bar.finish();
    let m = m?;
    app.db.close().await;
    println!(
        "Cadangan dibuat di {}: basis data {} ({}), {} dokumen; {} berkas, {} bita, masing-masing dengan SHA-256 di manifest.json.",
        dest.display(),
        m.database.kind,
        m.database.method,
        m.documents.count,
        m.files.len(),
        m.total_bytes()
    );
    match key_out {
        Some(k) => {
            let key = installation_key(&store.data_dir)?;
            lentera_app::crypto::write_key_file(k, &key).with_context(|| {
                format!(
                    "cadangan selesai, tetapi kunci tidak ditulis ke {}",
                    k.display()
                )
            })?;
            println!(
                "Kunci enkripsi TIDAK ada di dalam cadangan; diekspor ke {} (0600). Simpan terpisah dari cadangan: tanpa kunci itu NIK tidak terbaca dan kode lacak tidak berlaku.",
                k.display()
            );
        }
        None => println!(
            "Kunci enkripsi TIDAK ada di dalam cadangan. Simpan terpisah secret.key (atau LENTERA_SECRET_KEY), mis. `lentera backup {} --key-out BERKAS`: tanpa kunci itu NIK tidak terbaca dan kode lacak tidak berlaku.",
            dest.display()
        ),
    }
    println!("Indeks pencarian tidak dicadangkan; `lentera restore` membangunnya ulang.");
    Ok(())
}

fn read_key_file(path: &Path) -> anyhow::Result<Secret> {
    let meta = std::fs::metadata(path)
        .with_context(|| format!("berkas kunci {} tidak terbaca", path.display()))?;
    if meta.len() > 1024 {
        bail!(
            "{} bukan berkas kunci Lentera (64 karakter heksadesimal)",
            path.display()
        );
    }
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("berkas kunci {} tidak terbaca", path.display()))?;
    Secret::from_hex(&text).map_err(|_| {
        anyhow::anyhow!(
            "{} bukan berkas kunci Lentera (64 karakter heksadesimal)",
            path.display()
        )
    })
}

pub async fn restore(
    store: &StoreArgs,
    src: &Path,
    key: Option<&Path>,
    force: bool,
    check_only: bool,
) -> anyhow::Result<()> {
    let bar = Arc::new(PhaseBar::new());
    let verified = {
        let (src, bar) = (src.to_path_buf(), Arc::clone(&bar));
        tokio::task::spawn_blocking(move || {
            manifest::verify(&src, &|d, t| bar.update(Phase::Checksums, d, t))
        })
        .await
        .context("verification stopped")?
    };
    bar.finish();
    let m = verified?;
    let key = match key {
        Some(path) => {
            let secret = read_key_file(path)?;
            m.check_key(&secret)?;
            Some((path, secret))
        }
        None => None,
    };
    if check_only {
        println!(
            "Cadangan {} utuh: {} berkas, {} bita, setiap SHA-256 cocok dengan manifest.json{} (dibuat {}, Lentera {}, basis data {}).",
            src.display(),
            m.files.len(),
            m.total_bytes(),
            if key.is_some() {
                "; kunci dan segel manifest cocok"
            } else {
                "; kunci tidak diperiksa (tambahkan --key)"
            },
            m.created_at,
            m.lentera_version,
            m.database.kind
        );
        return Ok(());
    }
    let Some((key_path, secret)) = key else {
        bail!("--key BERKAS diperlukan untuk memulihkan (berkas dari `lentera backup --key-out`)");
    };
    let env_key = std::env::var("LENTERA_SECRET_KEY")
        .ok()
        .filter(|v| !v.trim().is_empty());
    if let Some(v) = &env_key
        && Secret::from_hex(v).map(|s| s.fingerprint()).ok() != Some(secret.fingerprint())
    {
        bail!(
            "LENTERA_SECRET_KEY berbeda dengan kunci {}; layanan yang dipulihkan tidak akan dapat membaca NIK",
            key_path.display()
        );
    }

    let url = database_url(store);
    backup::check_target_kind(&m, &url)?;
    let dir = &store.data_dir;
    let occupied = dir.exists()
        && dir
            .read_dir()
            .with_context(|| format!("folder data {} tidak terbaca", dir.display()))?
            .next()
            .is_some();
    if occupied && !force {
        bail!(
            "folder data {} tidak kosong; pulihkan ke folder baru, atau tambahkan --force untuk menggantinya",
            dir.display()
        );
    }
    let index_dir = dir.join("index");
    if index_dir.exists() {
        // A serving process holds the index: never replace the data under it.
        lentera_app::lentera_search::SearchIndex::open(&index_dir).map_err(|_| {
            anyhow::anyhow!(
                "folder data {} sedang dipakai oleh `lentera serve` (indeksnya terkunci); hentikan dulu",
                dir.display()
            )
        })?;
    }
    private_folder(dir)?;
    let bar = PhaseBar::new();
    let restored =
        backup::restore_database(src, &m, &url, force, &|p, d, t| bar.update(p, d, t)).await;
    bar.finish();
    restored?;
    if occupied {
        // Rebuilt or restored below; what was there belonged to the data just replaced.
        for sub in ["index", "documents"] {
            let p = dir.join(sub);
            if p.exists() {
                std::fs::remove_dir_all(&p)
                    .with_context(|| format!("{} tidak dapat dikosongkan", p.display()))?;
            }
        }
    }
    if env_key.is_none() {
        let path = dir.join("secret.key");
        if path.exists() {
            std::fs::remove_file(&path)
                .with_context(|| format!("{} tidak dapat diganti", path.display()))?;
        }
        let hex = std::fs::read_to_string(key_path)
            .with_context(|| format!("berkas kunci {} tidak terbaca", key_path.display()))?;
        lentera_app::crypto::write_key_file(&path, &hex)?;
    }
    // Migrations (a backup of an older version is brought up to this one), then the rest.
    let app = open(store, true, Arc::new(SystemClock)).await?;
    let bar = PhaseBar::new();
    let finished = app
        .finish_restore(src, &m, &operator("lentera restore"), &|p, d, t| {
            bar.update(p, d, t);
        })
        .await;
    bar.finish();
    let (documents, indexed) = finished?;
    app.db.close().await;
    println!(
        "Dipulihkan dari {} (cadangan {}, Lentera {}, basis data {}) ke {}: {} dokumen; migrasi dijalankan; indeks pencarian dibangun ulang ({} entri).",
        src.display(),
        m.created_at,
        m.lentera_version,
        m.database.kind,
        dir.display(),
        documents,
        indexed
    );
    println!(
        "Kunci dipasang{}. Periksa dengan `lentera audit verify`, lalu jalankan `lentera serve`.",
        if env_key.is_some() {
            " dari LENTERA_SECRET_KEY"
        } else {
            " di secret.key folder data"
        }
    );
    Ok(())
}
