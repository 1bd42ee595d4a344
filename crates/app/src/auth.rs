//! Officers: Argon2id passwords, bearer tokens (stored hashed), lock-out after repeated failures.

use std::sync::Arc;

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use lentera_domain::Role;
use lentera_domain::access::Officer as PolicyOfficer;
use lentera_domain::submission::FieldErrors;
use lentera_store::StoreError;
use lentera_store::users::{self, UserRow};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::crypto::random_bytes;
use crate::{App, AppError, BodyEntry};

pub use crate::passwords::MIN_PASSWORD;

/// A signed-in officer with their body.
#[derive(Debug, Clone)]
pub struct OfficerCtx {
    pub user: UserRow,
    pub role: Role,
    pub body: Arc<BodyEntry>,
    pub home: Arc<BodyEntry>,
}

impl OfficerCtx {
    pub fn policy(&self) -> PolicyOfficer {
        PolicyOfficer {
            role: self.role,
            body: self.body.row.slug.clone(),
            home_body: self.home.row.slug.clone(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct IssuedToken {
    pub token: String,
    pub expires_at: OffsetDateTime,
}

pub fn hash_password(password: &str) -> Result<String, AppError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("password hashing failed: {e}")))
}

fn verify_password(password: &str, hash: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), hash)
        .is_ok()
}

/// Verified against when the e-mail is unknown, so that both answers take the same time.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_password("lentera-dummy-password").unwrap_or_default());

#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub display_name: Option<String>,
    pub role: String,
    pub body: String,
    pub password: String,
}

impl App {
    pub async fn create_user(&self, u: &NewUser) -> Result<Uuid, AppError> {
        self.create_user_hashed(u, None, None).await
    }

    /// [`App::create_user`] by an admin in the back office (the audit log names them).
    pub async fn create_user_as(&self, u: &NewUser, admin: &OfficerCtx) -> Result<Uuid, AppError> {
        if admin.role != Role::Admin {
            return Err(AppError::Forbidden);
        }
        self.create_user_hashed(u, None, Some(admin.user.id)).await
    }

    /// [`App::create_user`], with the Argon2 hash of `u.password` when the caller already has
    /// one (the demo's accounts share one password; hashing it once saves a core-second).
    pub(crate) async fn create_user_hashed(
        &self,
        u: &NewUser,
        known_hash: Option<&str>,
        actor: Option<Uuid>,
    ) -> Result<Uuid, AppError> {
        let mut e = FieldErrors::default();
        let email = u.email.trim().to_lowercase();
        if !(email.contains('@') && email.len() <= 254 && !email.contains(char::is_whitespace)) {
            e.add("email", "invalid_email");
        }
        let role = Role::parse(u.role.trim());
        if role.is_none() {
            e.add("role", "invalid_choice");
        }
        if let Some(code) = crate::passwords::refusal(&u.password, &email) {
            e.add("password", code);
        }
        let body = self.body_by_slug(u.body.trim()).await?;
        if body.is_none() {
            e.add("body", "unknown_body");
        }
        if role == Some(Role::PpidUnit) && body.as_ref().is_some_and(|b| b.row.kind != "unit") {
            e.add("body", "ppid_unit_needs_a_unit");
        }
        // A unit has only its unit officers: a PPID, atasan or viewer there would see the
        // body's unrouted cases and full identity numbers from inside a unit.
        if matches!(role, Some(Role::Ppid | Role::Supervisor | Role::Viewer))
            && body.as_ref().is_some_and(|b| b.row.kind == "unit")
        {
            e.add("role", "only_ppid_unit_in_a_unit");
        }
        let (Some(role), Some(body)) = (role, body) else {
            return Err(AppError::Invalid(e));
        };
        if !e.is_empty() {
            return Err(AppError::Invalid(e));
        }
        // Argon2 takes tens of milliseconds of one core: off the request threads.
        let password_hash = match known_hash {
            Some(h) => h.to_owned(),
            None => {
                let password = u.password.clone();
                tokio::task::spawn_blocking(move || hash_password(&password))
                    .await
                    .map_err(|e| {
                        AppError::Unexpected(anyhow::anyhow!("password hashing stopped: {e}"))
                    })??
            }
        };
        let row = UserRow {
            id: Uuid::now_v7(),
            display_name: u.display_name.clone().unwrap_or_else(|| email.clone()),
            email,
            password_hash,
            role: role.as_str().into(),
            body_id: body.row.id,
            active: true,
            failed_logins: 0,
            locked_until: None,
            created_at: self.now(),
        };
        match users::insert(&self.db, &row).await {
            Ok(()) => {
                lentera_store::audit::record(
                    &self.db,
                    self.now(),
                    actor,
                    "user.created",
                    "user",
                    &row.id.to_string(),
                    &row.role,
                )
                .await?;
                Ok(row.id)
            }
            Err(StoreError::Conflict(_)) => Err(AppError::field("email", "taken")),
            Err(e) => Err(e.into()),
        }
    }

    /// Checks e-mail and password. Repeated failures lock the pair (e-mail, client address)
    /// for a while, whether the account exists or not: the lock then says nothing about which
    /// accounts exist, and a stranger's guesses cannot lock an officer out of their own desk.
    /// Guessing across accounts from one address is braked by the web layer's per-address
    /// limit; argon2 makes every guess slow.
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        client: Option<std::net::IpAddr>,
    ) -> Result<UserRow, AppError> {
        let email = email.trim().to_lowercase();
        let now = self.now();
        let key = self.login_key(&email, client);
        if self.login_locked(&key, now).await {
            return Err(AppError::Unauthorized("auth.locked"));
        }
        let user = match users::get_by_email(&self.db, &email).await {
            Ok(u) => Some(u),
            Err(StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        };
        let hash = user
            .as_ref()
            .map_or_else(|| DUMMY_HASH.clone(), |u| u.password_hash.clone());
        let pw = password.to_owned();
        // Argon2 is deliberately slow: keep it off the async workers. Unknown accounts are
        // checked against a dummy hash so that they take as long.
        let ok = tokio::task::spawn_blocking(move || verify_password(&pw, &hash))
            .await
            .map_err(|e| AppError::Unexpected(anyhow::Error::new(e)))?;
        match user {
            // The failures are forgotten only once the second factor passed too
            // (`signed_in`): a right password alone must not reset the count of wrong codes.
            Some(user) if ok && user.active => Ok(user),
            user => {
                self.login_failed(&key, now).await;
                if let Some(user) = user {
                    // Counted on the account for the record; it locks nothing by itself.
                    users::record_failed_login(&self.db, user.id, i64::MAX, now).await?;
                    tracing::warn!(user = %user.id, "failed sign-in");
                    // Accountable: who tried an officer's account, from where. Unknown
                    // e-mails are not written (nothing to account for, and no place for
                    // whatever a stranger types).
                    lentera_store::audit::record(
                        &self.db,
                        now,
                        None,
                        "session.sign_in_failed",
                        "user",
                        &user.id.to_string(),
                        &client_detail(client),
                    )
                    .await?;
                }
                Err(AppError::Unauthorized("auth.invalid_credentials"))
            }
        }
    }

    /// A sign-in passed every factor: its failures are forgotten.
    pub(crate) async fn signed_in(
        &self,
        user: &UserRow,
        client: Option<std::net::IpAddr>,
    ) -> Result<(), AppError> {
        let key = self.login_key(&user.email, client);
        self.brake_clear(&self.login_rule(), &key).await;
        self.audit(
            user.id,
            "session.signed_in",
            user.id,
            &client_detail(client),
        )
        .await?;
        if user.failed_logins > 0 || user.locked_until.is_some() {
            users::reset_failed_logins(&self.db, user.id).await?;
        }
        Ok(())
    }

    /// A wrong second factor counts like a wrong password for the (e-mail, address) lock.
    pub(crate) async fn second_factor_failed(
        &self,
        user: &UserRow,
        client: Option<std::net::IpAddr>,
    ) {
        let key = self.login_key(&user.email, client);
        self.login_failed(&key, self.now()).await;
    }

    pub(crate) async fn second_factor_locked(
        &self,
        user: &UserRow,
        client: Option<std::net::IpAddr>,
    ) -> bool {
        let key = self.login_key(&user.email, client);
        self.login_locked(&key, self.now()).await
    }

    /// The lock-out: `max_failed_logins` failures, each restarting `lockout`.
    pub(crate) fn login_rule(&self) -> crate::brakes::Rule {
        crate::brakes::Rule {
            scope: "login",
            limit: self.config.max_failed_logins,
            window: std::time::Duration::from_secs(
                u64::try_from(self.config.lockout.whole_seconds()).unwrap_or(0),
            ),
            mode: lentera_store::brakes::Window::Sliding,
        }
    }

    /// The counter key of (e-mail, address): a keyed hash of the e-mail (the shared table holds
    /// no addresses of people), then the client address.
    pub(crate) fn login_key(&self, email: &str, client: Option<std::net::IpAddr>) -> String {
        let ip = client.map_or_else(String::new, |c| c.to_string());
        format!("{}|{ip}", self.login_prefix(email))
    }

    pub(crate) fn login_prefix(&self, email: &str) -> String {
        let h = self
            .secret()
            .hash(&format!("login:{}", email.trim().to_lowercase()));
        h.chars().take(32).collect()
    }

    async fn login_locked(&self, key: &str, now: OffsetDateTime) -> bool {
        self.brake_blocked(&self.login_rule(), key, unix_ms(now))
            .await
    }

    async fn login_failed(&self, key: &str, now: OffsetDateTime) {
        self.brake_hit(&self.login_rule(), key, unix_ms(now)).await;
    }

    /// Signs in and issues a bearer token. An officer with two-factor sign-in sends the code
    /// of their app (or a recovery code) as `totp`; one who must enrol first is told to do so
    /// in the browser, since the API cannot show a secret to scan.
    pub async fn issue_token(
        &self,
        email: &str,
        password: &str,
        totp: Option<&str>,
        client: Option<std::net::IpAddr>,
    ) -> Result<IssuedToken, AppError> {
        let user = self.sign_in(email, password, client).await?;
        match self.second_factor(&user).await? {
            crate::two_factor::SecondFactor::None => {}
            crate::two_factor::SecondFactor::Enrol => {
                return Err(AppError::Unauthorized("auth.totp_enrolment_required"));
            }
            crate::two_factor::SecondFactor::Code => {
                let Some(code) = totp.filter(|c| !c.trim().is_empty()) else {
                    return Err(AppError::Unauthorized("auth.totp_required"));
                };
                self.verify_second_factor(&user, code, client).await?;
            }
        }
        self.signed_in(&user, client).await?;
        let token = format!("lnt_{}", hex::encode(random_bytes::<32>()?));
        let now = self.now();
        let expires_at = now + self.config.token_ttl;
        users::insert_token(
            &self.db,
            &self.secret().hash(&token),
            user.id,
            now,
            expires_at,
        )
        .await?;
        Ok(IssuedToken { token, expires_at })
    }

    /// Revokes the bearer token `token` of `officer` (who sent it): it stops working at once,
    /// on every instance, since tokens are looked up in the database on each call.
    pub async fn revoke_token(&self, officer: &OfficerCtx, token: &str) -> Result<(), AppError> {
        if !users::revoke_token(&self.db, &self.secret().hash(token.trim())).await? {
            return Err(AppError::Unauthorized("auth.invalid_token"));
        }
        lentera_store::audit::record(
            &self.db,
            self.now(),
            Some(officer.user.id),
            "token.revoked",
            "user",
            &officer.user.id.to_string(),
            "",
        )
        .await?;
        Ok(())
    }

    /// The officer behind a bearer token.
    pub async fn authenticate(&self, token: &str) -> Result<OfficerCtx, AppError> {
        let user =
            match users::user_by_token(&self.db, &self.secret().hash(token.trim()), self.now())
                .await
            {
                Ok(u) => u,
                Err(StoreError::NotFound) => {
                    return Err(AppError::Unauthorized("auth.invalid_token"));
                }
                Err(e) => return Err(e.into()),
            };
        self.officer(user).await
    }

    pub async fn officer(&self, user: UserRow) -> Result<OfficerCtx, AppError> {
        let role = Role::parse(&user.role)
            .ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("unknown role {}", user.role)))?;
        let body = self.body(user.body_id).await?;
        let home = self.home_body(&body).await?;
        Ok(OfficerCtx {
            user,
            role,
            body,
            home,
        })
    }
}

/// Milliseconds since the Unix epoch of a legal-clock instant.
fn unix_ms(t: OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

/// The client address as an audit detail (`ip=…`), or nothing.
fn client_detail(client: Option<std::net::IpAddr>) -> String {
    client.map_or_else(String::new, |c| format!("ip={c}"))
}
