//! Every event a client can receive, defined once: the [`Event`] enum names each type and
//! its payload, and the OpenAPI document carries both (the web app generates its types from
//! it). A write records its events with [`super::record`] in its own transaction.
// The schema derive of `Event` builds the list of its thirty payloads' schemas at once.
#![allow(clippy::large_stack_arrays)]

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::accounts::AccountView;
use crate::categories::CategoryKind;
use crate::goals::GoalView;
use crate::ledgers::Role;
use crate::transactions::TransactionView;
use crate::transactions::transfers::TransferView;
use contracts::categorization::Completed;

/// Declares [`Event`] with each variant's wire type, so the name a client sees, the
/// payload and the outbox's `type` column cannot drift apart. (`tt` fragments: the schema
/// derive does not see through a `literal` fragment's invisible group and would name the
/// variants in Rust.)
macro_rules! catalogue {
    ($($(#[doc = $doc:tt])* $variant:ident($payload:ty) = $kind:tt,)*) => {
        /// An event as the outbox records it: its `type` and its `data`.
        #[derive(Debug, Serialize, ToSchema)]
        #[serde(tag = "type", content = "data")]
        #[allow(
            clippy::large_enum_variant,
            reason = "made once per write and serialised at once"
        )]
        pub enum Event {
            $($(#[doc = $doc])* #[serde(rename = $kind)] $variant($payload),)*
        }

        impl Event {
            /// Every event type, as clients see it.
            pub const KINDS: &[&str] = &[$($kind),*];

            /// The event's type, such as `transaction.created`.
            pub fn kind(&self) -> &'static str {
                match self {
                    $(Self::$variant(_) => $kind,)*
                }
            }

            /// The payload as the JSON clients receive in `data`.
            pub fn data_json(&self) -> serde_json::Result<String> {
                match self {
                    $(Self::$variant(data) => serde_json::to_string(data),)*
                }
            }
        }
    };
}

catalogue! {
    /// Transactions recorded one by one (an import announces itself with `import.*`).
    TransactionCreated(TransactionsChanged) = "transaction.created",
    /// Transactions edited, one (with its row) or in bulk (ids only).
    TransactionUpdated(TransactionsChanged) = "transaction.updated",
    /// Transactions deleted (a transfer's two legs together).
    TransactionDeleted(TransactionsDeleted) = "transaction.deleted",
    /// A transfer's two legs, written together.
    TransferCreated(TransferView) = "transfer.created",
    AccountCreated(AccountView) = "account.created",
    /// Renamed, archived or restored, or its opening balance corrected.
    AccountUpdated(AccountView) = "account.updated",
    AccountDeleted(Removed) = "account.deleted",
    CategoryCreated(CategoryChanged) = "category.created",
    /// Renamed, moved, archived or restored, or its budget rollover changed.
    CategoryUpdated(CategoryChanged) = "category.updated",
    /// Everything in `id` moved to `into`, and `id` deleted.
    CategoryMerged(CategoryMerged) = "category.merged",
    CategoryGroupCreated(CategoryGroupChanged) = "category.group_created",
    CategoryGroupUpdated(CategoryGroupChanged) = "category.group_updated",
    /// A month's budget for a category, or the alert thresholds, changed.
    BudgetChanged(BudgetChanged) = "budget.changed",
    /// A category's spending reached a threshold of its month's budget (once per crossing).
    BudgetAlert(BudgetAlert) = "budget.alert",
    GoalCreated(GoalView) = "goal.created",
    /// Edited, or a contribution recorded.
    GoalUpdated(GoalView) = "goal.updated",
    GoalDeleted(Removed) = "goal.deleted",
    /// After each chunk an import writes.
    ImportProgress(ImportProgress) = "import.progress",
    ImportCompleted(ImportCompleted) = "import.completed",
    ImportFailed(ImportFailed) = "import.failed",
    /// A completed import's rows removed again.
    ImportUndone(ImportUndone) = "import.undone",
    /// What the model decided for a new transaction: a category applied, or suggestions.
    CategorizationCompleted(Completed) = "categorization.completed",
    /// Exchange rates added, replaced or deleted: amounts in the base currency change.
    ExchangeRateChanged(ExchangeRatesChanged) = "exchange_rate.changed",
    /// The ledger's name or settings changed.
    LedgerUpdated(LedgerSettings) = "ledger.updated",
    /// The ledger and everything in it are gone.
    LedgerDeleted(Removed) = "ledger.deleted",
    /// Someone joined; a socket of theirs follows the ledger from this event on.
    MemberAdded(Member) = "ledger.member_added",
    MemberUpdated(Member) = "ledger.member_updated",
    /// Someone left or was removed; a socket of theirs receives this, then nothing more
    /// of the ledger.
    MemberRemoved(MemberRemoved) = "ledger.member_removed",
}

/// An event as a WebSocket client receives it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventMessage {
    /// The event's id in its ledger's stream (`<milliseconds>-<sequence>`): send the last
    /// one seen when resuming.
    pub id: String,
    pub ledger_id: Uuid,
    #[serde(flatten)]
    pub event: Event,
}

/// Every message the server sends on `/api/v1/ws`: an event, or a control message.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
#[allow(
    clippy::large_enum_variant,
    reason = "describes the wire for the OpenAPI document"
)]
pub enum ServerMessage {
    Event(EventMessage),
    Control(super::protocol::ControlMessage),
}

/// The transactions a write created or changed.
#[derive(Debug, Serialize, ToSchema)]
pub struct TransactionsChanged {
    /// Every transaction the write created or changed.
    pub ids: Vec<Uuid>,
    /// The rows as they are after the write, for a write of one transaction; empty for a
    /// bulk edit, whose rows a client refetches by `ids` if it shows them.
    pub transactions: Vec<TransactionView>,
}

impl TransactionsChanged {
    /// One transaction as it is now.
    pub fn one(view: TransactionView) -> Self {
        Self {
            ids: vec![view.id],
            transactions: vec![view],
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TransactionsDeleted {
    pub ids: Vec<Uuid>,
}

/// Something deleted, by id.
#[derive(Debug, Serialize, ToSchema)]
pub struct Removed {
    pub id: Uuid,
}

/// A category as it is now.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryChanged {
    pub id: Uuid,
    pub group_id: Uuid,
    pub name: String,
    pub archived: bool,
    pub budget_rollover: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryMerged {
    /// The category merged away (deleted).
    pub id: Uuid,
    /// The category that took over its transactions and split parts.
    pub into: Uuid,
    pub moved_transactions: u64,
    pub moved_splits: u64,
}

/// A category group as it is now.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryGroupChanged {
    pub id: Uuid,
    pub name: String,
    pub kind: CategoryKind,
    pub archived: bool,
}

/// A budget amount set (`month`, `category_id`, `amount`) or the alert thresholds changed
/// (`alert_thresholds`).
#[derive(Debug, Serialize, ToSchema)]
pub struct BudgetChanged {
    /// The first day of the month whose budget changed.
    pub month: Option<NaiveDate>,
    pub category_id: Option<Uuid>,
    /// The month's new amount in the base currency; "0" when the budget was removed.
    pub amount: Option<String>,
    pub alert_thresholds: Option<Vec<i16>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BudgetAlert {
    pub category_id: Uuid,
    pub category: String,
    /// The first day of the month.
    pub month: NaiveDate,
    /// The percent of the month's available amount that spending reached.
    pub threshold: i16,
    pub budgeted: String,
    pub carried_in: String,
    pub spent: String,
    /// The ledger's base currency, which the amounts are in.
    pub currency: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportProgress {
    pub import_id: Uuid,
    pub committed_rows: i32,
    pub total_rows: i32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportCompleted {
    pub import_id: Uuid,
    pub inserted_rows: i32,
    pub duplicate_rows: i32,
    pub error_rows: i32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportFailed {
    pub import_id: Uuid,
    /// Why, for a person.
    pub error: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportUndone {
    pub import_id: Uuid,
    pub removed_rows: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExchangeRatesChanged {
    /// The currencies whose rates changed.
    pub currencies: Vec<String>,
}

/// The ledger's own settings (no member's role).
#[derive(Debug, Serialize, ToSchema)]
pub struct LedgerSettings {
    pub id: Uuid,
    pub name: String,
    pub base_currency: String,
    pub ml_auto_apply_threshold: f32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Member {
    pub user_id: Uuid,
    pub display_name: String,
    pub role: Role,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MemberRemoved {
    pub user_id: Uuid,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wire_type_is_the_kind_and_the_data_is_the_payload_alone() {
        let id = Uuid::from_u128(7);
        let event = Event::AccountDeleted(Removed { id });
        assert_eq!(event.kind(), "account.deleted");
        assert_eq!(
            event.data_json().expect("json"),
            format!(r#"{{"id":"{id}"}}"#)
        );
        assert_eq!(
            serde_json::to_value(&event).expect("json"),
            serde_json::json!({"type": "account.deleted", "data": {"id": id}})
        );
    }

    #[test]
    fn every_kind_is_a_dotted_lowercase_name_and_named_once() {
        let mut seen = std::collections::HashSet::new();
        for kind in Event::KINDS {
            let (noun, verb) = kind.split_once('.').expect("dotted");
            let word =
                |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c == '_');
            assert!(word(noun) && word(verb), "{kind}");
            assert!(seen.insert(kind), "{kind} twice");
        }
    }

    #[test]
    fn a_confidence_reads_as_written() {
        let event = Event::CategorizationCompleted(Completed {
            transaction_id: Uuid::nil(),
            category_id: None,
            model_version: "m".to_owned(),
            confidence: Some(0.9),
            suggestions: Vec::new(),
        });
        assert!(
            event
                .data_json()
                .expect("json")
                .contains(r#""confidence":0.9,"#)
        );
    }
}
