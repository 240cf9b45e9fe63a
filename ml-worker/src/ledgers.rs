//! Each ledger's categoriser, trained lazily on first use from what the ledger has taught:
//! its category names and, for default categories, the built-in seed lines (so a new ledger
//! gets suggestions on day one), its transactions that
//! a person or a rule categorised, and the feedback on earlier suggestions, which overrides
//! both. Feedback drops the ledger's trained model, so the next request learns from it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use sqlx::PgPool;
use uuid::Uuid;

use crate::classifier::logistic::Settings;
use crate::classifier::{Direction, Embed, Example, LedgerClassifier, Prediction};
use crate::model::embedder::Embedder;
use crate::normalise::normalise;
use crate::seeds;

/// The newest labelled transactions a ledger model learns from.
const MAX_TRANSACTIONS: i64 = 20_000;
/// Distinct normalised descriptions whose embeddings are kept in memory.
const CACHE_ENTRIES: usize = 50_000;

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("no such ledger")]
    UnknownLedger,
    #[error("no such category in this ledger")]
    UnknownCategory,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error("embedding failed: {0}")]
    Embedding(String),
}

/// Embeddings by normalised description, shared by every ledger (a bounded map: when
/// full it is cleared, which is cheap and keeps memory flat).
#[derive(Debug, Default)]
struct EmbeddingCache {
    entries: Mutex<HashMap<String, Arc<Vec<f32>>>>,
}

#[derive(Debug)]
pub struct Ledgers {
    db: PgPool,
    embedder: Arc<Embedder>,
    cache: EmbeddingCache,
    trained: Mutex<HashMap<Uuid, Arc<LedgerClassifier>>>,
    /// Feedback received per ledger: a training that started before the latest feedback
    /// is not kept.
    generations: Mutex<HashMap<Uuid, u64>>,
}

pub use contracts::categorization::Outcome;

impl Ledgers {
    pub fn new(db: PgPool, embedder: Arc<Embedder>) -> Self {
        Self {
            db,
            embedder,
            cache: EmbeddingCache::default(),
            trained: Mutex::new(HashMap::new()),
            generations: Mutex::new(HashMap::new()),
        }
    }

    pub fn embedder(&self) -> &Embedder {
        &self.embedder
    }

    /// Embeddings of `texts` (already normalised), from the cache where possible.
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, LedgerError> {
        let mut out: Vec<Option<Vec<f32>>> = {
            let cache = self
                .cache
                .entries
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            texts
                .iter()
                .map(|t| cache.get(*t).map(|v| v.as_ref().clone()))
                .collect()
        };
        let missing: Vec<&str> = texts
            .iter()
            .zip(&out)
            .filter(|(_, v)| v.is_none())
            .map(|(t, _)| *t)
            .collect();
        if !missing.is_empty() {
            let fresh = self
                .embedder
                .embed(&missing)
                .map_err(|e| LedgerError::Embedding(e.to_string()))?;
            let mut cache = self
                .cache
                .entries
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if cache.len() + fresh.len() > CACHE_ENTRIES {
                cache.clear();
            }
            let mut fresh = fresh.into_iter();
            for (text, slot) in texts.iter().zip(out.iter_mut()) {
                if slot.is_none() {
                    let vector = fresh.next().unwrap_or_default();
                    cache.insert((*text).to_owned(), Arc::new(vector.clone()));
                    *slot = Some(vector);
                }
            }
        }
        Ok(out.into_iter().map(Option::unwrap_or_default).collect())
    }

    /// The examples the ledger has given, oldest first (corrections last, so they win).
    async fn examples(&self, ledger: Uuid) -> Result<Vec<Example>, LedgerError> {
        let exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM ledgers WHERE id = $1)")
                .bind(ledger)
                .fetch_one(&self.db)
                .await?;
        if !exists {
            return Err(LedgerError::UnknownLedger);
        }
        let rows: Vec<(i32, bool, String, Uuid, bool)> = sqlx::query_as(
            "SELECT rank, money_in, description, category_id, correction FROM (
                 SELECT 0 AS rank, NULL::timestamptz AS at, g.kind = 'income' AS money_in,
                        c.name AS description, c.id AS category_id, false AS correction
                 FROM categories c JOIN category_groups g ON g.id = c.group_id
                 WHERE c.ledger_id = $1 AND c.archived_at IS NULL AND g.archived_at IS NULL
                 UNION ALL
                 SELECT 1, t.updated_at, t.amount > 0, trim(t.payee || ' ' || t.description),
                        t.category_id, false
                 FROM (SELECT * FROM transactions
                       WHERE ledger_id = $1 AND category_id IS NOT NULL
                         AND category_source IN ('user', 'rule')
                       ORDER BY booked_on DESC LIMIT $2) t
                 UNION ALL
                 SELECT 2, e.updated_at, e.money_in, e.description, e.category_id, true
                 FROM ml_examples e WHERE e.ledger_id = $1
             ) x
             WHERE length(trim(description)) > 0
             ORDER BY rank, at NULLS FIRST",
        )
        .bind(ledger)
        .bind(MAX_TRANSACTIONS)
        .fetch_all(&self.db)
        .await?;
        let mut examples = Vec::with_capacity(rows.len());
        for (rank, money_in, description, category, correction) in rows {
            let direction = if money_in {
                Direction::In
            } else {
                Direction::Out
            };
            if rank == 0 {
                // A category's name, then the built-in lines of a default category.
                examples.extend(
                    seeds::for_category(&description, money_in)
                        .iter()
                        .map(|line| Example {
                            description: (*line).to_owned(),
                            direction,
                            category: category.to_string(),
                            correction: false,
                            seed: true,
                        }),
                );
            }
            examples.push(Example {
                description,
                direction,
                category: category.to_string(),
                correction,
                seed: false,
            });
        }
        Ok(examples)
    }

    /// Embeds every seed line into the cache, so the first training of a new ledger does
    /// not wait for them (a few hundred short lines: well under a second).
    pub fn warm_up(&self) -> Result<(), LedgerError> {
        let lines: Vec<String> = seeds::all().map(normalise).collect();
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        self.embed(&refs).map(|_| ())
    }

    async fn classifier(
        self: &Arc<Self>,
        ledger: Uuid,
    ) -> Result<Arc<LedgerClassifier>, LedgerError> {
        if let Some(trained) = self
            .trained
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&ledger)
        {
            return Ok(Arc::clone(trained));
        }
        self.train(ledger).await
    }

    /// The top suggestions for each (description, amount), best first; categories as ids.
    pub async fn categorize(
        self: &Arc<Self>,
        ledger: Uuid,
        items: Vec<(String, f64)>,
    ) -> Result<Vec<Vec<Prediction>>, LedgerError> {
        let classifier = self.classifier(ledger).await?;
        self.with_embeddings(move |embed| {
            let refs: Vec<(&str, Direction)> = items
                .iter()
                .map(|(d, amount)| (d.as_str(), Direction::of(*amount)))
                .collect();
            classifier.predict(&refs, embed)
        })
        .await
    }

    /// Runs `work` (model training or prediction: CPU-bound) on a blocking thread with the
    /// cached embedding function; fails with the first embedding error `work` ran into.
    async fn with_embeddings<T, F>(self: &Arc<Self>, work: F) -> Result<T, LedgerError>
    where
        T: Send + 'static,
        F: FnOnce(&Embed<'_>) -> T + Send + 'static,
    {
        let this = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let failure = Mutex::new(None);
            let embed = |texts: &[&str]| {
                this.embed(texts).unwrap_or_else(|e| {
                    let mut first = failure
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                    first.get_or_insert(e);
                    vec![Vec::new(); texts.len()]
                })
            };
            let result = work(&embed);
            match failure
                .into_inner()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
            {
                Some(e) => Err(e),
                None => Ok(result),
            }
        })
        .await
        .map_err(|e| LedgerError::Embedding(e.to_string()))?
    }

    /// Records what the user said of a suggestion. The ledger's next prediction uses it at
    /// once (the trained model learns it into its exact memory); the model is retrained in
    /// the background, so no request waits for that.
    pub async fn feedback(
        self: &Arc<Self>,
        ledger: Uuid,
        description: &str,
        amount: f64,
        category: Uuid,
        outcome: Outcome,
        model_version: Option<&str>,
    ) -> Result<(), LedgerError> {
        let outcome = outcome.as_str();
        let written = sqlx::query(
            "INSERT INTO ml_examples (ledger_id, money_in, description, category_id, model_version, outcome)
             SELECT $1, $2, $3, c.id, $5, $6 FROM categories c WHERE c.id = $4 AND c.ledger_id = $1
             ON CONFLICT (ledger_id, money_in, description) DO UPDATE
                 SET category_id = EXCLUDED.category_id, model_version = EXCLUDED.model_version,
                     outcome = EXCLUDED.outcome, updated_at = now()",
        )
        .bind(ledger)
        .bind(Direction::of(amount) == Direction::In)
        .bind(normalise(description))
        .bind(category)
        .bind(model_version)
        .bind(outcome)
        .execute(&self.db)
        .await?;
        if written.rows_affected() == 0 {
            return Err(LedgerError::UnknownCategory);
        }
        *self
            .generations
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry(ledger)
            .or_insert(0) += 1;
        let learned = {
            let mut trained = self
                .trained
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let updated = trained.get(&ledger).and_then(|current| {
                let mut next = LedgerClassifier::clone(current);
                next.remember(description, Direction::of(amount), &category.to_string())
                    .then_some(next)
            });
            if let Some(next) = updated {
                trained.insert(ledger, Arc::new(next));
                true
            } else {
                // Not trained yet, or a category it has never seen: train afresh.
                trained.remove(&ledger);
                false
            }
        };
        if learned {
            let this = Arc::clone(self);
            tokio::spawn(async move {
                if let Err(e) = this.train(ledger).await {
                    tracing::warn!(error = %e, %ledger, "background retraining failed");
                }
            });
        }
        Ok(())
    }

    /// Trains the ledger's model from everything it has been taught and keeps it, unless
    /// feedback arrived meanwhile (then a newer training is on its way, and this one,
    /// which may lack that feedback, is used for the current request only).
    async fn train(self: &Arc<Self>, ledger: Uuid) -> Result<Arc<LedgerClassifier>, LedgerError> {
        let generation = self.generation(ledger);
        let examples = self.examples(ledger).await?;
        let classifier = Arc::new(
            self.with_embeddings(move |embed| {
                LedgerClassifier::train(&examples, embed, Settings::default())
            })
            .await?,
        );
        let mut trained = self
            .trained
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if self.generation(ledger) == generation {
            trained.insert(ledger, Arc::clone(&classifier));
        }
        Ok(classifier)
    }

    /// How many pieces of feedback the ledger has had since this process started.
    fn generation(&self, ledger: Uuid) -> u64 {
        self.generations
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&ledger)
            .copied()
            .unwrap_or(0)
    }
}
