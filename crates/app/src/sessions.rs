//! Back-office sessions: a random cookie value whose hash is stored, with a CSRF token bound to
//! the session; idle sessions expire.

use lentera_store::{StoreError, sessions};

use crate::auth::OfficerCtx;
use crate::crypto::random_bytes;
use crate::{App, AppError};

/// A new session: the cookie value (secret) and the CSRF token for its forms.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub cookie: String,
    pub csrf: String,
}

impl App {
    /// Signs in with e-mail and password and opens a session.
    pub async fn open_session(
        &self,
        email: &str,
        password: &str,
        client: Option<std::net::IpAddr>,
    ) -> Result<NewSession, AppError> {
        let user = self.sign_in(email, password, client).await?;
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
        )
        .await?;
        Ok(NewSession { cookie, csrf })
    }

    /// The officer and CSRF token behind a session cookie.
    pub async fn session(&self, cookie: &str) -> Result<(OfficerCtx, String), AppError> {
        match sessions::get(&self.db, &self.secret().hash(cookie), self.now()).await {
            Ok((user, csrf)) => Ok((self.officer(user).await?, csrf)),
            Err(StoreError::NotFound) => Err(AppError::Unauthorized("auth.session_expired")),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn close_session(&self, cookie: &str) -> Result<(), AppError> {
        Ok(sessions::delete(&self.db, &self.secret().hash(cookie)).await?)
    }
}
