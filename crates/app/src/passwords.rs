//! The password rule: long enough, not a common or breached password (an offline list shipped
//! in the binary), not the e-mail address, not one character or a run of the keyboard.

use std::collections::HashSet;
use std::sync::LazyLock;

use lentera_domain::submission::FieldErrors;

pub const MIN_PASSWORD: usize = 10;

const LIST: &str = include_str!("../data/common-passwords.txt");

static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    LIST.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

/// Why `password` is refused for the account `email`, as the field error code of `password`:
/// `too_short`, `common_password`, `contains_email` or `too_simple`.
pub fn refusal(password: &str, email: &str) -> Option<&'static str> {
    if password.chars().count() < MIN_PASSWORD {
        return Some("too_short");
    }
    let lower = password.to_lowercase();
    // A common word with digits or signs around it ("dragon2024!", "!password1") is as common.
    let core = lower.trim_matches(|c: char| !c.is_alphabetic());
    if COMMON.contains(lower.as_str()) || (core.chars().count() >= 4 && COMMON.contains(core)) {
        return Some("common_password");
    }
    let email = email.trim().to_lowercase();
    let local = email.split('@').next().unwrap_or("");
    if !email.is_empty() && (lower.contains(&email) || (local.len() >= 4 && lower.contains(local)))
    {
        return Some("contains_email");
    }
    let distinct: HashSet<char> = lower.chars().collect();
    if distinct.len() <= 3 || is_run(&lower) {
        return Some("too_simple");
    }
    None
}

/// `abcdefghij`, `9876543210`: each character one after (or before) the one before it.
fn is_run(s: &str) -> bool {
    let codes: Vec<i64> = s.chars().map(|c| i64::from(u32::from(c))).collect();
    let steps: HashSet<i64> = codes.windows(2).map(|w| w[1] - w[0]).collect();
    steps.len() == 1 && steps.iter().all(|d| d.abs() == 1)
}

/// [`refusal`] as the field errors of a form.
pub fn check(password: &str, email: &str) -> Result<(), FieldErrors> {
    match refusal(password, email) {
        None => Ok(()),
        Some(code) => {
            let mut e = FieldErrors::default();
            e.add("password", code);
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_shipped_and_long_enough() {
        assert!(COMMON.len() > 3000, "{}", COMMON.len());
        assert!(COMMON.contains("qwertyuiop"));
    }

    #[test]
    fn common_breached_and_simple_passwords_are_refused() {
        let e = "siti.aminah@contoh.go.id";
        for (pw, why) in [
            ("pendek", "too_short"),
            ("qwertyuiop", "common_password"),
            ("1q2w3e4r5t", "common_password"),
            ("Password123", "common_password"),
            ("dragon2024!", "common_password"),
            ("!!sunshine!!", "common_password"),
            ("katasandi2026", "common_password"),
            ("siti.aminah2026", "contains_email"),
            ("Siti.Aminah@contoh.go.id", "contains_email"),
            ("aaaaaaaaaaaa", "too_simple"),
            ("ababababab", "too_simple"),
            ("abcdefghijk", "too_simple"),
            ("klmnopqrstu", "too_simple"),
        ] {
            assert_eq!(refusal(pw, e), Some(why), "{pw}");
        }
    }

    #[test]
    fn good_passwords_pass() {
        for pw in [
            "lentera-demo-2026",
            "rahasia-petugas-1",
            "kata-sandi-panjang",
            "Kopi tubruk di pagi hari",
            "8yT!q2#mZr",
        ] {
            assert_eq!(refusal(pw, "ppid@contoh.go.id"), None, "{pw}");
        }
    }
}
