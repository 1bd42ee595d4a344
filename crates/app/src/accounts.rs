//! An officer's own account (password change, their sessions) and what an admin does to
//! accounts (deactivate, reactivate, a one-time reset link). Every step is in the audit log.

use lentera_domain::Role;
use lentera_store::users::{self, UserRow};
use lentera_store::{StoreError, sessions};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::{OfficerCtx, hash_password};
use crate::crypto::random_bytes;
use crate::{App, AppError};

/// A session as its officer sees it in their list.
#[derive(Debug, Clone)]
pub struct SessionView {
    /// The handle of "end this session" (the stored hash, never the cookie).
    pub id: String,
    pub current: bool,
    pub created_at: OffsetDateTime,
    pub last_seen: OffsetDateTime,
    pub client_addr: String,
    pub user_agent: String,
}

/// An account as the admin's list shows it.
#[derive(Debug, Clone)]
pub struct AccountLine {
    pub id: Uuid,
    pub email: String,
    pub role: String,
    /// The slug of the account's body or unit.
    pub body: String,
    pub active: bool,
    /// Whether the account has enrolled a second factor.
    pub two_factor: bool,
}

/// A reset link as the admin hands it over: the path to open, and until when it works.
#[derive(Debug, Clone)]
pub struct ResetLink {
    pub token: String,
    pub expires_at: OffsetDateTime,
}

async fn hash_off_thread(password: &str) -> Result<String, AppError> {
    let pw = password.to_owned();
    tokio::task::spawn_blocking(move || hash_password(&pw))
        .await
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("password hashing stopped: {e}")))?
}

impl App {
    /// Every account of the installation, with its body and second factor, for the admin.
    pub async fn accounts(&self) -> Result<Vec<AccountLine>, AppError> {
        let slug_of: std::collections::HashMap<Uuid, String> =
            lentera_store::bodies::list(&self.db)
                .await?
                .into_iter()
                .map(|b| (b.id, b.slug))
                .collect();
        let enrolled: std::collections::HashSet<Uuid> =
            lentera_store::two_factor::enrolled_users(&self.db)
                .await?
                .into_iter()
                .collect();
        Ok(users::list(&self.db)
            .await?
            .into_iter()
            .map(|u| AccountLine {
                two_factor: enrolled.contains(&u.id),
                body: slug_of.get(&u.body_id).cloned().unwrap_or_default(),
                id: u.id,
                email: u.email,
                role: u.role,
                active: u.active,
            })
            .collect())
    }

    /// The e-mail address of one account.
    pub async fn account_email(&self, id: Uuid) -> Result<String, AppError> {
        Ok(users::get(&self.db, id).await?.email)
    }

    pub(crate) async fn audit(
        &self,
        actor: Uuid,
        action: &str,
        user: Uuid,
        detail: &str,
    ) -> Result<(), AppError> {
        lentera_store::audit::record(
            &self.db,
            self.now(),
            Some(actor),
            action,
            "user",
            &user.to_string(),
            detail,
        )
        .await?;
        Ok(())
    }

    pub(crate) fn require_admin(&self, officer: &OfficerCtx) -> Result<(), AppError> {
        if officer.role == Role::Admin {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub(crate) async fn user_by_id(&self, id: Uuid) -> Result<UserRow, AppError> {
        match users::get(&self.db, id).await {
            Ok(u) => Ok(u),
            Err(StoreError::NotFound) => Err(AppError::NotFound("user.not_found")),
            Err(e) => Err(e.into()),
        }
    }

    /// Ends every session, pending sign-in and API token of the officer.
    pub(crate) async fn end_everything(&self, user_id: Uuid) -> Result<(), AppError> {
        sessions::delete_all_for_user(&self.db, user_id, None).await?;
        users::revoke_all_tokens(&self.db, user_id).await?;
        Ok(())
    }

    /// The officer's open sessions, the one of `current_cookie` marked.
    pub async fn my_sessions(
        &self,
        officer: &OfficerCtx,
        current_cookie: &str,
    ) -> Result<Vec<SessionView>, AppError> {
        let now = self.now();
        let current = self.secret().hash(current_cookie);
        let rows = sessions::list_for_user(
            &self.db,
            officer.user.id,
            now,
            now - self.config.session_idle,
        )
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| SessionView {
                current: r.id_hash == current,
                id: r.id_hash,
                created_at: r.created_at,
                last_seen: r.last_seen,
                client_addr: r.client_addr,
                user_agent: r.user_agent,
            })
            .collect())
    }

    /// Ends one of the officer's own sessions.
    pub async fn end_my_session(&self, officer: &OfficerCtx, id: &str) -> Result<(), AppError> {
        if !sessions::delete_for_user(&self.db, officer.user.id, id).await? {
            return Err(AppError::NotFound("session.not_found"));
        }
        self.audit(officer.user.id, "session.ended", officer.user.id, "")
            .await
    }

    /// Ends every other session of the officer (this one stays); the number ended.
    pub async fn end_my_other_sessions(
        &self,
        officer: &OfficerCtx,
        current_cookie: &str,
    ) -> Result<u64, AppError> {
        let keep = self.secret().hash(current_cookie);
        let n = sessions::delete_all_for_user(&self.db, officer.user.id, Some(&keep)).await?;
        self.audit(officer.user.id, "session.ended_others", officer.user.id, "")
            .await?;
        Ok(n)
    }

    /// Changes the officer's own password: the old one is required, the new one follows the
    /// password rule; every other session and every API token ends.
    pub async fn change_password(
        &self,
        officer: &OfficerCtx,
        current_cookie: &str,
        old: &str,
        new: &str,
        client: Option<std::net::IpAddr>,
    ) -> Result<(), AppError> {
        // The old password is checked like a sign-in: same lock, same slowness.
        if let Err(e) = self.sign_in(&officer.user.email, old, client).await {
            return Err(match e {
                AppError::Unauthorized("auth.locked") => e,
                AppError::Unauthorized(_) => AppError::field("old_password", "wrong_password"),
                other => other,
            });
        }
        crate::passwords::check(new, &officer.user.email).map_err(AppError::Invalid)?;
        let hash = hash_off_thread(new).await?;
        users::set_password_hash(&self.db, officer.user.id, &hash).await?;
        let keep = self.secret().hash(current_cookie);
        sessions::delete_all_for_user(&self.db, officer.user.id, Some(&keep)).await?;
        users::revoke_all_tokens(&self.db, officer.user.id).await?;
        self.audit(officer.user.id, "password.changed", officer.user.id, "")
            .await
    }

    /// An admin deactivates (or reactivates) an officer: a deactivated officer's sessions and
    /// tokens stop at once, and they cannot sign in. Admins cannot deactivate themselves.
    pub async fn set_user_active(
        &self,
        admin: &OfficerCtx,
        user_id: Uuid,
        active: bool,
    ) -> Result<(), AppError> {
        self.require_admin(admin)?;
        if user_id == admin.user.id && !active {
            return Err(AppError::Conflict {
                code: "user.self_deactivation",
                message: "Admin tidak dapat menonaktifkan akunnya sendiri.".into(),
            });
        }
        let user = self.user_by_id(user_id).await?;
        if !users::set_active(&self.db, user.id, active).await? {
            return Ok(());
        }
        if !active {
            self.end_everything(user.id).await?;
        }
        let action = if active {
            "user.reactivated"
        } else {
            "user.deactivated"
        };
        self.audit(admin.user.id, action, user.id, "").await
    }

    /// An admin starts a password reset: a one-time link to hand over to the officer. Only
    /// the newest link works.
    pub async fn start_password_reset(
        &self,
        admin: &OfficerCtx,
        user_id: Uuid,
    ) -> Result<ResetLink, AppError> {
        self.require_admin(admin)?;
        let user = self.user_by_id(user_id).await?;
        let token = hex::encode(random_bytes::<24>()?);
        let now = self.now();
        let expires_at = now + self.config.reset_ttl;
        users::insert_reset(
            &self.db,
            &self.secret().hash(&token),
            user.id,
            admin.user.id,
            now,
            expires_at,
        )
        .await?;
        self.audit(admin.user.id, "password.reset_started", user.id, "")
            .await?;
        Ok(ResetLink { token, expires_at })
    }

    /// The officer a reset link is for, while it works.
    pub async fn reset_link_user(&self, token: &str) -> Result<UserRow, AppError> {
        match users::reset_user(&self.db, &self.secret().hash(token.trim()), self.now()).await {
            Ok(id) => self.user_by_id(id).await,
            Err(StoreError::NotFound) => Err(AppError::NotFound("reset.invalid")),
            Err(e) => Err(e.into()),
        }
    }

    /// Follows a reset link: sets the new password (under the password rule), spends the
    /// link, and ends the officer's sessions and tokens.
    pub async fn finish_password_reset(&self, token: &str, new: &str) -> Result<(), AppError> {
        let user = self.reset_link_user(token).await?;
        crate::passwords::check(new, &user.email).map_err(AppError::Invalid)?;
        let hash = hash_off_thread(new).await?;
        let Some(id) = users::use_reset(
            &self.db,
            &self.secret().hash(token.trim()),
            &hash,
            self.now(),
        )
        .await?
        else {
            return Err(AppError::NotFound("reset.invalid"));
        };
        self.end_everything(id).await?;
        let prefix = format!("{}|", self.login_prefix(&user.email));
        self.brake_clear_prefix(&self.login_rule(), &prefix).await;
        self.audit(id, "password.reset_done", id, "").await
    }
}
