//! Two-factor sign-in: enrolment (a secret shown once, confirmed with a code), the check of a
//! code or a recovery code at sign-in, new recovery codes, and an admin's reset.

use lentera_domain::Role;
use lentera_store::two_factor;
use lentera_store::users::UserRow;
use uuid::Uuid;

use crate::auth::OfficerCtx;
use crate::crypto::{CROCKFORD, normalize_code, random_bytes};
use crate::totp;
use crate::{App, AppError};

/// Recovery codes handed out at a time.
pub const RECOVERY_CODES: usize = 10;
const ISSUER: &str = "Lentera PPID";

/// What a right password still needs before it opens anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecondFactor {
    None,
    /// A code from the officer's app, or a recovery code.
    Code,
    /// The installation requires a second factor of this role, and the officer has none yet.
    Enrol,
}

/// A secret being enrolled, in the forms an officer can give their app.
#[derive(Debug, Clone)]
pub struct Enrolment {
    /// Base32 in groups of four, to type by hand.
    pub secret_grouped: String,
    pub uri: String,
    /// The URI as an inline SVG QR code.
    pub qr_svg: Option<String>,
}

/// The state of an officer's second factor, for their account page.
#[derive(Debug, Clone)]
pub struct Status {
    pub enrolled: bool,
    pub required: bool,
    pub recovery_left: i64,
}

/// Roles whose officers can reveal identity numbers or decide, and admins, who grant those.
pub fn role_needs_second_factor(role: Role) -> bool {
    matches!(
        role,
        Role::Admin | Role::Ppid | Role::PpidUnit | Role::Supervisor
    )
}

fn aad(user_id: Uuid) -> Vec<u8> {
    [b"totp:".as_slice(), user_id.as_bytes()].concat()
}

/// `ABCDE-FGHJK`: 50 random bits, in the alphabet of tracking codes.
fn recovery_code() -> Result<String, AppError> {
    let bytes: [u8; 10] = random_bytes()?;
    let chars: String = bytes
        .iter()
        .map(|b| char::from(CROCKFORD[usize::from(b & 31)]))
        .collect();
    Ok(format!("{}-{}", &chars[..5], &chars[5..]))
}

impl App {
    fn required_for(&self, user: &UserRow) -> bool {
        self.config.require_2fa && Role::parse(&user.role).is_some_and(role_needs_second_factor)
    }

    /// What `user`, whose password was right, needs before signing in.
    pub async fn second_factor(&self, user: &UserRow) -> Result<SecondFactor, AppError> {
        let row = two_factor::get(&self.db, user.id).await?;
        Ok(match row {
            Some(r) if r.confirmed_at.is_some() => SecondFactor::Code,
            _ if self.required_for(user) => SecondFactor::Enrol,
            _ => SecondFactor::None,
        })
    }

    pub async fn two_factor_status(&self, user: &UserRow) -> Result<Status, AppError> {
        let enrolled = two_factor::get(&self.db, user.id)
            .await?
            .is_some_and(|r| r.confirmed_at.is_some());
        Ok(Status {
            enrolled,
            required: enrolled || self.required_for(user),
            recovery_left: if enrolled {
                two_factor::unused_recovery(&self.db, user.id).await?
            } else {
                0
            },
        })
    }

    fn secret_of(&self, user_id: Uuid, enc: &[u8]) -> Result<Vec<u8>, AppError> {
        let hex_secret = self.secret().decrypt(enc, &aad(user_id))?;
        hex::decode(hex_secret).map_err(|e| AppError::Unexpected(anyhow::Error::new(e)))
    }

    fn enrolment_of(user: &UserRow, secret: &[u8]) -> Enrolment {
        let b32 = totp::base32_encode(secret);
        let uri = totp::otpauth_uri(ISSUER, &user.email, &b32);
        Enrolment {
            secret_grouped: totp::grouped(&b32),
            qr_svg: totp::qr_svg(&uri),
            uri,
        }
    }

    /// The secret being enrolled: the one shown before while it is unconfirmed (a reload shows
    /// the same), else a new one. An enrolled officer must be reset by an admin first.
    pub async fn enrolment(&self, user: &UserRow) -> Result<Enrolment, AppError> {
        if let Some(r) = two_factor::get(&self.db, user.id).await? {
            if r.confirmed_at.is_some() {
                return Err(AppError::Conflict {
                    code: "totp.already_enrolled",
                    message: "Verifikasi dua langkah sudah aktif.".into(),
                });
            }
            return Ok(Self::enrolment_of(
                user,
                &self.secret_of(user.id, &r.secret_enc)?,
            ));
        }
        // 160 bits, the length RFC 4226 recommends for HMAC-SHA1.
        let secret: [u8; 20] = random_bytes()?;
        let enc = self.secret().encrypt(&hex::encode(secret), &aad(user.id))?;
        two_factor::start(&self.db, user.id, &enc, self.now()).await?;
        Ok(Self::enrolment_of(user, &secret))
    }

    /// Confirms the enrolment with a code from the app: returns the recovery codes, shown
    /// this once (only their hashes are kept).
    pub async fn confirm_enrolment(
        &self,
        user: &UserRow,
        code: &str,
    ) -> Result<Vec<String>, AppError> {
        let row = two_factor::get(&self.db, user.id)
            .await?
            .filter(|r| r.confirmed_at.is_none())
            .ok_or(AppError::Unauthorized("auth.totp_invalid"))?;
        let secret = self.secret_of(user.id, &row.secret_enc)?;
        let now_step = totp::step_of(self.totp_now().unix_timestamp());
        let step = totp::matching_step(&secret, code, now_step)
            .ok_or(AppError::Unauthorized("auth.totp_invalid"))?;
        let codes = (0..RECOVERY_CODES)
            .map(|_| recovery_code())
            .collect::<Result<Vec<_>, _>>()?;
        let hashes: Vec<String> = codes
            .iter()
            .map(|c| self.secret().hash(&normalize_code(c)))
            .collect();
        if !two_factor::confirm(&self.db, user.id, step, &hashes, self.now()).await? {
            return Err(AppError::Unauthorized("auth.totp_invalid"));
        }
        self.audit(user.id, "totp.enrolled", user.id, "").await?;
        Ok(codes)
    }

    /// Checks a code of the officer's app (each step once) or spends a recovery code. A wrong
    /// one counts towards the (e-mail, address) lock like a wrong password.
    pub async fn verify_second_factor(
        &self,
        user: &UserRow,
        code: &str,
        client: Option<std::net::IpAddr>,
    ) -> Result<(), AppError> {
        if self.second_factor_locked(user, client).await {
            return Err(AppError::Unauthorized("auth.locked"));
        }
        let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        let ok = if digits.len() == totp::DIGITS as usize
            && digits.bytes().all(|b| b.is_ascii_digit())
        {
            self.check_totp(user, &digits).await?
        } else {
            let hash = self.secret().hash(&normalize_code(code));
            let used = two_factor::use_recovery(&self.db, user.id, &hash, self.now()).await?;
            if used {
                self.audit(user.id, "totp.recovery_used", user.id, "")
                    .await?;
            }
            used
        };
        if ok {
            Ok(())
        } else {
            self.second_factor_failed(user, client).await;
            tracing::warn!(user = %user.id, "wrong second factor");
            Err(AppError::Unauthorized("auth.totp_invalid"))
        }
    }

    /// A code of the officer's app within one step of now, not used before.
    async fn check_totp(&self, user: &UserRow, code: &str) -> Result<bool, AppError> {
        let Some(row) = two_factor::get(&self.db, user.id)
            .await?
            .filter(|r| r.confirmed_at.is_some())
        else {
            return Ok(false);
        };
        let secret = self.secret_of(user.id, &row.secret_enc)?;
        let now_step = totp::step_of(self.totp_now().unix_timestamp());
        match totp::matching_step(&secret, code, now_step) {
            Some(step) => Ok(two_factor::use_step(&self.db, user.id, step).await?),
            None => Ok(false),
        }
    }

    /// New recovery codes for an enrolled officer, who proves it with a current code; the old
    /// ones stop working.
    pub async fn new_recovery_codes(
        &self,
        officer: &OfficerCtx,
        code: &str,
        client: Option<std::net::IpAddr>,
    ) -> Result<Vec<String>, AppError> {
        let user = &officer.user;
        if !self.check_totp(user, code.trim()).await? {
            self.second_factor_failed(user, client).await;
            return Err(AppError::Unauthorized("auth.totp_invalid"));
        }
        let codes = (0..RECOVERY_CODES)
            .map(|_| recovery_code())
            .collect::<Result<Vec<_>, _>>()?;
        let hashes: Vec<String> = codes
            .iter()
            .map(|c| self.secret().hash(&normalize_code(c)))
            .collect();
        two_factor::replace_recovery(&self.db, user.id, &hashes).await?;
        self.audit(user.id, "totp.recovery_renewed", user.id, "")
            .await?;
        Ok(codes)
    }

    /// An admin removes an officer's second factor (a lost phone): they enrol again at their
    /// next sign-in, and their sessions and tokens end now.
    pub async fn reset_two_factor(
        &self,
        admin: &OfficerCtx,
        user_id: Uuid,
    ) -> Result<(), AppError> {
        self.require_admin(admin)?;
        let user = self.user_by_id(user_id).await?;
        if !two_factor::remove(&self.db, user.id).await? {
            return Err(AppError::Conflict {
                code: "totp.not_enrolled",
                message: "Petugas ini belum memakai verifikasi dua langkah.".into(),
            });
        }
        self.end_everything(user.id).await?;
        self.audit(admin.user.id, "totp.reset", user.id, "").await?;
        Ok(())
    }
}
