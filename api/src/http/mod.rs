//! The HTTP layer: shared state, the route table, and the per-request plumbing (request id
//! for error answers, body limit).

pub mod client_ip;
pub mod error;
pub mod extract;
pub mod idempotency;
pub mod validation;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::middleware::Next;
use axum::response::Response;
use sqlx::PgPool;

use crate::auth::rate_limit::RateLimiter;
use crate::auth::tokens::AccessKeys;
use crate::events::Events;

#[derive(Debug)]
pub struct AuthSettings {
    pub keys: AccessKeys,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
    /// Mark cookies `Secure` (on whenever the site is served over HTTPS).
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (only behind our own proxy).
    pub trust_forwarded_for: bool,
}

#[derive(Debug, Clone)]
pub struct AppState {
    pub db: PgPool,
    pub limiter: RateLimiter,
    pub events: Events,
    pub auth: Arc<AuthSettings>,
}

/// Every `/api/v1` route.
pub fn router(state: AppState, max_body_bytes: usize) -> Router {
    Router::new()
        .nest(
            "/api/v1",
            Router::new()
                .merge(crate::auth::routes::router())
                .merge(crate::ledgers::routes::router())
                .merge(crate::accounts::router())
                .merge(crate::categories::router())
                .merge(crate::exchange_rates::router())
                .merge(crate::analytics::router())
                .merge(crate::budgets::routes::router())
                .merge(crate::goals::router())
                .merge(crate::transactions::routes::router()),
        )
        .layer(DefaultBodyLimit::max(max_body_bytes))
        .layer(axum::middleware::from_fn(remember_request_id))
        .with_state(state)
}

/// Makes the request id available to error answers produced deeper down.
async fn remember_request_id(request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    error::REQUEST_ID.scope(id, next.run(request)).await
}
