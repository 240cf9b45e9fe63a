//! The worker's HTTP API, for the API service (not for browsers):
//! - `GET /v1/model`: the model version served;
//! - `POST /v1/ledgers/{ledger_id}/categorize`: up to 1,000 descriptions with amounts, each
//!   answered with up to three category ids and confidences;
//! - `POST /v1/ledgers/{ledger_id}/feedback`: a suggestion accepted or corrected; the next
//!   prediction for that ledger uses it.
//!
//! Errors use the platform's shape: `{"error": {"code", "message", "details"}}`.

use std::sync::Arc;

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use contracts::categorization::decide;
pub use contracts::categorization::{
    CategorizeRequest, CategorizeResponse, FeedbackRequest, MAX_BATCH, MAX_DESCRIPTION_CHARS,
    Outcome, Suggestion,
};
use serde_json::json;
use uuid::Uuid;

use crate::ledgers::{LedgerError, Ledgers};
use crate::metrics::MlMetrics;

/// What every route reads.
#[derive(Debug, Clone)]
pub struct WorkerState {
    pub ledgers: Arc<Ledgers>,
    pub metrics: MlMetrics,
}

#[derive(Debug)]
pub struct WorkerError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl WorkerError {
    fn invalid(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "validation_failed",
            message: message.into(),
        }
    }
}

impl IntoResponse for WorkerError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(
                json!({ "error": { "code": self.code, "message": self.message, "details": null } }),
            ),
        )
            .into_response()
    }
}

impl From<LedgerError> for WorkerError {
    fn from(error: LedgerError) -> Self {
        match error {
            LedgerError::UnknownLedger => Self {
                status: StatusCode::NOT_FOUND,
                code: "not_found",
                message: "ledger not found".to_owned(),
            },
            LedgerError::UnknownCategory => {
                Self::invalid("category_id: no such category in this ledger")
            }
            other => {
                tracing::error!(error = %other, "request failed");
                Self {
                    status: StatusCode::INTERNAL_SERVER_ERROR,
                    code: "internal",
                    message: "internal error; it has been logged".to_owned(),
                }
            }
        }
    }
}

impl From<JsonRejection> for WorkerError {
    fn from(rejection: JsonRejection) -> Self {
        Self {
            status: rejection.status(),
            code: "bad_request",
            message: rejection.body_text(),
        }
    }
}

/// Pure: the wire form of a ranked prediction (the classifier's labels are category ids).
pub fn suggestions(ranked: Vec<crate::classifier::Prediction>) -> Vec<Suggestion> {
    ranked
        .into_iter()
        .filter_map(|p| {
            Some(Suggestion {
                category_id: p.category.parse().ok()?,
                confidence: p.confidence,
            })
        })
        .collect()
}

/// Pure: a description the model can take, or why not.
pub fn check_description(field: &str, description: &str) -> Result<(), WorkerError> {
    if description.trim().is_empty() {
        return Err(WorkerError::invalid(format!("{field}: must not be empty")));
    }
    if description.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(WorkerError::invalid(format!(
            "{field}: must be at most {MAX_DESCRIPTION_CHARS} characters"
        )));
    }
    Ok(())
}

pub fn router(state: WorkerState) -> Router {
    Router::new()
        .route("/v1/model", get(model))
        .route("/v1/ledgers/{ledger_id}/categorize", post(categorize))
        .route("/v1/ledgers/{ledger_id}/feedback", post(feedback))
        .with_state(state)
}

async fn model(State(state): State<WorkerState>) -> Json<serde_json::Value> {
    let manifest = state.ledgers.embedder().manifest();
    Json(json!({
        "version": manifest.version,
        "embedding_size": manifest.embedding_size,
        "pooling": manifest.pooling,
        "max_batch": MAX_BATCH,
    }))
}

async fn categorize(
    State(WorkerState { ledgers, metrics }): State<WorkerState>,
    Path(ledger): Path<Uuid>,
    body: Result<Json<CategorizeRequest>, JsonRejection>,
) -> Result<Json<CategorizeResponse>, WorkerError> {
    let Json(body) = body?;
    if body.items.is_empty() || body.items.len() > MAX_BATCH {
        return Err(WorkerError::invalid(format!(
            "items: send 1 to {MAX_BATCH} items (got {})",
            body.items.len()
        )));
    }
    for (i, item) in body.items.iter().enumerate() {
        check_description(&format!("items[{i}].description"), &item.description)?;
    }
    let version = ledgers.embedder().manifest().version.clone();
    let started = std::time::Instant::now();
    #[allow(clippy::cast_precision_loss)] // at most 1,000
    let size = body.items.len() as f64;
    let items = body
        .items
        .into_iter()
        .map(|i| (i.description, i.amount))
        .collect();
    let threshold = ledgers.auto_apply_threshold(ledger).await?;
    let predictions = ledgers.categorize(ledger, items).await?;
    metrics
        .inference_seconds
        .with_label_values(&[&version])
        .observe(started.elapsed().as_secs_f64());
    metrics
        .batch_size
        .with_label_values(&[&version])
        .observe(size);
    let results: Vec<Vec<Suggestion>> = predictions.into_iter().map(suggestions).collect();
    for ranked in &results {
        let outcome = decide(&version, ranked.clone(), threshold).outcome();
        metrics
            .predictions
            .with_label_values(&[&version, outcome])
            .inc();
    }
    Ok(Json(CategorizeResponse {
        model_version: version,
        results,
    }))
}

async fn feedback(
    State(WorkerState { ledgers, metrics }): State<WorkerState>,
    Path(ledger): Path<Uuid>,
    body: Result<Json<FeedbackRequest>, JsonRejection>,
) -> Result<StatusCode, WorkerError> {
    let Json(body) = body?;
    check_description("description", &body.description)?;
    ledgers
        .feedback(
            ledger,
            &body.description,
            body.amount,
            body.category_id,
            body.outcome,
            body.model_version.as_deref(),
        )
        .await?;
    let outcome = match body.outcome {
        Outcome::Accepted => "accepted",
        Outcome::Corrected => "corrected",
    };
    let version = body.model_version.as_deref().unwrap_or("unknown");
    metrics
        .feedback
        .with_label_values(&[version, outcome])
        .inc();
    Ok(StatusCode::NO_CONTENT)
}
