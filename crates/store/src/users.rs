//! Officers and their API tokens.

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
