//! Back-office sessions: a random cookie value whose hash is stored, with a CSRF token bound to
//! the session; idle sessions end. A right password of an officer with two-factor sign-in
//! opens only a short pending sign-in that waits for the code (or for enrolment).

use lentera_store::users::UserRow;
use lentera_store::{StoreError, sessions, two_factor};

use crate::auth::OfficerCtx;
use crate::crypto::random_bytes;
use crate::two_factor::SecondFactor;
use crate::{App, AppError};

/// `last_seen` is written at most this often: one write a minute per officer, not per page.
const TOUCH_EVERY: time::Duration = time::Duration::minutes(1);

/// A new session: the cookie value (secret) and the CSRF token for its forms.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub cookie: String,
    pub csrf: String,
}

/// Where a sign-in comes from.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    pub ip: Option<std::net::IpAddr>,
    pub user_agent: String,
}

/// The outcome of a right password.
#[derive(Debug, Clone)]
pub enum SignIn {
    Open(NewSession),
    /// The pending sign-in's cookie, and whether the officer must enrol first.
    SecondStep {
        pending: String,
        enrol: bool,
    },
}

impl App {
    /// Signs in with e-mail and password: a session, or the second step.
    pub async fn open_session(
        &self,
        email: &str,
        password: &str,
        client: &ClientInfo,
    ) -> Result<SignIn, AppError> {
        let user = self.sign_in(email, password, client.ip).await?;
        let factor = self.second_factor(&user).await?;
        if factor == SecondFactor::None {
            self.signed_in(&user, client.ip).await?;
            return Ok(SignIn::Open(self.new_session(&user, client).await?));
        }
        let pending = hex::encode(random_bytes::<32>()?);
        let now = self.now();
        two_factor::insert_pending(
            &self.db,
            &self.secret().hash(&pending),
            user.id,
            now,
            now + self.config.pending_ttl,
        )
        .await?;
        Ok(SignIn::SecondStep {
            pending,
            enrol: factor == SecondFactor::Enrol,
        })
    }

    async fn new_session(
        &self,
        user: &UserRow,
        client: &ClientInfo,
    ) -> Result<NewSession, AppError> {
        let cookie = hex::encode(random_bytes::<32>()?);
        let csrf = hex::encode(random_bytes::<24>()?);
        let now = self.now();
        sessions::insert(
            &self.db,
            &self.secret().hash(&cookie),
            user.id,
            &csrf,
            now,
            now + self.config.session_ttl,
            &sessions::Client {
                addr: client.ip.map(|i| i.to_string()).unwrap_or_default(),
                user_agent: client.user_agent.chars().take(300).collect(),
            },
        )
        .await?;
        Ok(NewSession { cookie, csrf })
    }

    /// The officer waiting at the second step, and what they still need.
    pub async fn pending_sign_in(
        &self,
        pending: &str,
    ) -> Result<(UserRow, SecondFactor), AppError> {
        let id = match two_factor::pending_user(&self.db, &self.secret().hash(pending), self.now())
            .await
        {
            Ok(id) => id,
            Err(StoreError::NotFound) => {
                return Err(AppError::Unauthorized("auth.session_expired"));
            }
            Err(e) => return Err(e.into()),
        };
        let user = self.user_by_id(id).await?;
        let factor = self.second_factor(&user).await?;
        Ok((user, factor))
    }

    /// The second step with a code (or a recovery code): the session.
    pub async fn finish_sign_in(
        &self,
        pending: &str,
        code: &str,
        client: &ClientInfo,
    ) -> Result<NewSession, AppError> {
        let (user, factor) = self.pending_sign_in(pending).await?;
        if factor != SecondFactor::Code {
            return Err(AppError::Unauthorized("auth.totp_enrolment_required"));
        }
        self.verify_second_factor(&user, code, client.ip).await?;
        self.close_pending(pending).await?;
        self.signed_in(&user, client.ip).await?;
        self.new_session(&user, client).await
    }

    /// The second step of an officer who must enrol: confirms the code of the new secret and
    /// opens the session; the recovery codes come back to be shown once.
    pub async fn finish_enrolment(
        &self,
        pending: &str,
        code: &str,
        client: &ClientInfo,
    ) -> Result<(NewSession, Vec<String>), AppError> {
        let (user, factor) = self.pending_sign_in(pending).await?;
        if factor != SecondFactor::Enrol {
            return Err(AppError::Unauthorized("auth.session_expired"));
        }
        if self.second_factor_locked(&user, client.ip).await {
            return Err(AppError::Unauthorized("auth.locked"));
        }
        let codes = match self.confirm_enrolment(&user, code).await {
            Ok(c) => c,
            Err(e) => {
                if matches!(e, AppError::Unauthorized(_)) {
                    self.second_factor_failed(&user, client.ip).await;
                }
                return Err(e);
            }
        };
        self.close_pending(pending).await?;
        self.signed_in(&user, client.ip).await?;
        Ok((self.new_session(&user, client).await?, codes))
    }

    pub async fn close_pending(&self, pending: &str) -> Result<(), AppError> {
        Ok(two_factor::delete_pending(&self.db, &self.secret().hash(pending), self.now()).await?)
    }

    /// The officer and CSRF token behind a session cookie; a session idle longer than
    /// `session_idle` has ended.
    pub async fn session(&self, cookie: &str) -> Result<(OfficerCtx, String), AppError> {
        let now = self.now();
        let hash = self.secret().hash(cookie);
        match sessions::get(&self.db, &hash, now, now - self.config.session_idle).await {
            Ok(live) => {
                if now - live.last_seen >= TOUCH_EVERY {
                    sessions::touch(&self.db, &hash, now).await?;
                }
                Ok((self.officer(live.user).await?, live.csrf))
            }
            Err(StoreError::NotFound) => Err(AppError::Unauthorized("auth.session_expired")),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn close_session(&self, cookie: &str) -> Result<(), AppError> {
        Ok(sessions::delete(&self.db, &self.secret().hash(cookie)).await?)
    }
}
