//! Two-factor sign-in: each officer's TOTP secret (encrypted by the caller), its recovery codes
//! (hashed by the caller) and the pending second step of a sign-in.

use crate::db::BeginWrite;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Db, StoreError, with_conn};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TotpRow {
    pub user_id: Uuid,
    pub secret_enc: Vec<u8>,
    pub confirmed_at: Option<OffsetDateTime>,
    pub last_step: Option<i64>,
    pub created_at: OffsetDateTime,
}

pub async fn get(db: &Db, user_id: Uuid) -> Result<Option<TotpRow>, StoreError> {
    const SQL: &str = "SELECT user_id, secret_enc, confirmed_at, last_step, created_at FROM user_totp WHERE user_id = $1";
    Ok(with_conn!(db.read(), |pool| sqlx::query_as::<_, TotpRow>(
        SQL
    )
    .bind(user_id)
    .fetch_optional(pool)
    .await)?)
}

/// Starts (or restarts) an enrolment with a new unconfirmed secret. An enrolled officer's
/// confirmed secret is never replaced here: it is removed first (reset by an admin).
pub async fn start(
    db: &Db,
    user_id: Uuid,
    secret_enc: &[u8],
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    const SQL: &str = "INSERT INTO user_totp (user_id, secret_enc, confirmed_at, last_step, created_at) VALUES ($1, $2, NULL, NULL, $3) \
                       ON CONFLICT (user_id) DO UPDATE SET secret_enc = excluded.secret_enc, created_at = excluded.created_at, last_step = NULL \
                       WHERE user_totp.confirmed_at IS NULL";
    Ok(with_conn!(db.write(), |pool| sqlx::query(SQL)
        .bind(user_id)
        .bind(secret_enc)
        .bind(now)
        .execute(pool)
        .await
        .map(|r| r.rows_affected() > 0))?)
}

/// Confirms the enrolment with the step of the code typed and stores the recovery codes, in
/// one transaction; `false` when there was no unconfirmed secret.
pub async fn confirm(
    db: &Db,
    user_id: Uuid,
    step: i64,
    recovery_hashes: &[String],
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE user_totp SET confirmed_at = $2, last_step = $3 WHERE user_id = $1 AND confirmed_at IS NULL";
    const CLEAR: &str = "DELETE FROM recovery_codes WHERE user_id = $1";
    const ADD: &str =
        "INSERT INTO recovery_codes (user_id, code_hash, used_at) VALUES ($1, $2, NULL)";
    with_conn!(db.write(), |pool| {
        async {
            let mut tx = pool.begin_write().await?;
            let done = sqlx::query(SQL)
                .bind(user_id)
                .bind(now)
                .bind(step)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                > 0;
            if !done {
                return Ok(false);
            }
            sqlx::query(CLEAR).bind(user_id).execute(&mut *tx).await?;
            for h in recovery_hashes {
                sqlx::query(ADD)
                    .bind(user_id)
                    .bind(h)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await.map(|()| true)
        }
        .await
    })
    .map_err(StoreError::from)
}

/// Takes `step` as the last used one if it is later than the stored one: `false` when the
/// code was used already (a replay), also when two instances race for it.
pub async fn use_step(db: &Db, user_id: Uuid, step: i64) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE user_totp SET last_step = $2 WHERE user_id = $1 AND confirmed_at IS NOT NULL AND (last_step IS NULL OR last_step < $2)";
    Ok(with_conn!(db.write(), |pool| sqlx::query(SQL)
        .bind(user_id)
        .bind(step)
        .execute(pool)
        .await
        .map(|r| r.rows_affected() > 0))?)
}

/// Spends one recovery code: `false` when it is unknown or used.
pub async fn use_recovery(
    db: &Db,
    user_id: Uuid,
    code_hash: &str,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL";
    Ok(with_conn!(db.write(), |pool| sqlx::query(SQL)
        .bind(user_id)
        .bind(code_hash)
        .bind(now)
        .execute(pool)
        .await
        .map(|r| r.rows_affected() > 0))?)
}

/// Replaces the recovery codes of an enrolled officer.
pub async fn replace_recovery(
    db: &Db,
    user_id: Uuid,
    recovery_hashes: &[String],
) -> Result<(), StoreError> {
    const CLEAR: &str = "DELETE FROM recovery_codes WHERE user_id = $1";
    const ADD: &str =
        "INSERT INTO recovery_codes (user_id, code_hash, used_at) VALUES ($1, $2, NULL)";
    with_conn!(db.write(), |pool| {
        async {
            let mut tx = pool.begin_write().await?;
            sqlx::query(CLEAR).bind(user_id).execute(&mut *tx).await?;
            for h in recovery_hashes {
                sqlx::query(ADD)
                    .bind(user_id)
                    .bind(h)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await
        }
        .await
    })?;
    Ok(())
}

pub async fn unused_recovery(db: &Db, user_id: Uuid) -> Result<i64, StoreError> {
    const SQL: &str = "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL";
    Ok(with_conn!(db.read(), |pool| sqlx::query_scalar::<_, i64>(
        SQL
    )
    .bind(user_id)
    .fetch_one(pool)
    .await)?)
}

/// Removes the secret and the recovery codes (an admin's reset).
pub async fn remove(db: &Db, user_id: Uuid) -> Result<bool, StoreError> {
    const CODES: &str = "DELETE FROM recovery_codes WHERE user_id = $1";
    const SECRET: &str = "DELETE FROM user_totp WHERE user_id = $1";
    with_conn!(db.write(), |pool| {
        async {
            let mut tx = pool.begin_write().await?;
            sqlx::query(CODES).bind(user_id).execute(&mut *tx).await?;
            let n = sqlx::query(SECRET)
                .bind(user_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            tx.commit().await.map(|()| n > 0)
        }
        .await
    })
    .map_err(StoreError::from)
}

/// Officers with a confirmed second factor.
pub async fn enrolled_users(db: &Db) -> Result<Vec<Uuid>, StoreError> {
    const SQL: &str = "SELECT user_id FROM user_totp WHERE confirmed_at IS NOT NULL";
    Ok(with_conn!(db.read(), |pool| {
        sqlx::query_scalar::<_, Uuid>(SQL).fetch_all(pool).await
    })?)
}

pub async fn insert_pending(
    db: &Db,
    id_hash: &str,
    user_id: Uuid,
    now: OffsetDateTime,
    expires_at: OffsetDateTime,
) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO pending_logins (id_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)";
    with_conn!(db.write(), |pool| sqlx::query(SQL)
        .bind(id_hash)
        .bind(user_id)
        .bind(now)
        .bind(expires_at)
        .execute(pool)
        .await
        .map(|_| ()))?;
    Ok(())
}

/// The officer waiting at the second step, while the pending sign-in is unexpired and the
/// account active.
pub async fn pending_user(db: &Db, id_hash: &str, now: OffsetDateTime) -> Result<Uuid, StoreError> {
    const SQL: &str = "SELECT p.user_id FROM pending_logins p JOIN users u ON u.id = p.user_id \
                       WHERE p.id_hash = $1 AND p.expires_at > $2 AND u.active = TRUE";
    Ok(with_conn!(db.read(), |pool| {
        sqlx::query_scalar::<_, Uuid>(SQL)
            .bind(id_hash)
            .bind(now)
            .fetch_one(pool)
            .await
    })?)
}

/// Ends a pending sign-in, and any expired ones.
pub async fn delete_pending(db: &Db, id_hash: &str, now: OffsetDateTime) -> Result<(), StoreError> {
    const SQL: &str = "DELETE FROM pending_logins WHERE id_hash = $1 OR expires_at <= $2";
    with_conn!(db.write(), |pool| sqlx::query(SQL)
        .bind(id_hash)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ()))?;
    Ok(())
}
