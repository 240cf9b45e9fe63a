//! Sessions that ended before their access tokens expired. An access JWT is checked by its
//! signature alone, so signing out (or a detected refresh-token reuse) would leave a copied
//! access token working until it expires. Instead the session's id (its refresh-token
//! family) is written to Redis for as long as an access token lives, and every request
//! with an access token asks Redis first: one lookup, shared by every API replica.
//! If Redis cannot answer, access tokens are refused (503) rather than trusted blindly.
//! An ending is also announced to every API process, which closes the WebSocket
//! connections opened with it.

use std::time::Duration;

use service_kit::stores::LazyRedis;
use uuid::Uuid;

use crate::events::hub::CREDENTIALS_ENDED_CHANNEL;
use crate::http::error::ApiError;

/// The Redis key that marks session `sid` as ended.
pub fn key(sid: Uuid) -> String {
    format!("ft:session-ended:{sid}")
}

#[derive(Debug, Clone)]
pub struct EndedSessions {
    redis: LazyRedis,
    /// How long an access token lives: after that no token of the session is left to refuse.
    access_ttl: Duration,
}

impl EndedSessions {
    pub fn new(redis: LazyRedis, access_ttl: Duration) -> Self {
        Self { redis, access_ttl }
    }

    /// Marks `sid` as ended. The refresh tokens are revoked in Postgres by the caller; if
    /// Redis is down this is logged and the session's access tokens live out their minutes
    /// (its WebSocket connections close at the next periodic check, which reads Postgres).
    pub async fn end(&self, sid: Uuid) {
        let seconds = self.access_ttl.as_secs().max(1);
        let mut pipeline = redis::pipe();
        pipeline
            .cmd("SET")
            .arg(key(sid))
            .arg(1)
            .arg("EX")
            .arg(seconds)
            .ignore()
            .cmd("PUBLISH")
            .arg(CREDENTIALS_ENDED_CHANNEL)
            .arg(sid.to_string())
            .ignore();
        if let Err(e) = self.redis.pipeline::<()>(&pipeline).await {
            tracing::warn!(error = %e, session = %sid, "cannot mark a session as ended in Redis: its access tokens stay valid until they expire");
        }
    }

    /// Tells every API process that a personal access token was revoked, so the WebSocket
    /// connections opened with it close now rather than at the next periodic check.
    pub async fn token_revoked(&self, token_id: Uuid) {
        let publish = redis::cmd("PUBLISH")
            .arg(CREDENTIALS_ENDED_CHANNEL)
            .arg(token_id.to_string())
            .clone();
        if let Err(e) = self.redis.query::<()>(&publish).await {
            tracing::warn!(error = %e, "cannot announce a revoked token: its WebSockets close at the next check");
        }
    }

    /// Whether session `sid` has ended.
    pub async fn has_ended(&self, sid: Uuid) -> Result<bool, ApiError> {
        self.redis
            .query::<bool>(redis::cmd("EXISTS").arg(key(sid)))
            .await
            .map_err(|e| {
                tracing::warn!(error = %e, "cannot check sessions: Redis unavailable");
                ApiError::Unavailable("sessions cannot be checked right now; try again shortly")
            })
    }
}
