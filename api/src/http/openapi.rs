//! The OpenAPI 3.1 document, assembled from the routes themselves: every route is registered
//! through `utoipa_axum::routes!`, which takes its path and method from the handler's
//! `#[utoipa::path]`, so an undocumented route cannot exist. This module adds what every
//! operation shares: the two ways to authenticate and the error answers.

use utoipa::openapi::path::Operation;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, OpenApi as OpenApiDoc, Ref, RefOr};
use utoipa::{Modify, OpenApi, ToSchema};

/// `{"error": {...}}`, the shape of every error answer.
#[derive(Debug, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code, such as `validation_failed` or `not_found`.
    pub code: String,
    /// What was wrong and what to do, for a human.
    pub message: String,
    /// For `validation_failed`: `{"fields": [{"field", "message"}]}`; for `rate_limited`:
    /// `{"retry_after_seconds"}`; for `internal`: `{"request_id"}`.
    #[schema(value_type = Object, nullable)]
    pub details: Option<serde_json::Value>,
}

#[derive(Debug, OpenApi)]
#[openapi(
    info(
        title = "FinanceTracker API",
        description = "Household finance: ledgers, accounts, transactions, budgets, goals and reports. \
            Money is a decimal string in the currency of its account; dates are YYYY-MM-DD.",
    ),
    components(schemas(ErrorBody, ErrorDetail, crate::events::protocol::ClientMessage)),
    tags(
        (name = "auth", description = "Sign-up, sign-in, sessions, preferences, personal access tokens"),
        (name = "ledgers", description = "Shared household books, members and invitations"),
        (name = "accounts"), (name = "categories"), (name = "transactions"),
        (name = "exchange-rates"), (name = "budgets"), (name = "goals"), (name = "analytics"),
        (name = "realtime", description = "Live events on a WebSocket, resumable from the last event seen"),
    )
)]
pub struct ApiDoc;

/// Routes that need no credentials.
const PUBLIC: &[&str] = &[
    "/api/v1/auth/register",
    "/api/v1/auth/login",
    "/api/v1/auth/refresh",
    "/api/v1/auth/logout",
];

/// Adds what every operation shares. Runs on the finished document, after the routes have
/// contributed their paths.
pub fn finish(mut doc: OpenApiDoc) -> OpenApiDoc {
    Shared.modify(&mut doc);
    doc
}

struct Shared;

impl Modify for Shared {
    fn modify(&self, doc: &mut OpenApiDoc) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "ft_access",
                "The browser session. Requests that change something must also send the \
                 ft_csrf cookie's value in the X-CSRF-Token header.",
            ))),
        );
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A personal access token (ftp_...) or an access token.",
                    ))
                    .build(),
            ),
        );
        for (status, description) in ERRORS {
            components.responses.insert(
                (*status).to_owned(),
                RefOr::T(
                    ResponseBuilder::new()
                        .description(*description)
                        .content(
                            "application/json",
                            Content::new(Some(Ref::from_schema_name("ErrorBody"))),
                        )
                        .build(),
                ),
            );
        }
        for (path, item) in &mut doc.paths.paths {
            let public = PUBLIC.contains(&path.as_str());
            for (method, operation) in [
                ("get", &mut item.get),
                ("post", &mut item.post),
                ("put", &mut item.put),
                ("patch", &mut item.patch),
                ("delete", &mut item.delete),
            ] {
                if let Some(operation) = operation {
                    add_errors(operation, public);
                    operation.operation_id = Some(operation_id(method, path));
                }
            }
        }
    }
}

/// Pure: an operation's id from its method and path, unique as the pair is:
/// `GET /api/v1/ledgers/{ledger_id}/accounts` is `get_ledgers_by_ledger_id_accounts`
/// (handlers in different modules share names like `list`, which generators refuse).
pub fn operation_id(method: &str, path: &str) -> String {
    let mut id = method.to_owned();
    for part in path.trim_start_matches("/api/v1/").split('/') {
        id.push('_');
        match part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            Some(param) => {
                id.push_str("by_");
                id.push_str(param);
            }
            None => id.extend(
                part.chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }),
            ),
        }
    }
    id
}

const ERRORS: &[(&str, &str)] = &[
    (
        "400",
        "The request cannot be read (malformed JSON, query string or path).",
    ),
    ("401", "No valid credentials."),
    (
        "403",
        "Not allowed: the role is too low, or the CSRF header is missing.",
    ),
    (
        "404",
        "No such resource for this caller (also for other ledgers' resources).",
    ),
    ("413", "The body is larger than the limit."),
    ("415", "The body is not JSON."),
    (
        "422",
        "Valid JSON that breaks a rule; details list every field.",
    ),
    ("429", "Too many attempts; see Retry-After."),
    ("500", "A fault on our side; details carry the request id."),
    (
        "503",
        "A store the request needs is unreachable; try again shortly.",
    ),
];

fn add_errors(operation: &mut Operation, public: bool) {
    let answers = &mut operation.responses.responses;
    for (status, _) in ERRORS {
        let applies = match *status {
            "401" | "403" | "404" | "503" => !public,
            _ => true,
        };
        if applies && !answers.contains_key(*status) {
            answers.insert(
                (*status).to_owned(),
                RefOr::Ref(Ref::new(format!("#/components/responses/{status}"))),
            );
        }
    }
    if public {
        operation.security = Some(Vec::new());
    } else if operation.security.is_none() {
        operation.security = Some(vec![
            utoipa::openapi::security::SecurityRequirement::new::<_, _, &str>("cookie", []),
            utoipa::openapi::security::SecurityRequirement::new::<_, _, &str>("bearer", []),
        ]);
    }
}
