//! The categorisation queue: transactions the API could not get categorised on creation
//! (worker down or slow) wait on the Redis stream `ft:ml:queue`. Every worker reads it in
//! one consumer group; an entry is acknowledged only after its result is written, and
//! entries a crashed worker left pending are claimed by another after `min_idle`.
//! Writing is conditional (only a transaction still without a category and suggestions is
//! changed), so an entry processed twice after a crash changes nothing the second time.
//! Each result's `categorization.completed` event is recorded in the same database
//! transaction as the result (the outbox the API relays), so it is announced exactly once.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use contracts::categorization::{
    COMPLETED_EVENT, Completed, Decision, QUEUE_IDS_FIELD, QUEUE_LEDGER_FIELD,
    QUEUE_LEGACY_ID_FIELD, StoredSuggestions, decide,
};
use service_kit::streams::GroupReader;
use sqlx::PgPool;
use uuid::Uuid;

use crate::ledgers::{LedgerError, Ledgers};
use crate::metrics::MlMetrics;

pub use contracts::categorization::QUEUE_GROUP as GROUP;
/// Entries per read: with up to `QUEUE_ENTRY_IDS` (50) transactions each, one read is at
/// most one categorisation batch (1,000).
const BATCH: usize =
    contracts::categorization::MAX_BATCH / contracts::categorization::QUEUE_ENTRY_IDS;

pub use service_kit::streams::Entry;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub entry: String,
    pub ledger: Uuid,
    pub transaction: Uuid,
}

/// Pure: jobs from stream entries (`[id, [field, value, ...]]`), one per transaction id of
/// an entry's `transaction_ids` (or older `transaction_id`); malformed entries are returned
/// apart so they can be acknowledged and dropped, not retried forever.
pub fn parse_entries(entries: Vec<Entry>) -> (Vec<Job>, Vec<String>) {
    let mut jobs = Vec::new();
    let mut malformed = Vec::new();
    for (entry, flat) in entries {
        let fields = service_kit::streams::fields(&flat);
        let parsed = (|| {
            let ledger: Uuid = fields.get(QUEUE_LEDGER_FIELD)?.parse().ok()?;
            let ids = fields
                .get(QUEUE_IDS_FIELD)
                .or_else(|| fields.get(QUEUE_LEGACY_ID_FIELD))?;
            Some((ledger, contracts::categorization::queue_entry_ids(ids)?))
        })();
        match parsed {
            Some((ledger, ids)) => jobs.extend(ids.into_iter().map(|transaction| Job {
                entry: entry.clone(),
                ledger,
                transaction,
            })),
            None => malformed.push(entry),
        }
    }
    (jobs, malformed)
}

#[derive(Debug)]
pub struct Consumer {
    /// The queue's consumer group (`QUEUE_STREAM` and `GROUP` in service; tests use their
    /// own stream), on a Redis connection of its own.
    pub reader: GroupReader,
    pub db: PgPool,
    pub ledgers: Arc<Ledgers>,
    pub metrics: MlMetrics,
}

impl Consumer {
    /// Creates the consumer group (and the stream) if they do not exist yet.
    pub async fn ensure_group(&self) -> Result<(), String> {
        self.reader.ensure_group().await
    }

    /// One round: entries abandoned by others first, then new ones (waiting up to `block`).
    /// Returns how many jobs were completed (failed ones stay pending, to be claimed again).
    pub async fn run_once(&self, block: Duration) -> Result<usize, String> {
        let (jobs, malformed) = parse_entries(self.reader.next(BATCH, block).await?);
        if !malformed.is_empty() {
            tracing::warn!(count = malformed.len(), "malformed queue entries dropped");
            self.ack(&malformed).await?;
        }
        let mut done = 0;
        let mut by_ledger: HashMap<Uuid, Vec<Job>> = HashMap::new();
        for job in jobs {
            by_ledger.entry(job.ledger).or_default().push(job);
        }
        for (ledger, jobs) in by_ledger {
            match self.complete(ledger, &jobs).await {
                Ok(()) | Err(LedgerError::UnknownLedger) => {
                    // Written (or nothing left to write): acknowledge. An entry's jobs are
                    // all of one ledger, so it is acknowledged whole.
                    done += jobs.len();
                    let mut entries: Vec<String> = jobs.into_iter().map(|j| j.entry).collect();
                    entries.dedup();
                    self.ack(&entries).await?;
                }
                // Left pending: claimed again after `min_idle`.
                Err(e) => {
                    tracing::warn!(error = %e, %ledger, "categorisation jobs failed; will retry");
                }
            }
        }
        Ok(done)
    }

    async fn ack(&self, entries: &[String]) -> Result<(), String> {
        self.reader.ack(entries).await
    }

    /// Categorises the ledger's queued transactions that still have no category and writes
    /// each result, applied or as suggestions, by the ledger's threshold, with its event.
    async fn complete(&self, ledger: Uuid, jobs: &[Job]) -> Result<(), LedgerError> {
        let ids: Vec<Uuid> = jobs.iter().map(|j| j.transaction).collect();
        let rows: Vec<(Uuid, String, f64, f32)> = sqlx::query_as(
            "SELECT t.id, trim(t.payee || ' ' || t.description), t.amount::float8,
                    l.ml_auto_apply_threshold
             FROM transactions t JOIN ledgers l ON l.id = t.ledger_id
             WHERE t.ledger_id = $1 AND t.id = ANY($2) AND t.category_id IS NULL
               AND t.ml_suggestions IS NULL AND t.transfer_id IS NULL AND NOT t.has_splits
               AND length(trim(t.payee || ' ' || t.description)) > 0",
        )
        .bind(ledger)
        .bind(&ids)
        .fetch_all(&self.db)
        .await?;
        if rows.is_empty() {
            return Ok(());
        }
        let items = rows
            .iter()
            .map(|(_, text, amount, _)| (text.clone(), *amount))
            .collect();
        let predictions = self.ledgers.categorize(ledger, items).await?;
        let version = self.ledgers.embedder().manifest().version.clone();
        let mut tx = service_kit::stores::begin(&self.db).await?;
        // What this worker wrote (another worker, or a person, may have been first) is
        // announced, in the same transaction.
        let mut announced: Vec<Completed> = Vec::new();
        let mut outcomes: Vec<&'static str> = Vec::with_capacity(rows.len());
        for ((id, _, _, threshold), ranked) in rows.iter().zip(predictions) {
            let suggestions = crate::routes::suggestions(ranked);
            let decision = decide(&version, suggestions, *threshold);
            outcomes.push(decision.outcome());
            let completed = Completed::of(*id, &decision);
            match decision {
                Decision::Apply {
                    category_id,
                    confidence,
                    model_version,
                } => {
                    let written = sqlx::query(
                        "UPDATE transactions SET category_id = $2, category_source = 'ml',
                                ml_model_version = $3, ml_confidence = $4, updated_at = now()
                         WHERE id = $1 AND category_id IS NULL AND ml_suggestions IS NULL
                           AND NOT has_splits",
                    )
                    .bind(id)
                    .bind(category_id)
                    .bind(model_version)
                    .bind(confidence)
                    .execute(&mut *tx)
                    .await?;
                    if written.rows_affected() == 1 {
                        announced.extend(completed);
                    }
                }
                Decision::Suggest {
                    suggestions,
                    model_version,
                } => {
                    let written = sqlx::query(
                        "UPDATE transactions SET ml_suggestions = $2
                         WHERE id = $1 AND category_id IS NULL AND ml_suggestions IS NULL",
                    )
                    .bind(id)
                    .bind(sqlx::types::Json(StoredSuggestions {
                        model_version,
                        suggestions,
                    }))
                    .execute(&mut *tx)
                    .await?;
                    if written.rows_affected() == 1 {
                        announced.extend(completed);
                    }
                }
                Decision::Nothing => {}
            }
        }
        for completed in &announced {
            service_kit::events::record(&mut tx, ledger, COMPLETED_EVENT, completed).await?;
        }
        tx.commit().await?;
        // Counted once written: a batch that failed is retried and would count twice.
        for outcome in outcomes {
            self.metrics
                .predictions
                .with_label_values(&[&version, outcome])
                .inc();
        }
        Ok(())
    }

    /// Sets the queue gauges from the group's backlog (left as they were if Redis cannot
    /// say).
    async fn report_backlog(&self) {
        if let Ok(backlog) = self.reader.backlog().await {
            let set = |state: &str, jobs: u64| {
                self.metrics
                    .queue_jobs
                    .with_label_values(&[state])
                    .set(i64::try_from(jobs).unwrap_or(i64::MAX));
            };
            if let Some(waiting) = backlog.waiting {
                set("waiting", waiting);
            }
            set("taken", backlog.taken);
        }
    }

    /// Consumes the queue until `stop` resolves.
    pub async fn run(self, stop: impl std::future::Future<Output = ()>) {
        if let Err(e) = self.ensure_group().await {
            tracing::warn!(error = %e, "categorisation queue unavailable; retrying");
        }
        tokio::pin!(stop);
        loop {
            tokio::select! {
                () = &mut stop => break,
                result = self.run_once(Duration::from_secs(2)) => {
                    self.report_backlog().await;
                    if let Err(e) = result {
                        tracing::warn!(error = %e, "categorisation queue unavailable; retrying");
                        let _ = self.ensure_group().await;
                        tokio::time::sleep(Duration::from_secs(2)).await;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_become_jobs_and_malformed_ones_are_set_apart() {
        let (ledger, transaction) = (Uuid::new_v4(), Uuid::new_v4());
        let (second, third) = (Uuid::new_v4(), Uuid::new_v4());
        let (jobs, malformed) = parse_entries(vec![
            (
                "1-0".to_owned(),
                vec![
                    "ledger_id".to_owned(),
                    ledger.to_string(),
                    "transaction_id".to_owned(),
                    transaction.to_string(),
                ],
            ),
            (
                "1-1".to_owned(),
                vec![
                    "ledger_id".to_owned(),
                    ledger.to_string(),
                    "transaction_ids".to_owned(),
                    format!("{second},{third}"),
                ],
            ),
            (
                "1-2".to_owned(),
                vec![
                    "ledger_id".to_owned(),
                    ledger.to_string(),
                    "transaction_ids".to_owned(),
                    format!("{second},oops"),
                ],
            ),
            (
                "2-0".to_owned(),
                vec!["ledger_id".to_owned(), "nope".to_owned()],
            ),
            ("3-0".to_owned(), vec!["odd".to_owned()]),
        ]);
        let job = |entry: &str, transaction| Job {
            entry: entry.to_owned(),
            ledger,
            transaction,
        };
        assert_eq!(
            jobs,
            vec![
                job("1-0", transaction),
                job("1-1", second),
                job("1-1", third)
            ]
        );
        assert_eq!(
            malformed,
            vec!["1-2".to_owned(), "2-0".to_owned(), "3-0".to_owned()]
        );
    }
}
