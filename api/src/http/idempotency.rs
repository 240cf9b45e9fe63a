//! `Idempotency-Key` on create requests. Inside the request's own database transaction the
//! key is claimed first; a concurrent retry waits on that row, then replays the stored
//! answer. A key reused with a different body is refused (422), never silently merged.

use axum::http::{HeaderMap, StatusCode};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::PgConnection;
use uuid::Uuid;

use super::error::ApiError;

pub const HEADER: &str = "idempotency-key";

/// The key a client sent, if any (1 to 200 visible ASCII characters).
pub fn key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get(HEADER) else {
        return Ok(None);
    };
    match value.to_str() {
        Ok(key) if (1..=200).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic()) => {
            Ok(Some(key.to_owned()))
        }
        _ => Err(ApiError::BadRequest(
            "Idempotency-Key must be 1 to 200 visible ASCII characters".to_owned(),
        )),
    }
}

/// A fingerprint of what was asked: the route and the body.
pub fn fingerprint(route: &str, body: &impl Serialize) -> Vec<u8> {
    let mut hasher = Sha256::new();
    hasher.update(route.as_bytes());
    hasher.update(serde_json::to_vec(body).expect("request bodies serialise"));
    hasher.finalize().to_vec()
}

#[derive(Debug)]
pub enum Claim {
    /// First use: go ahead, then `record` the answer.
    Fresh,
    /// Seen before: answer this again.
    Replay(StatusCode, Value),
}

pub async fn claim(
    tx: &mut PgConnection,
    user_id: Uuid,
    key: &str,
    fingerprint: &[u8],
) -> Result<Claim, ApiError> {
    sqlx::query!(
        "DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2
           AND created_at < now() - interval '24 hours'",
        user_id,
        key,
    )
    .execute(&mut *tx)
    .await?;
    let inserted = sqlx::query!(
        "INSERT INTO idempotency_keys (user_id, key, request_hash) VALUES ($1, $2, $3)
         ON CONFLICT (user_id, key) DO NOTHING",
        user_id,
        key,
        fingerprint,
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if inserted == 1 {
        return Ok(Claim::Fresh);
    }
    let stored = sqlx::query!(
        "SELECT request_hash, response_status, response_body FROM idempotency_keys
         WHERE user_id = $1 AND key = $2",
        user_id,
        key,
    )
    .fetch_one(&mut *tx)
    .await?;
    if stored.request_hash != fingerprint {
        return Err(ApiError::field(
            "Idempotency-Key",
            "was already used for a different request; use a new key",
        ));
    }
    match (stored.response_status, stored.response_body) {
        (Some(status), Some(body)) => Ok(Claim::Replay(
            StatusCode::from_u16(u16::try_from(status).unwrap_or(500))
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            body,
        )),
        _ => Err(ApiError::Conflict(
            "a request with this Idempotency-Key is still in progress".into(),
        )),
    }
}

pub async fn record(
    tx: &mut PgConnection,
    user_id: Uuid,
    key: &str,
    status: StatusCode,
    body: &Value,
) -> Result<(), ApiError> {
    sqlx::query!(
        "UPDATE idempotency_keys SET response_status = $3, response_body = $4
         WHERE user_id = $1 AND key = $2",
        user_id,
        key,
        i16::try_from(status.as_u16()).unwrap_or(500),
        body,
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}
