//! The HTTP layer: shared state, the route table, and the per-request plumbing (request id
//! for error answers, body limit).

pub mod client_ip;
pub mod error;
pub mod extract;
pub mod idempotency;
pub mod openapi;
pub mod validation;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::get;
use sqlx::PgPool;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::auth::ended_sessions::EndedSessions;
use crate::auth::rate_limit::RateLimiter;
use crate::auth::tokens::AccessKeys;
use crate::events::Realtime;
use crate::imports::job::ImportSettings;
use crate::ml::MlClient;

#[derive(Debug)]
pub struct AuthSettings {
    pub keys: AccessKeys,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
    /// How long after a refresh token is used it may be used once more without counting
    /// as theft: two tabs refreshing at the same moment both keep their session.
    pub refresh_reuse_grace: Duration,
    /// Mark cookies `Secure` (on whenever the site is served over HTTPS).
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (only behind our own proxy).
    pub trust_forwarded_for: bool,
}

#[derive(Debug, Clone)]
pub struct AppState {
    pub db: PgPool,
    pub limiter: RateLimiter,
    pub ended_sessions: EndedSessions,
    pub realtime: Arc<Realtime>,
    pub ml: MlClient,
    pub imports: ImportSettings,
    pub auth: Arc<AuthSettings>,
}

/// Every `/api/v1` route, and the OpenAPI document that describes them at
/// `/api/v1/openapi.json`.
pub fn router(state: AppState, max_body_bytes: usize) -> Router {
    let (api, doc) = api_routes().split_for_parts();
    let doc = Arc::new(openapi::finish(doc));
    api.route(
        "/api/v1/openapi.json",
        get(move || {
            let doc = Arc::clone(&doc);
            async move { axum::Json(doc.as_ref().clone()) }
        }),
    )
    .layer(DefaultBodyLimit::max(max_body_bytes))
    .layer(axum::middleware::from_fn(remember_request_id))
    .with_state(state)
}

/// The OpenAPI document alone (for `api openapi` and tests).
pub fn openapi() -> utoipa::openapi::OpenApi {
    openapi::finish(api_routes().split_for_parts().1)
}

fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi()).nest(
        "/api/v1",
        OpenApiRouter::new()
            .merge(crate::auth::routes::router())
            .merge(crate::ledgers::routes::router())
            .merge(crate::accounts::router())
            .merge(crate::categories::router())
            .merge(crate::exchange_rates::router())
            .merge(crate::analytics::router())
            .merge(crate::budgets::routes::router())
            .merge(crate::goals::router())
            .merge(crate::transactions::routes::router())
            .merge(crate::imports::routes::router())
            .merge(crate::events::routes::router()),
    )
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
