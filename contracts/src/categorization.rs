//! The API ↔ ML worker contract: `POST /v1/ledgers/{ledger_id}/categorize` and
//! `POST /v1/ledgers/{ledger_id}/feedback` on the worker.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Descriptions per categorisation request, at most.
pub const MAX_BATCH: usize = 1_000;
/// Characters per description, at most.
pub const MAX_DESCRIPTION_CHARS: usize = 500;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub description: String,
    /// Signed: negative for money going out.
    pub amount: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategorizeRequest {
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub category_id: Uuid,
    /// 0 to 1; 1 for a description the ledger labelled itself.
    pub confidence: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategorizeResponse {
    pub model_version: String,
    /// One entry per item, in order: up to three suggestions, best first.
    pub results: Vec<Vec<Suggestion>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Accepted,
    Corrected,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accepted => "accepted",
            Self::Corrected => "corrected",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedbackRequest {
    pub description: String,
    pub amount: f64,
    pub category_id: Uuid,
    pub outcome: Outcome,
    /// The model version that made the suggestion.
    pub model_version: Option<String>,
}
