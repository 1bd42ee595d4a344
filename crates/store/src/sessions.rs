//! Back-office sessions. The cookie holds a random id; the table holds only its hash, the CSRF
//! token bound to the session, and the expiry.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::users::UserRow;
use crate::{Db, StoreError, with_conn};

/// Where a session was opened from, as the officer's session list shows it.
#[derive(Debug, Clone, Default)]
pub struct Client {
    pub addr: String,
    pub user_agent: String,
}

pub async fn insert(
    db: &Db,
    id_hash: &str,
    user_id: Uuid,
    csrf: &str,
    now: OffsetDateTime,
    expires_at: OffsetDateTime,
    client: &Client,
) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO sessions (id_hash, user_id, csrf, created_at, last_seen, expires_at, client_addr, user_agent) VALUES ($1, $2, $3, $4, $4, $5, $6, $7)";
    with_conn!(db.write(), |pool| sqlx::query(SQL)
        .bind(id_hash)
        .bind(user_id)
        .bind(csrf)
        .bind(now)
        .bind(expires_at)
        .bind(&client.addr)
        .bind(&client.user_agent)
        .execute(pool)
        .await
        .map(|_| ()))?;
    Ok(())
}

/// A live session of the active officer: the officer, its CSRF token and when it was last seen.
#[derive(Debug, Clone)]
pub struct Live {
    pub user: UserRow,
    pub csrf: String,
    pub last_seen: OffsetDateTime,
}

/// The active officer and the CSRF token of an unexpired session seen after `idle_since`.
pub async fn get(
    db: &Db,
    id_hash: &str,
    now: OffsetDateTime,
    idle_since: OffsetDateTime,
) -> Result<Live, StoreError> {
    const SQL: &str = "SELECT u.id, u.email, u.display_name, u.password_hash, u.role, u.body_id, u.active, u.failed_logins, u.locked_until, u.created_at, s.csrf, s.last_seen \
                       FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1 AND s.expires_at > $2 AND s.last_seen > $3 AND u.active = TRUE";
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        user: UserRow,
        csrf: String,
        last_seen: OffsetDateTime,
    }
    let r = with_conn!(db.read(), |pool| sqlx::query_as::<_, Row>(SQL)
        .bind(id_hash)
        .bind(now)
        .bind(idle_since)
        .fetch_one(pool)
        .await)?;
    Ok(Live {
        user: r.user,
        csrf: r.csrf,
        last_seen: r.last_seen,
    })
}

/// Marks the session as seen now.
pub async fn touch(db: &Db, id_hash: &str, now: OffsetDateTime) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE sessions SET last_seen = $2 WHERE id_hash = $1";
    with_conn!(db.write(), |pool| sqlx::query(SQL)
        .bind(id_hash)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ()))?;
    Ok(())
}

/// One of an officer's sessions as their session list shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub id_hash: String,
    pub created_at: OffsetDateTime,
    pub last_seen: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub client_addr: String,
    pub user_agent: String,
}

/// The officer's unexpired sessions seen after `idle_since`, the latest seen first.
pub async fn list_for_user(
    db: &Db,
    user_id: Uuid,
    now: OffsetDateTime,
    idle_since: OffsetDateTime,
) -> Result<Vec<SessionRow>, StoreError> {
    const SQL: &str = "SELECT id_hash, created_at, last_seen, expires_at, client_addr, user_agent FROM sessions \
                       WHERE user_id = $1 AND expires_at > $2 AND last_seen > $3 ORDER BY last_seen DESC, created_at DESC";
    Ok(with_conn!(db.read(), |pool| {
        sqlx::query_as::<_, SessionRow>(SQL)
            .bind(user_id)
            .bind(now)
            .bind(idle_since)
            .fetch_all(pool)
            .await
    })?)
}

/// Ends one session of this officer: `false` when it is not theirs or already gone.
pub async fn delete_for_user(db: &Db, user_id: Uuid, id_hash: &str) -> Result<bool, StoreError> {
    const SQL: &str = "DELETE FROM sessions WHERE user_id = $1 AND id_hash = $2";
    Ok(with_conn!(db.write(), |pool| sqlx::query(SQL)
        .bind(user_id)
        .bind(id_hash)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?
        > 0)
}

/// Ends every session of the officer but `keep` (none when `None`); the number ended.
pub async fn delete_all_for_user(
    db: &Db,
    user_id: Uuid,
    keep: Option<&str>,
) -> Result<u64, StoreError> {
    const SQL: &str = "DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2";
    Ok(with_conn!(db.write(), |pool| sqlx::query(SQL)
        .bind(user_id)
        .bind(keep.unwrap_or(""))
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?)
}

pub async fn delete(db: &Db, id_hash: &str) -> Result<(), StoreError> {
    const SQL: &str = "DELETE FROM sessions WHERE id_hash = $1";
    with_conn!(db.write(), |pool| sqlx::query(SQL)
        .bind(id_hash)
        .execute(pool)
        .await
        .map(|_| ()))?;
    Ok(())
}
