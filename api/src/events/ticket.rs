//! WebSocket tickets, for programs that cannot send the session cookie or an
//! `Authorization` header when they open a socket: `POST /ws/ticket` (authenticated as any
//! request is) gives a random ticket that opens one socket as the same user and credential,
//! once, within its lifetime. It travels in the socket's URL, where a long-lived token must
//! never be (URLs end up in logs); only its hash is kept, in Redis.

use std::time::Duration;

use service_kit::digest::sha256_hex;
use service_kit::stores::LazyRedis;
use uuid::Uuid;

use crate::auth::tokens::random_token;
use crate::http::error::ApiError;

/// Tickets start with this, so a leaked one is recognisable.
pub const PREFIX: &str = "ftw_";

fn key(ticket: &str) -> String {
    format!("ft:ws-ticket:{}", sha256_hex(ticket.as_bytes()))
}

/// A ticket for `user_id` with `credential`, valid for `ttl`.
pub async fn issue(
    redis: &LazyRedis,
    user_id: Uuid,
    credential: Uuid,
    ttl: Duration,
) -> Result<String, ApiError> {
    let ticket = random_token(PREFIX);
    let stored = redis::cmd("SET")
        .arg(key(&ticket))
        .arg(format!("{user_id} {credential}"))
        .arg("PX")
        .arg(u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1))
        .clone();
    redis.query::<()>(&stored).await.map_err(|e| {
        tracing::warn!(error = %e, "cannot store a WebSocket ticket: Redis unavailable");
        ApiError::Unavailable("live updates are unavailable right now; try again shortly")
    })?;
    Ok(ticket)
}

/// The user and credential a ticket stands for; the ticket is used up. Unknown, used and
/// expired tickets are all refused alike.
pub async fn redeem(redis: &LazyRedis, ticket: &str) -> Result<(Uuid, Uuid), ApiError> {
    let refused = ApiError::Unauthenticated(
        "the ticket is unknown, used or expired: get a new one from POST /api/v1/ws/ticket",
    );
    if !ticket.starts_with(PREFIX) || ticket.len() > 100 {
        return Err(refused);
    }
    let stored: Option<String> = redis
        .query(redis::cmd("GETDEL").arg(key(ticket)))
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "cannot check a WebSocket ticket: Redis unavailable");
            ApiError::Unavailable("live updates are unavailable right now; try again shortly")
        })?;
    stored
        .as_deref()
        .and_then(|s| s.split_once(' '))
        .and_then(|(user, credential)| Some((user.parse().ok()?, credential.parse().ok()?)))
        .ok_or(refused)
}
