//! Back-office sessions. The cookie holds a random id; the table holds only its hash, the CSRF
//! token bound to the session, and the expiry.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::users::UserRow;
use crate::{Db, StoreError, with_conn};

pub async fn insert(
    db: &Db,
    id_hash: &str,
    user_id: Uuid,
    csrf: &str,
    now: OffsetDateTime,
    expires_at: OffsetDateTime,
) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO sessions (id_hash, user_id, csrf, created_at, last_seen, expires_at) VALUES ($1, $2, $3, $4, $4, $5)";
    with_conn!(db.write(), |pool| sqlx::query(SQL)
        .bind(id_hash)
        .bind(user_id)
        .bind(csrf)
        .bind(now)
        .bind(expires_at)
        .execute(pool)
        .await
        .map(|_| ()))?;
    Ok(())
}

/// The active officer and the CSRF token of an unexpired session.
pub async fn get(
    db: &Db,
    id_hash: &str,
    now: OffsetDateTime,
) -> Result<(UserRow, String), StoreError> {
    const SQL: &str = "SELECT u.id, u.email, u.display_name, u.password_hash, u.role, u.body_id, u.active, u.failed_logins, u.locked_until, u.created_at, s.csrf \
                       FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1 AND s.expires_at > $2 AND u.active = TRUE";
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        user: UserRow,
        csrf: String,
    }
    let r = with_conn!(db.read(), |pool| sqlx::query_as::<_, Row>(SQL)
        .bind(id_hash)
        .bind(now)
        .fetch_one(pool)
        .await)?;
    Ok((r.user, r.csrf))
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
