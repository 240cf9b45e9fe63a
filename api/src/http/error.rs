//! The one error type handlers return. Each variant has a status code and a stable `code`
//! and renders as `{"error": {"code", "message", "details"}}`. Database constraint
//! violations map to 409/422 by constraint name; anything unexpected is logged with the
//! request id and answered as a generic 500 that carries the same id.

use std::borrow::Cow;

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Value, json};

tokio::task_local! {
    /// The `x-request-id` of the request being handled, for 500 answers.
    pub static REQUEST_ID: String;
}

/// One problem with one input field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Debug)]
pub enum ApiError {
    /// 422: well-formed input that breaks a rule, field by field.
    Validation(Vec<FieldError>),
    /// 400: input that cannot be read at all.
    BadRequest(String),
    /// 401: no valid credentials.
    Unauthenticated(&'static str),
    /// 403: authenticated, but not allowed (a viewer writing, a missing CSRF token).
    Forbidden {
        code: &'static str,
        message: Cow<'static, str>,
    },
    /// 404: the named resource does not exist *for this caller* (existence never leaks).
    NotFound(&'static str),
    /// 409: the request conflicts with current state.
    Conflict(Cow<'static, str>),
    /// 413: the body is larger than the limit.
    PayloadTooLarge(Option<String>),
    /// 415: the body is not JSON.
    UnsupportedMediaType,
    /// 429: too many attempts; try again after this many seconds.
    RateLimited { retry_after_seconds: u64 },
    /// 503: a store this request needs is unreachable; retrying later may work.
    Unavailable(&'static str),
    /// 500: a fault on our side. Logged, never shown.
    Internal(Box<dyn std::error::Error + Send + Sync>),
}

impl ApiError {
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError {
            field: field.into(),
            message: message.into(),
        }])
    }

    pub fn internal(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self::Internal(error.into())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden { .. } => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable, machine-readable `code` of the error body.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Validation(_) => "validation_failed",
            Self::BadRequest(_) => "bad_request",
            Self::Unauthenticated(_) => "unauthenticated",
            Self::Forbidden { code, .. } => code,
            Self::NotFound(_) => "not_found",
            Self::Conflict(_) => "conflict",
            Self::PayloadTooLarge(_) => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::RateLimited { .. } => "rate_limited",
            Self::Unavailable(_) => "unavailable",
            Self::Internal(_) => "internal",
        }
    }

    fn message_and_details(&self) -> (String, Value) {
        match self {
            Self::Validation(errors) => {
                let message = match errors.as_slice() {
                    [one] => format!("{}: {}", one.field, one.message),
                    _ => format!("{} fields are invalid", errors.len()),
                };
                (message, json!({ "fields": errors }))
            }
            Self::BadRequest(message) => (message.clone(), Value::Null),
            Self::Unauthenticated(message) | Self::Unavailable(message) => {
                ((*message).to_owned(), Value::Null)
            }
            Self::Forbidden { message, .. } | Self::Conflict(message) => {
                (message.to_string(), Value::Null)
            }
            Self::NotFound(what) => (format!("{what} not found"), Value::Null),
            Self::PayloadTooLarge(why) => (
                why.clone()
                    .unwrap_or_else(|| "the request body is too large".to_owned()),
                Value::Null,
            ),
            Self::UnsupportedMediaType => (
                "send the body as JSON with `Content-Type: application/json`".to_owned(),
                Value::Null,
            ),
            Self::RateLimited {
                retry_after_seconds,
            } => (
                format!("too many attempts; try again in {retry_after_seconds} seconds"),
                json!({ "retry_after_seconds": retry_after_seconds }),
            ),
            Self::Internal(_) => {
                let id = REQUEST_ID.try_with(Clone::clone).unwrap_or_default();
                (
                    "internal error; it has been logged. Quote the request id when reporting it"
                        .to_owned(),
                    json!({ "request_id": id }),
                )
            }
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Internal(error) => f.write_str(&service_kit::exit::one_line(error.as_ref())),
            other => write!(f, "{}: {}", other.code(), other.message_and_details().0),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Self::Internal(error) = &self {
            tracing::error!(error = %service_kit::exit::one_line(error.as_ref()), "request failed");
        }
        let (message, details) = self.message_and_details();
        let mut response = (
            self.status(),
            Json(
                json!({ "error": { "code": self.code(), "message": message, "details": details } }),
            ),
        )
            .into_response();
        if let Self::RateLimited {
            retry_after_seconds,
        } = self
        {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_seconds));
        }
        response
    }
}

/// A violated constraint (by name) as the error a client should see, or `None` for
/// constraints a client cannot trip through validated input.
pub fn constraint_error(constraint: &str) -> Option<ApiError> {
    let conflict = |m: &'static str| Some(ApiError::Conflict(Cow::Borrowed(m)));
    match constraint {
        "users_email_key" => conflict("an account with this email address already exists"),
        "accounts_ledger_name_key" => conflict("this ledger already has an account with that name"),
        "category_groups_ledger_name_key" => {
            conflict("this ledger already has a category group with that name")
        }
        "categories_group_name_key" => conflict("this group already has a category with that name"),
        "transactions_account_import_key" => {
            conflict("a transaction with this import id already exists in the account")
        }
        "transaction_splits_sum_check" => Some(ApiError::field(
            "splits",
            "the parts must sum exactly to the transaction amount",
        )),
        "transactions_account_id_ledger_id_fkey" => Some(ApiError::field(
            "account_id",
            "no such account in this ledger",
        )),
        "transactions_category_id_ledger_id_fkey" => Some(ApiError::field(
            "category_id",
            "no such category in this ledger",
        )),
        "transaction_splits_category_id_ledger_id_fkey" => Some(ApiError::field(
            "splits",
            "a part's category is not in this ledger",
        )),
        "transactions_transfer_uncategorised_check" => {
            Some(ApiError::field("category_id", "transfers have no category"))
        }
        _ => None,
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &error
            && let Some(mapped) = db.constraint().and_then(constraint_error)
        {
            return mapped;
        }
        Self::internal(error)
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::JsonDataError(e) => ApiError::field("body", e.body_text()),
            JsonRejection::JsonSyntaxError(e) => ApiError::BadRequest(e.body_text()),
            JsonRejection::MissingJsonContentType(_) => ApiError::UnsupportedMediaType,
            JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                ApiError::PayloadTooLarge(None)
            }
            other => ApiError::BadRequest(other.body_text()),
        }
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        ApiError::BadRequest(format!("invalid path: {}", rejection.body_text()))
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        ApiError::BadRequest(format!("invalid query string: {}", rejection.body_text()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_constraint_maps_to_a_client_error() {
        for name in [
            "users_email_key",
            "accounts_ledger_name_key",
            "category_groups_ledger_name_key",
            "categories_group_name_key",
            "transactions_account_import_key",
            "transaction_splits_sum_check",
            "transactions_account_id_ledger_id_fkey",
            "transactions_category_id_ledger_id_fkey",
            "transaction_splits_category_id_ledger_id_fkey",
            "transactions_transfer_uncategorised_check",
        ] {
            let error = constraint_error(name).expect(name);
            assert!(error.status().is_client_error(), "{name}");
        }
        assert!(constraint_error("some_internal_fk").is_none());
    }

    #[test]
    fn a_single_field_error_names_the_field_in_the_message() {
        let (message, details) =
            ApiError::field("amount", "too many decimals").message_and_details();
        assert_eq!(message, "amount: too many decimals");
        assert_eq!(details["fields"][0]["field"], "amount");
    }
}
