//! RFC 6238 time-based one-time passwords (HMAC-SHA1, 30-second steps, 6 digits), the base32
//! of RFC 4648 that authenticator apps read, and the `otpauth://` URI they scan.

use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;

pub const STEP_SECONDS: i64 = 30;
pub const DIGITS: u32 = 6;
/// Steps accepted on either side of now: phones drift, and a code typed at the end of its
/// step arrives in the next one.
pub const WINDOW: i64 = 1;

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// The step of a Unix time.
pub fn step_of(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(STEP_SECONDS)
}

/// HOTP (RFC 4226) of `counter`, as the number of `DIGITS` digits.
pub fn hotp(secret: &[u8], counter: u64) -> u32 {
    // Any key length is valid for HMAC: this cannot fail.
    let Ok(mut mac) = <Hmac<Sha1> as KeyInit>::new_from_slice(secret) else {
        return u32::MAX;
    };
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[digest.len() - 1] & 0x0f);
    let bin = (u32::from(digest[offset] & 0x7f) << 24)
        | (u32::from(digest[offset + 1]) << 16)
        | (u32::from(digest[offset + 2]) << 8)
        | u32::from(digest[offset + 3]);
    bin % 10u32.pow(DIGITS)
}

/// The code of a step, zero-padded.
pub fn code_at(secret: &[u8], step: i64) -> String {
    format!(
        "{:0width$}",
        hotp(secret, u64::try_from(step).unwrap_or(0)),
        width = DIGITS as usize
    )
}

/// The step within ±`WINDOW` of `now_step` whose code is `code`, if any. Compared in constant
/// time per candidate.
pub fn matching_step(secret: &[u8], code: &str, now_step: i64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut found = None;
    for step in now_step - WINDOW..=now_step + WINDOW {
        let expected = code_at(secret, step);
        let same = expected
            .bytes()
            .zip(code.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
        if same && found.is_none() {
            found = Some(step);
        }
    }
    found
}

/// RFC 4648 base32 without padding.
pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// Reads base32 (case, spaces and padding ignored); `None` on any other character.
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for c in text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '=' && *c != '-')
    {
        let c = c.to_ascii_uppercase();
        let v = ALPHABET.iter().position(|&a| char::from(a) == c)?;
        buffer = (buffer << 5) | u32::try_from(v).ok()?;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((buffer >> bits) & 0xff).ok()?);
        }
    }
    Some(out)
}

/// The secret in groups of four for typing by hand: `JBSW Y3DP EHPK 3PXP`.
pub fn grouped(base32: &str) -> String {
    base32
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'@' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The key URI authenticator apps scan (Google Authenticator's format, read by all of them).
pub fn otpauth_uri(issuer: &str, account: &str, base32: &str) -> String {
    format!(
        "otpauth://totp/{}:{}?secret={base32}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        percent(issuer),
        percent(account),
        percent(issuer)
    )
}

/// The URI as a QR code in SVG, black modules on white, to put inline in a page.
pub fn qr_svg(uri: &str) -> Option<String> {
    let code = qrcode::QrCode::with_error_correction_level(uri, qrcode::EcLevel::M).ok()?;
    Some(
        code.render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build()
            .trim_start_matches(r#"<?xml version="1.0" standalone="yes"?>"#)
            .to_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA1 rows (8 digits there: the last 6 are ours).
    #[test]
    fn rfc6238_test_vectors() {
        let secret = b"12345678901234567890";
        for (t, eight) in [
            (59_i64, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            assert_eq!(code_at(secret, step_of(t)), eight[2..], "T = {t}");
        }
    }

    #[test]
    fn rfc4226_hotp_vectors() {
        let secret = b"12345678901234567890";
        let expected = [
            755_224, 287_082, 359_152, 969_429, 338_314, 254_676, 287_922, 162_583, 399_871,
            520_489,
        ];
        for (i, e) in expected.iter().enumerate() {
            assert_eq!(hotp(secret, i as u64), *e);
        }
    }

    #[test]
    fn codes_one_step_either_side_are_accepted_not_two() {
        let secret = b"12345678901234567890";
        let now = step_of(1_234_567_890);
        for d in -1..=1 {
            assert_eq!(
                matching_step(secret, &code_at(secret, now + d), now),
                Some(now + d)
            );
        }
        assert_eq!(matching_step(secret, &code_at(secret, now + 2), now), None);
        assert_eq!(matching_step(secret, &code_at(secret, now - 2), now), None);
        assert_eq!(matching_step(secret, "12345", now), None);
        assert_eq!(matching_step(secret, "abcdef", now), None);
        let spaced = code_at(secret, now);
        assert_eq!(
            matching_step(secret, &format!("{} {}", &spaced[..3], &spaced[3..]), now),
            Some(now)
        );
    }

    #[test]
    fn base32_round_trips_rfc4648_vectors() {
        for (raw, enc) in [
            ("", ""),
            ("f", "MY"),
            ("fo", "MZXQ"),
            ("foo", "MZXW6"),
            ("foob", "MZXW6YQ"),
            ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI"),
        ] {
            assert_eq!(base32_encode(raw.as_bytes()), enc);
            assert_eq!(base32_decode(enc).as_deref(), Some(raw.as_bytes()));
        }
        assert_eq!(
            base32_decode("mzxw 6ytb oi======").as_deref(),
            Some(b"foobar".as_slice())
        );
        assert_eq!(base32_decode("MZ1W"), None);
        assert_eq!(grouped("JBSWY3DPEHPK3PXP"), "JBSW Y3DP EHPK 3PXP");
    }

    #[test]
    fn the_uri_names_issuer_and_account_and_becomes_a_qr_code() {
        let uri = otpauth_uri("Lentera PPID", "ppid@contoh.go.id", "JBSWY3DPEHPK3PXP");
        assert_eq!(
            uri,
            "otpauth://totp/Lentera%20PPID:ppid@contoh.go.id?secret=JBSWY3DPEHPK3PXP&issuer=Lentera%20PPID&algorithm=SHA1&digits=6&period=30"
        );
        let svg = qr_svg(&uri).expect("qr");
        assert!(svg.contains("<svg") && svg.contains("</svg>"));
    }
}
