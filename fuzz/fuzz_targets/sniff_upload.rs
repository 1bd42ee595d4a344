//! The upload check: any name and bytes are refused or accepted without panicking, and what is
//! accepted is consistent.
#![no_main]

#[path = "../../crates/app/src/upload.rs"]
#[allow(dead_code)]
mod upload;

use libfuzzer_sys::fuzz_target;
use upload::{MAX_NAME_CHARS, UploadPolicy, check_upload};

fuzz_target!(|data: &[u8]| {
    // The first byte says how much of the rest is the file name.
    let Some((&split, rest)) = data.split_first() else {
        return;
    };
    let split = usize::from(split).min(rest.len());
    let (name, bytes) = rest.split_at(split);
    let name = String::from_utf8_lossy(name);
    let policy = UploadPolicy { max_bytes: 1 << 20 };
    let Ok(checked) = check_upload(&name, bytes, &policy) else {
        return;
    };
    assert!(!bytes.is_empty() && bytes.len() <= policy.max_bytes);
    assert_eq!(checked.size, bytes.len() as u64);
    assert_eq!(checked.sha256.len(), 64);
    assert!(checked.filename.chars().count() <= MAX_NAME_CHARS);
    assert!(!checked.filename.contains(['/', '\\']));
    let allowed = [
        ("application/pdf", "pdf"),
        (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
        (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        ("image/png", "png"),
        ("image/jpeg", "jpg"),
        ("text/plain", "txt"),
        ("text/csv", "csv"),
    ];
    assert!(
        allowed.contains(&(checked.mime, checked.extension)),
        "{checked:?}"
    );
    if checked.mime.starts_with("text/") {
        assert!(std::str::from_utf8(bytes).is_ok());
    }
});
