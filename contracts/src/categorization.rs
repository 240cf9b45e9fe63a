//! The API ↔ ML worker contract: `POST /v1/ledgers/{ledger_id}/categorize` and
//! `POST /v1/ledgers/{ledger_id}/feedback` on the worker.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The Redis stream of transactions waiting for categorisation: the API adds
/// `{ledger_id, transaction_ids}` entries (ids joined by commas, at most
/// [`QUEUE_ENTRY_IDS`]), the workers consume them in one group. An entry with a single
/// `transaction_id` field, as earlier versions wrote, is read as well.
pub const QUEUE_STREAM: &str = "ft:ml:queue";
/// The consumer group every worker reads its stream in.
pub const QUEUE_GROUP: &str = "ml-workers";

/// The stream of a variant with workers of its own (a ModelExperiment's candidate): the
/// queued categorisations of the households routed to it, which only its workers read.
pub fn queue_stream_of(version: &str) -> String {
    format!("{QUEUE_STREAM}:{version}")
}

/// The Redis hash of the versions whose stream ([`queue_stream_of`]) the API has written to,
/// each with when it last did (ms since the epoch), so that a stream no route reads any more
/// (the candidate rolled back or promoted) is found and its entries moved to the streams
/// their ledgers are routed to now.
pub const QUEUE_VERSIONS_KEY: &str = "ft:ml:queue-versions";
/// A queue entry's fields: its ledger, its transactions (see [`queue_entries`]), and the
/// single transaction of an entry from an earlier version.
pub const QUEUE_LEDGER_FIELD: &str = "ledger_id";
pub const QUEUE_IDS_FIELD: &str = "transaction_ids";
pub const QUEUE_LEGACY_ID_FIELD: &str = "transaction_id";

/// Transaction ids per queue entry, at most. An import queues 100,000 rows in 2,000 entries
/// rather than 100,000 (a Redis round of work and about 90 bytes of memory each), and a
/// worker's read of a few entries stays within one categorisation batch.
pub const QUEUE_ENTRY_IDS: usize = 50;

/// Pure: the queue entries' `transaction_ids` values for `ids`, in order.
pub fn queue_entries(ids: &[Uuid]) -> Vec<String> {
    ids.chunks(QUEUE_ENTRY_IDS)
        .map(|chunk| {
            chunk
                .iter()
                .map(Uuid::to_string)
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect()
}

/// Pure: the ids of one entry's `transaction_ids` (or `transaction_id`) value; `None` if any
/// is not an id or there are none.
pub fn queue_entry_ids(value: &str) -> Option<Vec<Uuid>> {
    let ids = value
        .split(',')
        .map(|id| id.trim().parse().ok())
        .collect::<Option<Vec<Uuid>>>()?;
    (!ids.is_empty()).then_some(ids)
}

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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

/// What a transaction keeps of suggestions too weak to apply (the `ml_suggestions` column),
/// offered for one-click acceptance; accepting one is reported to the version that made it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredSuggestions {
    pub model_version: String,
    pub suggestions: Vec<Suggestion>,
}

/// What to do with the model's suggestions for one transaction.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    Apply {
        category_id: Uuid,
        confidence: f32,
        model_version: String,
    },
    Suggest {
        suggestions: Vec<Suggestion>,
        model_version: String,
    },
    Nothing,
}

impl Decision {
    /// The outcome label of the predictions metric: `applied`, `suggested` or `none`.
    pub fn outcome(&self) -> &'static str {
        match self {
            Self::Apply { .. } => "applied",
            Self::Suggest { .. } => "suggested",
            Self::Nothing => "none",
        }
    }
}

/// Pure: apply the best suggestion when it reaches the ledger's `threshold`, else keep them
/// all for one-click acceptance. The one rule both the API and the queue consumer follow.
pub fn decide(model_version: &str, suggestions: Vec<Suggestion>, threshold: f32) -> Decision {
    match suggestions.first() {
        None => Decision::Nothing,
        Some(best) if best.confidence >= threshold => Decision::Apply {
            category_id: best.category_id,
            confidence: best.confidence,
            model_version: model_version.to_owned(),
        },
        Some(_) => Decision::Suggest {
            suggestions,
            model_version: model_version.to_owned(),
        },
    }
}

/// The event type of a categorisation's result on the ledger's event stream.
pub const COMPLETED_EVENT: &str = "categorization.completed";

/// The data of a [`COMPLETED_EVENT`]: what the model decided for one transaction. The API
/// sends it for a transaction categorised on creation, a worker for a queued one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Completed {
    pub transaction_id: Uuid,
    /// The category applied; `None` when the suggestions were too weak to apply.
    pub category_id: Option<Uuid>,
    pub model_version: String,
    /// The applied category's confidence; `None` with suggestions.
    pub confidence: Option<f32>,
    /// Kept for one-click acceptance, best first; empty when a category was applied.
    pub suggestions: Vec<Suggestion>,
}

impl Completed {
    /// Pure: the event for `decision` about `transaction_id`; `None` when there was nothing
    /// to say (no suggestion at all).
    pub fn of(transaction_id: Uuid, decision: &Decision) -> Option<Self> {
        match decision {
            Decision::Apply {
                category_id,
                confidence,
                model_version,
            } => Some(Self {
                transaction_id,
                category_id: Some(*category_id),
                model_version: model_version.clone(),
                confidence: Some(*confidence),
                suggestions: Vec::new(),
            }),
            Decision::Suggest {
                suggestions,
                model_version,
            } => Some(Self {
                transaction_id,
                category_id: None,
                model_version: model_version.clone(),
                confidence: None,
                suggestions: suggestions.clone(),
            }),
            Decision::Nothing => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_entries_hold_at_most_their_share_of_ids_and_read_back_in_order() {
        let ids: Vec<Uuid> = (0..=QUEUE_ENTRY_IDS * 2).map(|_| Uuid::new_v4()).collect();
        let entries = queue_entries(&ids);
        assert_eq!(entries.len(), 3);
        let read: Vec<Uuid> = entries
            .iter()
            .flat_map(|e| queue_entry_ids(e).expect("ids"))
            .collect();
        assert_eq!(read, ids);
        assert_eq!(queue_entry_ids(&ids[0].to_string()), Some(vec![ids[0]]));
        assert!(queue_entries(&[]).is_empty());
        for bad in [
            "",
            "nope",
            &format!("{},", ids[0]),
            &format!("{},x", ids[0]),
        ] {
            assert_eq!(queue_entry_ids(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_sure_suggestion_is_applied_and_an_unsure_one_kept() {
        let ids = [Uuid::new_v4(), Uuid::new_v4()];
        let list = |top: f32| {
            vec![
                Suggestion {
                    category_id: ids[0],
                    confidence: top,
                },
                Suggestion {
                    category_id: ids[1],
                    confidence: 0.1,
                },
            ]
        };
        assert_eq!(
            decide("m1", list(0.7), 0.7),
            Decision::Apply {
                category_id: ids[0],
                confidence: 0.7,
                model_version: "m1".to_owned()
            }
        );
        assert!(matches!(
            decide("m1", list(0.69), 0.7),
            Decision::Suggest { suggestions, .. } if suggestions.len() == 2
        ));
        assert_eq!(decide("m1", Vec::new(), 0.7), Decision::Nothing);
    }

    #[test]
    fn an_event_says_what_was_decided_and_nothing_without_a_suggestion() {
        let (transaction, category) = (Uuid::new_v4(), Uuid::new_v4());
        let suggestions = vec![Suggestion {
            category_id: category,
            confidence: 0.4,
        }];
        let applied =
            Completed::of(transaction, &decide("m1", suggestions.clone(), 0.3)).expect("applied");
        assert_eq!(
            (
                applied.category_id,
                applied.confidence,
                applied.suggestions.len()
            ),
            (Some(category), Some(0.4), 0)
        );
        let kept =
            Completed::of(transaction, &decide("m1", suggestions.clone(), 0.7)).expect("kept");
        assert_eq!(
            (kept.category_id, kept.confidence, kept.suggestions),
            (None, None, suggestions)
        );
        assert_eq!(
            Completed::of(transaction, &decide("m1", Vec::new(), 0.7)),
            None
        );
    }
}
