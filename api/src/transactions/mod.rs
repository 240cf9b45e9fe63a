//! Transactions: one dated amount in one account, with a payee, description, notes, tags,
//! a status, and either one category or splits across several (parts summing exactly to the
//! amount). A transfer is two transactions sharing a `transfer_id`, written atomically.

pub mod account_currencies;
pub mod export;
pub mod input;
pub mod list;
pub mod routes;
pub mod transfers;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type, utoipa::ToSchema,
)]
#[sqlx(type_name = "transaction_status", rename_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pending,
    Cleared,
}

/// Who set the category: the user, a rule, or the ML model.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type, utoipa::ToSchema,
)]
#[sqlx(type_name = "category_source", rename_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum CategorySource {
    User,
    Rule,
    Ml,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SplitView {
    pub category_id: Uuid,
    /// A decimal string with the currency's decimals.
    pub amount: String,
    pub memo: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MlSuggestion {
    pub category_id: Uuid,
    /// 0 to 1.
    pub confidence: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct TransactionView {
    pub id: Uuid,
    pub account_id: Uuid,
    pub date: NaiveDate,
    /// A decimal string, negative for money out, with the account currency's decimals.
    pub amount: String,
    pub currency: String,
    pub payee: String,
    pub description: String,
    pub notes: String,
    pub status: Status,
    pub category_id: Option<Uuid>,
    pub category_source: Option<CategorySource>,
    /// The model version and its confidence when the ML worker chose the category.
    pub ml_model_version: Option<String>,
    pub ml_confidence: Option<f32>,
    /// The ML worker's guesses for an uncategorised transaction that were too unsure to
    /// apply, best first, for one-click acceptance (set `category_id` to one of them).
    pub ml_suggestions: Vec<MlSuggestion>,
    /// Shared by both legs of a transfer.
    pub transfer_id: Option<Uuid>,
    pub import_id: Option<String>,
    pub tags: Vec<String>,
    /// Empty unless the transaction is split across categories.
    pub splits: Vec<SplitView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
