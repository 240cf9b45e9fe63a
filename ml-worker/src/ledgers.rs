//! Each ledger's categoriser, trained lazily on first use from what the ledger has taught:
//! its category names and, for default categories, the built-in seed lines (so a new ledger
//! gets suggestions on day one), its transactions that
//! a person or a rule categorised, and the feedback on earlier suggestions, which overrides
//! both. Feedback drops the ledger's trained model, so the next request learns from it.
//! The embeddings of a ledger's training texts are kept in Postgres (`ml_embeddings`) and
//! read back lazily, when the ledger is first trained after a start.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

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
/// How long a ledger's auto-apply threshold is trusted before it is read again. It only
/// labels the predictions metric (the API applies the threshold itself), so a change
/// reaches the metric within this time, and a request does not pay a query for it.
pub const THRESHOLD_TTL: Duration = Duration::from_secs(30);

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

/// The guarded value, also after a panic elsewhere (every map here stays consistent
/// between statements, so a poisoned lock holds nothing half-written).
fn locked<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Embeddings by normalised description, shared by every ledger (a bounded map: when
/// full it is cleared, which is cheap and keeps memory flat).
#[derive(Debug, Default)]
struct EmbeddingCache {
    entries: Mutex<HashMap<String, Arc<Vec<f32>>>>,
}

impl EmbeddingCache {
    /// The map, ready for `adding` more entries: emptied first if they would pass its bound.
    fn with_room(&self, adding: usize) -> MutexGuard<'_, HashMap<String, Arc<Vec<f32>>>> {
        let mut entries = locked(&self.entries);
        if entries.len() + adding > CACHE_ENTRIES {
            entries.clear();
        }
        entries
    }
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
    /// Per ledger, the training texts known to be in `ml_embeddings`.
    persisted: Mutex<HashMap<Uuid, HashSet<String>>>,
    /// Per ledger, its auto-apply threshold and when it was read.
    thresholds: Mutex<HashMap<Uuid, (f32, Instant)>>,
    /// Texts the model embedded, and vectors read back from Postgres, since start.
    computed: AtomicU64,
    loaded: AtomicU64,
}

/// Pure: a vector as `ml_embeddings.vector` holds it (little-endian 32-bit floats).
pub fn encode_vector(vector: &[f32]) -> Vec<u8> {
    vector.iter().flat_map(|x| x.to_le_bytes()).collect()
}

/// Pure: the vector `bytes` hold, if they are exactly `size` floats.
pub fn decode_vector(bytes: &[u8], size: usize) -> Option<Vec<f32>> {
    (bytes.len() == size * 4).then(|| {
        bytes
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect()
    })
}

pub use contracts::categorization::Outcome;

/// Pure: a remembered threshold still to be trusted at `now`.
pub fn fresh_threshold(remembered: Option<&(f32, Instant)>, now: Instant) -> Option<f32> {
    remembered
        .filter(|(_, read)| now.saturating_duration_since(*read) < THRESHOLD_TTL)
        .map(|(threshold, _)| *threshold)
}

impl Ledgers {
    pub fn new(db: PgPool, embedder: Arc<Embedder>) -> Self {
        Self {
            db,
            embedder,
            cache: EmbeddingCache::default(),
            trained: Mutex::new(HashMap::new()),
            generations: Mutex::new(HashMap::new()),
            persisted: Mutex::new(HashMap::new()),
            thresholds: Mutex::new(HashMap::new()),
            computed: AtomicU64::new(0),
            loaded: AtomicU64::new(0),
        }
    }

    /// Texts embedded by the model, and vectors read back from Postgres, since start.
    pub fn embedding_counts(&self) -> (u64, u64) {
        (
            self.computed.load(Ordering::Relaxed),
            self.loaded.load(Ordering::Relaxed),
        )
    }

    pub fn embedder(&self) -> &Embedder {
        &self.embedder
    }

    /// Embeddings of `texts` (already normalised), from the cache where possible.
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, LedgerError> {
        let mut out: Vec<Option<Vec<f32>>> = {
            let cache = locked(&self.cache.entries);
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
            self.computed
                .fetch_add(missing.len() as u64, Ordering::Relaxed);
            let mut cache = self.cache.with_room(fresh.len());
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

    /// The ledger's auto-apply threshold, as the API applies it (for the predictions
    /// metric's outcome): read from Postgres at most once per [`THRESHOLD_TTL`].
    pub async fn auto_apply_threshold(&self, ledger: Uuid) -> Result<f32, LedgerError> {
        let now = Instant::now();
        if let Some(threshold) = fresh_threshold(locked(&self.thresholds).get(&ledger), now) {
            return Ok(threshold);
        }
        let threshold: f32 =
            sqlx::query_scalar("SELECT ml_auto_apply_threshold FROM ledgers WHERE id = $1")
                .bind(ledger)
                .fetch_optional(&self.db)
                .await?
                .ok_or(LedgerError::UnknownLedger)?;
        let mut thresholds = locked(&self.thresholds);
        // Bounded like the embeddings: ledgers gone quiet are forgotten.
        thresholds.retain(|_, remembered| fresh_threshold(Some(remembered), now).is_some());
        thresholds.insert(ledger, (threshold, now));
        Ok(threshold)
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
        if let Some(trained) = locked(&self.trained).get(&ledger) {
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
                    let mut first = locked(&failure);
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
        *locked(&self.generations).entry(ledger).or_insert(0) += 1;
        let learned = {
            let mut trained = locked(&self.trained);
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
        let unstored = self.load_stored_embeddings(ledger, &examples).await?;
        let classifier = Arc::new(
            self.with_embeddings(move |embed| {
                LedgerClassifier::train(&examples, embed, Settings::default())
            })
            .await?,
        );
        if let Err(e) = self.store_embeddings(ledger, unstored).await {
            // Only a cost: the next start embeds them again.
            tracing::warn!(error = %e, %ledger, "cannot store embeddings");
        }
        let mut trained = locked(&self.trained);
        if self.generation(ledger) == generation {
            trained.insert(ledger, Arc::clone(&classifier));
        }
        Ok(classifier)
    }

    /// Reads the stored embeddings of the ledger's own training texts that are not in memory
    /// (or not known to be stored) into the memory cache; returns the texts that have none
    /// stored, which training embeds and [`Self::store_embeddings`] then keeps. A stored
    /// vector of the wrong size (another model build) is ignored and replaced.
    async fn load_stored_embeddings(
        &self,
        ledger: Uuid,
        examples: &[Example],
    ) -> Result<Vec<String>, LedgerError> {
        let mut wanted: Vec<String> = examples
            .iter()
            .filter(|e| !e.seed)
            .map(|e| normalise(&e.description))
            .filter(|t| !t.is_empty())
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        {
            let cache = locked(&self.cache.entries);
            let persisted = locked(&self.persisted);
            let known = persisted.get(&ledger);
            wanted.retain(|t| !(cache.contains_key(t) && known.is_some_and(|k| k.contains(t))));
        }
        if wanted.is_empty() {
            return Ok(wanted);
        }
        let manifest = self.embedder.manifest();
        let rows: Vec<(String, Vec<u8>)> = sqlx::query_as(
            "SELECT description, vector FROM ml_embeddings
             WHERE ledger_id = $1 AND model_version = $2 AND description = ANY($3)",
        )
        .bind(ledger)
        .bind(&manifest.version)
        .bind(&wanted)
        .fetch_all(&self.db)
        .await?;
        let mut found: HashSet<String> = HashSet::with_capacity(rows.len());
        {
            let mut cache = self.cache.with_room(rows.len());
            for (text, bytes) in rows {
                if let Some(vector) = decode_vector(&bytes, manifest.embedding_size) {
                    if !cache.contains_key(&text) {
                        cache.insert(text.clone(), Arc::new(vector));
                        self.loaded.fetch_add(1, Ordering::Relaxed);
                    }
                    found.insert(text);
                }
            }
        }
        wanted.retain(|t| !found.contains(t));
        locked(&self.persisted)
            .entry(ledger)
            .or_default()
            .extend(found);
        Ok(wanted)
    }

    /// Keeps the embeddings of `texts` (now in the memory cache, after training) in
    /// Postgres for the next start, in batches of 1,000.
    async fn store_embeddings(&self, ledger: Uuid, texts: Vec<String>) -> Result<(), LedgerError> {
        let vectors: Vec<(String, Vec<u8>)> = {
            let cache = locked(&self.cache.entries);
            texts
                .into_iter()
                .filter_map(|t| cache.get(&t).map(|v| encode_vector(v)).map(|v| (t, v)))
                .collect()
        };
        let version = &self.embedder.manifest().version;
        for batch in vectors.chunks(1000) {
            let (texts, bytes): (Vec<&str>, Vec<&[u8]>) = batch
                .iter()
                .map(|(t, v)| (t.as_str(), v.as_slice()))
                .unzip();
            sqlx::query(
                "INSERT INTO ml_embeddings (ledger_id, model_version, description, vector)
                 SELECT $1, $2, d, v FROM unnest($3::text[], $4::bytea[]) AS x(d, v)
                 ON CONFLICT (ledger_id, model_version, description)
                 DO UPDATE SET vector = EXCLUDED.vector",
            )
            .bind(ledger)
            .bind(version)
            .bind(&texts)
            .bind(&bytes)
            .execute(&self.db)
            .await?;
            locked(&self.persisted)
                .entry(ledger)
                .or_default()
                .extend(texts.iter().map(|t| (*t).to_owned()));
        }
        Ok(())
    }

    /// How many pieces of feedback the ledger has had since this process started.
    fn generation(&self, ledger: Uuid) -> u64 {
        locked(&self.generations).get(&ledger).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vector_survives_its_stored_form_and_a_wrong_size_is_refused() {
        let vector = vec![0.25_f32, -1.5, 3.0e-7, f32::MIN_POSITIVE];
        let bytes = encode_vector(&vector);
        assert_eq!(bytes.len(), 16);
        assert_eq!(decode_vector(&bytes, 4), Some(vector));
        assert_eq!(decode_vector(&bytes, 3), None);
        assert_eq!(decode_vector(&bytes[..15], 4), None);
        assert_eq!(decode_vector(&[], 0), Some(Vec::new()));
    }

    #[test]
    fn a_threshold_is_trusted_for_its_time_to_live_only() {
        let read = Instant::now();
        let remembered = (0.8_f32, read);
        assert_eq!(fresh_threshold(Some(&remembered), read), Some(0.8));
        let almost = read + THRESHOLD_TTL.saturating_sub(Duration::from_millis(1));
        assert_eq!(fresh_threshold(Some(&remembered), almost), Some(0.8));
        assert_eq!(
            fresh_threshold(Some(&remembered), read + THRESHOLD_TTL),
            None
        );
        assert_eq!(fresh_threshold(None, read), None);
    }
}
