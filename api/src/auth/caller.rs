//! Who is calling. A request authenticates with `Authorization: Bearer <token>` (a personal
//! access token `ftp_...` or an access JWT) or with the browser's `ft_access` cookie. A
//! cookie-authenticated request that changes state must echo the `ft_csrf` cookie in the
//! `X-CSRF-Token` header; bearer requests need not, since browsers never add them on their own.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use axum_extra::extract::cookie::CookieJar;
use chrono::Utc;
use uuid::Uuid;

use super::session::{ACCESS_COOKIE, CSRF_COOKIE, CSRF_HEADER};
use super::tokens::{AccessClaims, PAT_PREFIX, constant_time_eq, token_hash};
use crate::http::AppState;
use crate::http::error::ApiError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Cookie,
    Bearer,
}

#[derive(Debug, Clone, Copy)]
pub struct Caller {
    pub user_id: Uuid,
    pub via: Via,
    /// What vouches for the caller: the sign-in session (its refresh-token family) or the
    /// personal access token. A WebSocket closes when it ends.
    pub credential: Uuid,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(value) = parts.headers.get(AUTHORIZATION) {
            let token = value
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .ok_or(ApiError::Unauthenticated(
                    "send `Authorization: Bearer <token>`",
                ))?;
            let (user_id, credential) = if token.starts_with(PAT_PREFIX) {
                personal_access_token_user(state, token).await?
            } else {
                let claims = state
                    .auth
                    .keys
                    .verify(token)
                    .ok_or(ApiError::Unauthenticated(
                        "the token is invalid or has expired",
                    ))?;
                require_live_session(state, &claims).await?;
                (claims.sub, claims.sid)
            };
            return Ok(Self {
                user_id,
                via: Via::Bearer,
                credential,
            });
        }

        let jar = CookieJar::from_headers(&parts.headers);
        let access = jar
            .get(ACCESS_COOKIE)
            .ok_or(ApiError::Unauthenticated("sign in first"))?;
        let claims = state
            .auth
            .keys
            .verify(access.value())
            .ok_or(ApiError::Unauthenticated(
                "the session has expired: refresh it or sign in again",
            ))?;
        if !parts.method.is_safe() {
            require_csrf(&parts.headers, &jar)?;
        }
        require_live_session(state, &claims).await?;
        Ok(Self {
            user_id: claims.sub,
            via: Via::Cookie,
            credential: claims.sid,
        })
    }
}

/// Refuses an access token whose session has been signed out or ended after a reuse.
async fn require_live_session(state: &AppState, claims: &AccessClaims) -> Result<(), ApiError> {
    if state.ended_sessions.has_ended(claims.sid).await? {
        return Err(ApiError::Unauthenticated(
            "the session has ended: sign in again",
        ));
    }
    Ok(())
}

/// The double-submit check: the header must equal the cookie.
pub fn require_csrf(headers: &HeaderMap, jar: &CookieJar) -> Result<(), ApiError> {
    let cookie = jar.get(CSRF_COOKIE).map(|c| c.value().as_bytes());
    let header = headers.get(CSRF_HEADER).map(HeaderValue::as_bytes);
    match (cookie, header) {
        (Some(cookie), Some(header)) if !cookie.is_empty() && constant_time_eq(cookie, header) => {
            Ok(())
        }
        _ => Err(ApiError::Forbidden {
            code: "csrf_failed",
            message: "send the ft_csrf cookie's value in the X-CSRF-Token header".into(),
        }),
    }
}

/// The user a personal access token belongs to, and the token's id.
async fn personal_access_token_user(
    state: &AppState,
    token: &str,
) -> Result<(Uuid, Uuid), ApiError> {
    let row = sqlx::query!(
        r#"SELECT id, user_id, last_used_at FROM personal_access_tokens
           WHERE token_hash = $1 AND revoked_at IS NULL
             AND (expires_at IS NULL OR expires_at > now())"#,
        token_hash(token),
    )
    .fetch_optional(&state.db)
    .await?
    .ok_or(ApiError::Unauthenticated(
        "the token is invalid, revoked or expired",
    ))?;
    // Record use at most once a minute: a busy script must not turn reads into writes.
    if row
        .last_used_at
        .is_none_or(|t| Utc::now() - t > chrono::Duration::minutes(1))
    {
        let db = state.db.clone();
        tokio::spawn(async move {
            let updated = sqlx::query!(
                "UPDATE personal_access_tokens SET last_used_at = now() WHERE id = $1",
                row.id
            )
            .execute(&db)
            .await;
            if let Err(e) = updated {
                tracing::warn!(error = %e, "cannot record personal access token use");
            }
        });
    }
    Ok((row.user_id, row.id))
}
