//! Officers and their API tokens.

use crate::db::BeginWrite;
use sqlx::FromRow;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Db, StoreError, with_conn};

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct UserRow {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: String,
    pub body_id: Uuid,
    pub active: bool,
    pub failed_logins: i64,
    pub locked_until: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
}

macro_rules! user_columns {
    () => {
        "id, email, display_name, password_hash, role, body_id, active, failed_logins, locked_until, created_at"
    };
}

pub async fn insert(db: &Db, u: &UserRow) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO users (id, email, display_name, password_hash, role, body_id, active, failed_logins, locked_until, created_at) \
                       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
    with_conn!(db.write(), |pool| {
        sqlx::query(SQL)
            .bind(u.id)
            .bind(&u.email)
            .bind(&u.display_name)
            .bind(&u.password_hash)
            .bind(&u.role)
            .bind(u.body_id)
            .bind(u.active)
            .bind(u.failed_logins)
            .bind(u.locked_until)
            .bind(u.created_at)
            .execute(pool)
            .await
            .map(|_| ())
    })?;
    Ok(())
}

pub async fn get_by_email(db: &Db, email: &str) -> Result<UserRow, StoreError> {
    let sql = concat!("SELECT ", user_columns!(), " FROM users WHERE email = $1");
    Ok(with_conn!(db.read(), |pool| sqlx::query_as::<_, UserRow>(
        sql
    )
    .bind(email)
    .fetch_one(pool)
    .await)?)
}

pub async fn get(db: &Db, id: Uuid) -> Result<UserRow, StoreError> {
    let sql = concat!("SELECT ", user_columns!(), " FROM users WHERE id = $1");
    Ok(with_conn!(db.read(), |pool| sqlx::query_as::<_, UserRow>(
        sql
    )
    .bind(id)
    .fetch_one(pool)
    .await)?)
}

pub async fn list(db: &Db) -> Result<Vec<UserRow>, StoreError> {
    let sql = concat!("SELECT ", user_columns!(), " FROM users ORDER BY email");
    Ok(with_conn!(db.read(), |pool| sqlx::query_as::<_, UserRow>(
        sql
    )
    .fetch_all(pool)
    .await)?)
}

/// Records a failed sign-in; locks the account until `lock_until` once `max_failures` is reached.
pub async fn record_failed_login(
    db: &Db,
    id: Uuid,
    max_failures: i64,
    lock_until: OffsetDateTime,
) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE users SET failed_logins = failed_logins + 1, \
                       locked_until = CASE WHEN failed_logins + 1 >= $2 THEN $3 ELSE locked_until END WHERE id = $1";
    with_conn!(db.write(), |pool| sqlx::query(SQL)
        .bind(id)
        .bind(max_failures)
        .bind(lock_until)
        .execute(pool)
        .await
        .map(|_| ()))?;
    Ok(())
}

pub async fn reset_failed_logins(db: &Db, id: Uuid) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1";
    with_conn!(db.write(), |pool| sqlx::query(SQL)
        .bind(id)
        .execute(pool)
        .await
        .map(|_| ()))?;
    Ok(())
}

pub async fn insert_token(
    db: &Db,
    token_hash: &str,
    user_id: Uuid,
    now: OffsetDateTime,
    expires_at: OffsetDateTime,
) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO api_tokens (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)";
    with_conn!(db.write(), |pool| sqlx::query(SQL)
        .bind(token_hash)
        .bind(user_id)
        .bind(now)
        .bind(expires_at)
        .execute(pool)
        .await
        .map(|_| ()))?;
    Ok(())
}

/// Removes a token; `false` when there was none with this hash.
pub async fn revoke_token(db: &Db, token_hash: &str) -> Result<bool, StoreError> {
    const SQL: &str = "DELETE FROM api_tokens WHERE token_hash = $1";
    Ok(with_conn!(db.write(), |pool| sqlx::query(SQL)
        .bind(token_hash)
        .execute(pool)
        .await
        .map(|r| r.rows_affected() > 0))?)
}

/// The active officer owning an unexpired token.
pub async fn user_by_token(
    db: &Db,
    token_hash: &str,
    now: OffsetDateTime,
) -> Result<UserRow, StoreError> {
    const SQL: &str = "SELECT u.id, u.email, u.display_name, u.password_hash, u.role, u.body_id, u.active, u.failed_logins, u.locked_until, u.created_at \
                       FROM api_tokens t JOIN users u ON u.id = t.user_id \
                       WHERE t.token_hash = $1 AND t.expires_at > $2 AND u.active = TRUE";
    Ok(with_conn!(db.read(), |pool| sqlx::query_as::<_, UserRow>(
        SQL
    )
    .bind(token_hash)
    .bind(now)
    .fetch_one(pool)
    .await)?)
}

/// Removes every API token of the officer; the number removed.
pub async fn revoke_all_tokens(db: &Db, user_id: Uuid) -> Result<u64, StoreError> {
    const SQL: &str = "DELETE FROM api_tokens WHERE user_id = $1";
    Ok(with_conn!(db.write(), |pool| sqlx::query(SQL)
        .bind(user_id)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?)
}

pub async fn set_password_hash(db: &Db, id: Uuid, hash: &str) -> Result<(), StoreError> {
    const SQL: &str =
        "UPDATE users SET password_hash = $2, failed_logins = 0, locked_until = NULL WHERE id = $1";
    with_conn!(db.write(), |pool| sqlx::query(SQL)
        .bind(id)
        .bind(hash)
        .execute(pool)
        .await
        .map(|_| ()))?;
    Ok(())
}

/// Activates or deactivates an account: `false` when it was already so (or is unknown).
pub async fn set_active(db: &Db, id: Uuid, active: bool) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE users SET active = $2 WHERE id = $1 AND active <> $2";
    Ok(with_conn!(db.write(), |pool| sqlx::query(SQL)
        .bind(id)
        .bind(active)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?
        > 0)
}

/// An admin-started password reset: the one-time link's hash, valid until `expires_at`.
pub async fn insert_reset(
    db: &Db,
    token_hash: &str,
    user_id: Uuid,
    created_by: Uuid,
    now: OffsetDateTime,
    expires_at: OffsetDateTime,
) -> Result<(), StoreError> {
    // A new link replaces any older unused one: only the last one handed over works.
    const OLD: &str =
        "UPDATE password_resets SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL";
    const SQL: &str = "INSERT INTO password_resets (token_hash, user_id, created_by, created_at, expires_at, used_at) VALUES ($1, $2, $3, $4, $5, NULL)";
    with_conn!(db.write(), |pool| {
        async {
            let mut tx = pool.begin_write().await?;
            sqlx::query(OLD)
                .bind(user_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            sqlx::query(SQL)
                .bind(token_hash)
                .bind(user_id)
                .bind(created_by)
                .bind(now)
                .bind(expires_at)
                .execute(&mut *tx)
                .await?;
            tx.commit().await
        }
        .await
    })?;
    Ok(())
}

/// The officer of an unused, unexpired reset link.
pub async fn reset_user(
    db: &Db,
    token_hash: &str,
    now: OffsetDateTime,
) -> Result<Uuid, StoreError> {
    const SQL: &str = "SELECT user_id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2";
    Ok(with_conn!(db.read(), |pool| {
        sqlx::query_scalar::<_, Uuid>(SQL)
            .bind(token_hash)
            .bind(now)
            .fetch_one(pool)
            .await
    })?)
}

/// Spends a reset link and sets the new password in one transaction: `None` when the link is
/// unknown, used or expired (also when two tabs race for it).
pub async fn use_reset(
    db: &Db,
    token_hash: &str,
    password_hash: &str,
    now: OffsetDateTime,
) -> Result<Option<Uuid>, StoreError> {
    const SPEND: &str = "UPDATE password_resets SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id";
    const SET: &str =
        "UPDATE users SET password_hash = $2, failed_logins = 0, locked_until = NULL WHERE id = $1";
    with_conn!(db.write(), |pool| {
        async {
            let mut tx = pool.begin_write().await?;
            let user: Option<Uuid> = sqlx::query_scalar(SPEND)
                .bind(token_hash)
                .bind(now)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(user) = user else {
                return Ok(None);
            };
            sqlx::query(SET)
                .bind(user)
                .bind(password_hash)
                .execute(&mut *tx)
                .await?;
            tx.commit().await.map(|()| Some(user))
        }
        .await
    })
    .map_err(StoreError::from)
}
