//! The WebSocket's HTTP side: `GET /ws` checks the page's origin and the caller, then
//! upgrades; `POST /ws/ticket` gives programs a single-use ticket to open one with.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::extract::State;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::http::StatusCode;
use axum::http::header::{HOST, ORIGIN};
use axum::http::request::Parts;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::catalogue::ServerMessage;
use super::protocol::origin_allowed;
use super::socket::{MAX_CLIENT_MESSAGE, Opened};
use super::ticket;
use crate::auth::caller::Caller;
use crate::http::AppState;
use crate::http::error::ApiError;
use crate::http::extract::{Json, Query};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(connect))
        .routes(routes!(create_ticket))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConnectQuery {
    /// A ticket from `POST /ws/ticket`, for a program that cannot send the session cookie
    /// or an `Authorization` header. Single use; short-lived.
    pub ticket: Option<String>,
}

/// Live events of every ledger the caller belongs to, on one WebSocket.
#[utoipa::path(
    get,
    path = "/ws",
    tag = "realtime",
    summary = "Live events over a WebSocket",
    description = "Authenticated by the session cookie (from a page of this site: the `Origin` \
        must be the site's own or one of PUBLIC_ORIGINS), an `Authorization` header, or \
        `?ticket=`. The server sends `welcome`, then waits up to two seconds for the \
        client's `resume` (a ClientMessage) before it sends events. Every message is a \
        ServerMessage. Close codes: 1001 server shutting down, 1003 binary frame, 1008 too \
        many malformed messages, 1009 message over 16 KiB, 1013 try again later, 4001 \
        session ended, 4008 too slow to keep up.",
    params(ConnectQuery),
    responses(
        (status = 101, description = "Switching to the WebSocket protocol; every message the server sends is a ServerMessage", body = ServerMessage),
        (status = 400, description = "Not a WebSocket upgrade request", body = crate::http::openapi::ErrorBody),
        (status = 403, description = "A page of another site (`origin_not_allowed`)", body = crate::http::openapi::ErrorBody),
    ),
)]
async fn connect(
    State(state): State<AppState>,
    Query(query): Query<ConnectQuery>,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
    mut parts: Parts,
) -> Result<Response, ApiError> {
    let upgrade = upgrade.map_err(|_| {
        ApiError::BadRequest(
            "this is a WebSocket endpoint: connect with a WebSocket client (Upgrade: websocket)"
                .to_owned(),
        )
    })?;
    let header = |name| parts.headers.get(name).and_then(|v| v.to_str().ok());
    if !origin_allowed(
        header(ORIGIN),
        header(HOST),
        &state.realtime.settings.public_origins,
    ) {
        return Err(ApiError::Forbidden {
            code: "origin_not_allowed",
            message: "a page of another site cannot open this WebSocket (PUBLIC_ORIGINS lists the sites that may)".into(),
        });
    }
    let (user_id, credential) = if let Some(ticket) = &query.ticket {
        ticket::redeem(&state.realtime.redis, ticket).await?
    } else {
        let caller = Caller::from_request_parts(&mut parts, &state).await?;
        (caller.user_id, caller.credential)
    };
    let ledgers = sqlx::query_scalar!(
        "SELECT ledger_id FROM ledger_members WHERE user_id = $1",
        user_id
    )
    .fetch_all(&state.db)
    .await?
    .into_iter()
    .collect();
    let realtime = Arc::clone(&state.realtime);
    let opened = Opened {
        user_id,
        credential,
        ledgers,
    };
    Ok(upgrade
        .read_buffer_size(4 * 1024)
        .write_buffer_size(0)
        .max_message_size(MAX_CLIENT_MESSAGE)
        .max_frame_size(MAX_CLIENT_MESSAGE)
        .on_upgrade(move |socket| super::socket::serve(socket, realtime, opened)))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WsTicket {
    /// Open `/api/v1/ws?ticket=<ticket>` with it, once, within `expires_in_seconds`.
    pub ticket: String,
    pub expires_in_seconds: u64,
}

#[utoipa::path(
    post,
    path = "/ws/ticket",
    tag = "realtime",
    summary = "A single-use ticket to open the WebSocket with, for programs",
    responses((status = 201, description = "A ticket, valid once for a short time", body = WsTicket)),
)]
async fn create_ticket(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<(StatusCode, Json<WsTicket>), ApiError> {
    let ttl = state.realtime.settings.ticket_ttl;
    let ticket = ticket::issue(
        &state.realtime.redis,
        caller.user_id,
        caller.credential,
        ttl,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(WsTicket {
            ticket,
            expires_in_seconds: ttl.as_secs(),
        }),
    ))
}
