//! Identity numbers (NIK) are encrypted at rest with XChaCha20-Poly1305 under a key that lives
//! outside the database (`LENTERA_SECRET_KEY` or the key file in the data folder). The row id is
//! the associated data, so a ciphertext copied to another row does not decrypt.

use std::path::Path;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use sha2::{Digest, Sha256};

/// Format byte in front of every ciphertext, for key rotation later.
const VERSION: u8 = 1;

#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error("secret key must be 64 hexadecimal characters")]
    BadKey,
    #[error("cannot read or create the key file {path}: {source}")]
    KeyFile {
        path: String,
        source: std::io::Error,
    },
    #[error("random source failed")]
    Random,
    #[error("identity data cannot be decrypted with this key")]
    Decrypt,
}

pub fn random_bytes<const N: usize>() -> Result<[u8; N], CryptoError> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|_| CryptoError::Random)?;
    Ok(b)
}

pub fn sha256_hex(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    hex::encode(h.finalize())
}

/// The installation secret: encrypts identity numbers and peppers tracking-code hashes.
#[derive(Clone)]
pub struct Secret {
    cipher: XChaCha20Poly1305,
    pepper: [u8; 32],
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(..)")
    }
}

impl Secret {
    pub fn from_key(key: [u8; 32]) -> Self {
        let cipher = XChaCha20Poly1305::new(&Key::from(key));
        // A separate derived value for hashing, so the encryption key itself is never hashed
        // next to attacker-chosen input.
        let mut pepper = [0u8; 32];
        pepper.copy_from_slice(&Sha256::digest(
            [b"lentera-pepper-v1".as_slice(), &key].concat(),
        ));
        Self { cipher, pepper }
    }

    pub fn from_hex(s: &str) -> Result<Self, CryptoError> {
        let bytes = hex::decode(s.trim()).map_err(|_| CryptoError::BadKey)?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| CryptoError::BadKey)?;
        Ok(Self::from_key(key))
    }

    /// `LENTERA_SECRET_KEY` if set, else `<data_dir>/secret.key`, created (mode 0600) on first use.
    pub fn load(env_value: Option<&str>, data_dir: &Path) -> Result<Self, CryptoError> {
        if let Some(v) = env_value.filter(|v| !v.trim().is_empty()) {
            return Self::from_hex(v);
        }
        let path = data_dir.join("secret.key");
        let err = |source| CryptoError::KeyFile {
            path: path.display().to_string(),
            source,
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::from_hex(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(data_dir).map_err(err)?;
                let key: [u8; 32] = random_bytes()?;
                write_private(&path, &hex::encode(key)).map_err(err)?;
                Ok(Self::from_key(key))
            }
            Err(e) => Err(err(e)),
        }
    }

    pub fn encrypt(&self, plaintext: &str, aad: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let nonce_bytes: [u8; 24] = random_bytes()?;
        let nonce = XNonce::from(nonce_bytes);
        let ct = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext.as_bytes(),
                    aad,
                },
            )
            .map_err(|_| CryptoError::Decrypt)?;
        let mut out = Vec::with_capacity(1 + 24 + ct.len());
        out.push(VERSION);
        out.extend_from_slice(&nonce_bytes);
        out.extend_from_slice(&ct);
        Ok(out)
    }

    pub fn decrypt(&self, data: &[u8], aad: &[u8]) -> Result<String, CryptoError> {
        let (Some(&VERSION), Some(nonce), Some(ct)) =
            (data.first(), data.get(1..25), data.get(25..))
        else {
            return Err(CryptoError::Decrypt);
        };
        let nonce_bytes: [u8; 24] = nonce.try_into().map_err(|_| CryptoError::Decrypt)?;
        let pt = self
            .cipher
            .decrypt(&XNonce::from(nonce_bytes), Payload { msg: ct, aad })
            .map_err(|_| CryptoError::Decrypt)?;
        String::from_utf8(pt).map_err(|_| CryptoError::Decrypt)
    }

    /// Keyed hash for secrets that are only ever compared (tracking codes, API tokens).
    pub fn hash(&self, value: &str) -> String {
        sha256_hex(&[&self.pepper, value.as_bytes()])
    }

    /// Names the key without revealing it: a backup records it, so that a restore can tell the
    /// operator that the key file given is not the one the data was encrypted with.
    pub fn fingerprint(&self) -> String {
        sha256_hex(&[b"lentera-key-fingerprint-v1", &self.pepper])
    }

    /// A short HMAC-SHA-256 under the key, for links that must work without a sign-in and
    /// cannot be guessed (a letter's download); `purpose` keeps one link kind from opening
    /// another.
    pub fn sign(&self, purpose: &str, data: &str) -> String {
        use hmac::{KeyInit as _, Mac as _};
        let mut mac = hmac::Hmac::<Sha256>::new_from_slice(&self.pepper)
            .unwrap_or_else(|_| unreachable!("HMAC accepts a key of any length"));
        mac.update(b"lentera-link-v1\n");
        mac.update(purpose.as_bytes());
        mac.update(b"\n");
        mac.update(data.as_bytes());
        let mut out = hex::encode(mac.finalize().into_bytes());
        out.truncate(32);
        out
    }

    /// Whether `token` is [`Self::sign`] of `data` for `purpose` (compared in constant time).
    pub fn verify(&self, purpose: &str, data: &str, token: &str) -> bool {
        constant_time_eq(self.sign(purpose, data).as_bytes(), token.as_bytes())
    }

    /// HMAC-SHA-256 under the key: a backup's manifest is sealed with it, so that a file changed
    /// together with its checksum in the manifest is still refused by whoever holds the key.
    pub fn seal(&self, data: &[u8]) -> String {
        use hmac::{KeyInit as _, Mac as _};
        let mut mac = hmac::Hmac::<Sha256>::new_from_slice(&self.pepper)
            .unwrap_or_else(|_| unreachable!("HMAC accepts a key of any length"));
        mac.update(b"lentera-backup-seal-v1");
        mac.update(data);
        hex::encode(mac.finalize().into_bytes())
    }
}

/// Writes a key (64 hex characters) to a new file readable by its owner only (0600); an
/// existing file is never overwritten.
pub fn write_key_file(path: &Path, hex_key: &str) -> Result<(), CryptoError> {
    Secret::from_hex(hex_key)?;
    write_private(path, &format!("{}\n", hex_key.trim())).map_err(|source| CryptoError::KeyFile {
        path: path.display().to_string(),
        source,
    })
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

/// Equality that takes as long whatever the first difference (for secrets compared to input).
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A letter's verification code: 10 Crockford characters (50 bits), easy to type from paper.
pub fn verify_code() -> Result<String, CryptoError> {
    let bytes: [u8; 10] = random_bytes()?;
    Ok(bytes
        .iter()
        .map(|b| char::from(CROCKFORD[usize::from(b & 31)]))
        .collect())
}

pub(crate) const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A tracking code like `7K2M-QX9D-4HTB` (60 random bits, no I/L/O/U to misread).
pub fn tracking_code() -> Result<String, CryptoError> {
    let bytes: [u8; 12] = random_bytes()?;
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| char::from(CROCKFORD[usize::from(b & 31)]))
        .collect();
    Ok(chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-"))
}

/// Upper-case, without separators, with the usual misreadings mapped (O→0, I/L→1).
pub fn normalize_code(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_numbers_round_trip_and_are_bound_to_their_row() {
        let s = Secret::from_key([7; 32]);
        let ct = s.encrypt("3374015708900001", b"row-1").expect("encrypt");
        assert!(!ct.windows(16).any(|w| w == b"3374015708900001"));
        assert_eq!(
            s.decrypt(&ct, b"row-1").expect("decrypt"),
            "3374015708900001"
        );
        assert!(s.decrypt(&ct, b"row-2").is_err());
        assert!(Secret::from_key([8; 32]).decrypt(&ct, b"row-1").is_err());
        // Same plaintext twice gives different ciphertexts (random nonce).
        assert_ne!(
            ct,
            s.encrypt("3374015708900001", b"row-1").expect("encrypt")
        );
    }

    #[test]
    fn tracking_codes_are_grouped_and_normalised() {
        let c = tracking_code().expect("random");
        assert_eq!(c.len(), 14);
        assert_eq!(normalize_code(&c.to_lowercase()), c.replace('-', ""));
        assert_eq!(normalize_code("o1l-i"), "0111");
    }

    #[test]
    fn key_file_is_created_once_and_reused() {
        let dir =
            std::env::temp_dir().join(format!("lentera-key-{}", uuid::Uuid::now_v7().simple()));
        let a = Secret::load(None, &dir).expect("create");
        let b = Secret::load(None, &dir).expect("reuse");
        assert_eq!(a.hash("x"), b.hash("x"));
        assert!(Secret::from_hex("zz").is_err());
    }
}
