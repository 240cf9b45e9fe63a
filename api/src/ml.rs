//! Categorisation by the ML worker. A transaction created without a category is sent to the
//! worker with a short timeout: a suggestion at or above the ledger's threshold is applied
//! (source `ml`, with the model version and confidence), weaker ones are kept on the
//! transaction for one-click acceptance. If the worker is not configured, slow or down, the
//! transaction is stored uncategorised and its id queued on a Redis stream for the worker to
//! pick up later; creating a transaction never fails or waits long because of the worker.
//! Changing a category the model chose, or picking one of its suggestions, is sent back to
//! the worker as feedback.
//!
//! During a ModelExperiment the routing file (the operator's `<name>-ml-routing` ConfigMap,
//! mounted; `ML_ROUTING_FILE`) names a worker per model version and their weights. Each
//! ledger goes to one version by a stable hash (`contracts::model_routing`), and feedback
//! goes to the worker of the version that made the prediction. A ledger routed to a variant
//! with workers of its own (the candidate) has its queued categorisations on that variant's
//! stream (`ft:ml:queue:<version>`), which only those workers read; once no route reads a
//! stream any more (the candidate rolled back or promoted), its entries are moved to the
//! streams their ledgers are routed to now, so nothing queued is left behind. The file is
//! read again every few seconds, so a new weight applies without a restart; an unreadable or
//! broken file keeps the routing last read (and is logged), and without any, the configured
//! worker categorises everything.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use contracts::model_routing::{ModelRouting, Route};

use contracts::categorization::{
    CategorizeRequest, CategorizeResponse, FeedbackRequest, Item, Outcome, Suggestion,
};
use contracts::categorization::{
    QUEUE_GROUP, QUEUE_IDS_FIELD, QUEUE_LEDGER_FIELD, QUEUE_VERSIONS_KEY, queue_stream_of,
};
use service_kit::stores::LazyRedis;
use uuid::Uuid;

pub use contracts::categorization::{Decision, QUEUE_STREAM as QUEUE};

/// Pure: the decision for the first (only) item of the worker's answer.
pub fn decide(answer: CategorizeResponse, threshold: f32) -> Decision {
    let suggestions = answer.results.into_iter().next().unwrap_or_default();
    contracts::categorization::decide(&answer.model_version, suggestions, threshold)
}

/// The text the model reads for a transaction: payee and description together.
pub fn text_of(payee: &str, description: &str) -> String {
    format!("{} {}", payee.trim(), description.trim())
        .trim()
        .to_owned()
}

#[derive(Debug, Clone)]
pub struct MlClient {
    http: reqwest::Client,
    base: Option<String>,
    redis: LazyRedis,
    routing: Arc<RwLock<Option<ModelRouting>>>,
}

/// Pure: the worker that categorises `ledger`'s transactions: its route's, else `base`.
pub fn worker_for(
    routing: Option<&ModelRouting>,
    base: Option<&str>,
    ledger: Uuid,
) -> Option<String> {
    worker_at(routing.and_then(|r| r.route_for(ledger)), base)
}

/// Pure: `route`'s own workers, else `base`, without a trailing slash.
fn worker_at(route: Option<&Route>, base: Option<&str>) -> Option<String> {
    route
        .and_then(|route| route.url.as_deref())
        .or(base)
        .map(|b| b.trim_end_matches('/').to_owned())
}

/// Pure: the worker that made a prediction with `version`: that version's route's, else
/// `base` (the serving workers, or a version no longer routed).
pub fn worker_of(
    routing: Option<&ModelRouting>,
    base: Option<&str>,
    version: Option<&str>,
) -> Option<String> {
    let route = routing
        .zip(version)
        .and_then(|(r, v)| r.routes.iter().find(|route| route.version == v));
    worker_at(route, base)
}

/// Pure: the version whose own stream holds `ledger`'s queued categorisations (its route
/// has workers of its own), or `None` for the serving workers' stream, `ft:ml:queue`.
pub fn queue_version(routing: Option<&ModelRouting>, ledger: Uuid) -> Option<&str> {
    routing
        .and_then(|r| r.route_for(ledger))
        .filter(|route| route.url.is_some())
        .map(|route| route.version.as_str())
}

/// Pure: the versions among `used` (each stream written to, with when it was last, in ms)
/// that no route reads any more and nobody has written to for `settle`.
pub fn orphaned<'a>(
    routing: Option<&ModelRouting>,
    used: &'a [(String, i64)],
    now_ms: i64,
    settle: Duration,
) -> Vec<&'a str> {
    let read = |version: &str| {
        routing.is_some_and(|r| {
            r.routes
                .iter()
                .any(|route| route.version == version && route.url.is_some())
        })
    };
    let settle = i64::try_from(settle.as_millis()).unwrap_or(i64::MAX);
    used.iter()
        .filter(|(version, written)| !read(version) && now_ms.saturating_sub(*written) >= settle)
        .map(|(version, _)| version.as_str())
        .collect()
}

/// Entries moved per round trip when a retired variant's stream is emptied.
const REHOME_BATCH: usize = 500;

/// Adds an entry of `fields` (field, value, ...) to `version`'s stream (`None`: the serving
/// workers'), and notes that `version`'s stream was written to at `now_ms`.
fn add_entry(
    pipeline: &mut redis::Pipeline,
    version: Option<&str>,
    fields: impl redis::ToRedisArgs,
    now_ms: i64,
) {
    let stream = version.map_or_else(|| QUEUE.to_owned(), queue_stream_of);
    pipeline
        .cmd("XADD")
        .arg(&stream)
        .arg("MAXLEN")
        .arg("~")
        .arg(1_000_000)
        .arg("*")
        .arg(fields)
        .ignore();
    if let Some(version) = version {
        pipeline
            .cmd("HSET")
            .arg(QUEUE_VERSIONS_KEY)
            .arg(version)
            .arg(now_ms)
            .ignore();
    }
}

/// Pure: the routing in a file's text, or why it cannot be used.
pub fn parse_routing(text: &str) -> Result<ModelRouting, String> {
    let routing: ModelRouting =
        serde_json::from_str(text).map_err(|e| format!("not a model routing: {e}"))?;
    let total = routing.total_weight();
    if total != 100 {
        return Err(format!("the weights sum to {total}, not 100"));
    }
    Ok(routing)
}

impl MlClient {
    /// `base` is the worker's URL (`None`: no worker; everything is queued).
    pub fn new(base: Option<String>, timeout: Duration, redis: LazyRedis) -> Self {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .build()
            .expect("a client with timeouts builds");
        Self {
            http,
            base: base.map(|b| b.trim_end_matches('/').to_owned()),
            redis,
            routing: Arc::new(RwLock::new(None)),
        }
    }

    /// Reads the routing from `file` now and every `every` after, for as long as the
    /// process runs. A missing file is no routing (the configured worker takes all).
    ///
    /// Each time, it also moves what is left on the streams of variants no longer routed
    /// (see [`Self::rehome_queues`]), once the file has been read: a routing not yet read
    /// would make every variant look retired.
    pub fn follow_routing(&self, file: PathBuf, every: Duration, settle: Duration) {
        let routing = Arc::clone(&self.routing);
        let read = move |last: &mut Option<String>, known: &mut bool| {
            let text = match std::fs::read_to_string(&file) {
                Ok(text) => text,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
                Err(e) => {
                    tracing::warn!(file = %file.display(), error = %e, "cannot read the model routing; keeping the last");
                    return;
                }
            };
            if last.as_deref() == Some(text.as_str()) {
                return;
            }
            let next = if text.trim().is_empty() {
                Ok(None)
            } else {
                parse_routing(&text).map(Some)
            };
            match next {
                Ok(next) => {
                    tracing::info!(file = %file.display(), routing = ?next, "model routing");
                    *routing.write().expect("never poisoned") = next;
                    *known = true;
                }
                Err(e) => {
                    tracing::warn!(file = %file.display(), error = %e, "unusable model routing; keeping the last");
                }
            }
            *last = Some(text);
        };
        let (mut last, mut known) = (None, false);
        read(&mut last, &mut known);
        let client = self.clone();
        tokio::spawn(async move {
            loop {
                if known {
                    client.rehome_queues(settle).await;
                }
                tokio::time::sleep(every).await;
                read(&mut last, &mut known);
            }
        });
    }

    /// Moves the unfinished entries of every stream no route reads any more (a candidate's,
    /// once it is rolled back or promoted) to the streams their ledgers are routed to now:
    /// those its workers never took, and those taken and not acknowledged for `settle`, read
    /// as one more reader of the workers' consumer group. A stream counts as retired only
    /// once nobody has written to it for `settle` either: an API whose mounted routing lags
    /// behind (the kubelet takes up to a minute or so to deliver a changed ConfigMap) must
    /// not take a live candidate's work. Finished entries stay until the stream is trimmed.
    /// An entry moved twice (two APIs at once) is done twice, which changes nothing (results
    /// are written only to transactions still uncategorised); a failure is logged and tried
    /// again at the next reading of the routing.
    pub async fn rehome_queues(&self, settle: Duration) {
        match self.try_rehome_queues(settle).await {
            Ok(0) => {}
            Ok(moved) => {
                tracing::info!(
                    moved,
                    "queued categorisations moved to their variant's stream"
                );
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot move queued categorisations off a retired variant's stream");
            }
        }
    }

    async fn try_rehome_queues(&self, settle: Duration) -> Result<usize, String> {
        let used: Vec<(String, i64)> = self
            .redis
            .query(redis::cmd("HGETALL").arg(QUEUE_VERSIONS_KEY))
            .await?;
        let routing = self.routing();
        let now = chrono::Utc::now().timestamp_millis();
        let mut moved = 0;
        for version in orphaned(routing.as_ref(), &used, now, settle) {
            let reader = service_kit::streams::GroupReader {
                redis: self.redis.clone(),
                stream: queue_stream_of(version),
                group: QUEUE_GROUP.to_owned(),
                name: "api-rehoming".to_owned(),
                min_idle: settle,
            };
            // A candidate whose workers never started has no group yet: all is unread.
            reader.ensure_group().await?;
            loop {
                let entries = reader.next(REHOME_BATCH, Duration::ZERO).await?;
                if entries.is_empty() {
                    break;
                }
                let mut pipeline = redis::pipe();
                pipeline.atomic();
                for (_, flat) in &entries {
                    let ledger = service_kit::streams::fields(flat)
                        .get(QUEUE_LEDGER_FIELD)
                        .and_then(|l| l.parse().ok());
                    // An entry without a ledger goes where the workers drop malformed ones.
                    let version = ledger.and_then(|l| queue_version(routing.as_ref(), l));
                    add_entry(&mut pipeline, version, flat, now);
                }
                let ids: Vec<&str> = entries.iter().map(|(id, _)| id.as_str()).collect();
                pipeline
                    .cmd("XACK")
                    .arg(&reader.stream)
                    .arg(QUEUE_GROUP)
                    .arg(&ids)
                    .ignore();
                pipeline.cmd("XDEL").arg(&reader.stream).arg(&ids).ignore();
                self.redis.pipeline::<()>(&pipeline).await?;
                moved += entries.len();
            }
        }
        Ok(moved)
    }

    fn routing(&self) -> Option<ModelRouting> {
        self.routing.read().expect("never poisoned").clone()
    }

    /// The worker's suggestions for one description, or an error to log (never fatal).
    pub async fn categorize(
        &self,
        ledger: Uuid,
        description: &str,
        amount: f64,
    ) -> Result<CategorizeResponse, String> {
        let base = worker_for(self.routing().as_ref(), self.base.as_deref(), ledger)
            .ok_or("no ML worker configured")?;
        let request = CategorizeRequest {
            items: vec![Item {
                description: description.to_owned(),
                amount,
            }],
        };
        let response = self
            .http
            .post(format!("{base}/v1/ledgers/{ledger}/categorize"))
            .json(&request)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if !response.status().is_success() {
            return Err(format!("the ML worker answered {}", response.status()));
        }
        response.json().await.map_err(|e| e.to_string())
    }

    /// Queues a transaction for categorisation later.
    pub async fn queue(&self, ledger: Uuid, transaction: Uuid) {
        self.queue_many(ledger, &[transaction]).await;
    }

    /// Queues transactions for categorisation later, in one round trip (an import's chunk),
    /// `QUEUE_ENTRY_IDS` to an entry.
    pub async fn queue_many(&self, ledger: Uuid, transactions: &[Uuid]) {
        if transactions.is_empty() {
            return;
        }
        let ledger_id = ledger.to_string();
        let routing = self.routing();
        let version = queue_version(routing.as_ref(), ledger);
        let now = chrono::Utc::now().timestamp_millis();
        let mut pipeline = redis::pipe();
        // Atomic: an entry is never on a version's stream without the time it was written.
        pipeline.atomic();
        for ids in contracts::categorization::queue_entries(transactions) {
            let fields = [
                QUEUE_LEDGER_FIELD,
                ledger_id.as_str(),
                QUEUE_IDS_FIELD,
                &ids,
            ];
            add_entry(&mut pipeline, version, &fields[..], now);
        }
        if let Err(e) = self.redis.pipeline::<()>(&pipeline).await {
            tracing::warn!(error = %e, count = transactions.len(), "cannot queue transactions for categorisation");
        }
    }

    /// Sends feedback in the background; a failure is logged, never shown to the user.
    pub fn feedback(&self, ledger: Uuid, feedback: FeedbackRequest) {
        let Some(base) = worker_of(
            self.routing().as_ref(),
            self.base.as_deref(),
            feedback.model_version.as_deref(),
        ) else {
            return;
        };
        let http = self.http.clone();
        tokio::spawn(async move {
            let sent = http
                .post(format!("{base}/v1/ledgers/{ledger}/feedback"))
                .json(&feedback)
                .send()
                .await
                .map_err(|e| e.to_string())
                .and_then(|r| r.error_for_status().map(drop).map_err(|e| e.to_string()));
            if let Err(e) = sent {
                tracing::warn!(error = %e, "cannot send categorisation feedback to the ML worker");
            }
        });
    }
}

/// Pure: the feedback to send when a transaction's category changes from `before` to
/// `after`, given how `before` was set and what the model suggested.
pub fn feedback_for(
    before: Option<Uuid>,
    before_source: Option<&str>,
    model_version: Option<&str>,
    suggestions: &[Suggestion],
    after: Option<Uuid>,
) -> Option<(Uuid, Outcome, Option<String>)> {
    let after = after?;
    if before == Some(after) {
        return None;
    }
    if before_source == Some("ml") {
        return Some((after, Outcome::Corrected, model_version.map(str::to_owned)));
    }
    if before.is_none() && !suggestions.is_empty() {
        let outcome = if suggestions[0].category_id == after {
            Outcome::Accepted
        } else {
            Outcome::Corrected
        };
        return Some((after, outcome, model_version.map(str::to_owned)));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(confidences: &[f32]) -> (CategorizeResponse, Vec<Uuid>) {
        let ids: Vec<Uuid> = confidences.iter().map(|_| Uuid::new_v4()).collect();
        let results = vec![
            ids.iter()
                .zip(confidences)
                .map(|(id, c)| Suggestion {
                    category_id: *id,
                    confidence: *c,
                })
                .collect(),
        ];
        (
            CategorizeResponse {
                model_version: "m1".to_owned(),
                results,
            },
            ids,
        )
    }

    #[test]
    fn a_sure_suggestion_is_applied_and_an_unsure_one_kept() {
        let (sure, ids) = answer(&[0.7, 0.2]);
        assert_eq!(
            decide(sure, 0.7),
            Decision::Apply {
                category_id: ids[0],
                confidence: 0.7,
                model_version: "m1".to_owned()
            }
        );
        let (unsure, _) = answer(&[0.69, 0.2]);
        assert!(
            matches!(decide(unsure, 0.7), Decision::Suggest { suggestions, .. } if suggestions.len() == 2)
        );
        let (none, _) = answer(&[]);
        assert_eq!(decide(none, 0.7), Decision::Nothing);
    }

    #[test]
    fn feedback_follows_what_the_user_did_with_the_models_choice() {
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let suggested = [Suggestion {
            category_id: a,
            confidence: 0.4,
        }];
        let version = Some("m1");
        assert_eq!(
            feedback_for(Some(a), Some("ml"), version, &[], Some(b)),
            Some((b, Outcome::Corrected, Some("m1".to_owned()))),
            "changing an applied category corrects it"
        );
        assert_eq!(
            feedback_for(None, None, version, &suggested, Some(a)),
            Some((a, Outcome::Accepted, Some("m1".to_owned()))),
            "picking the top suggestion accepts it"
        );
        assert_eq!(
            feedback_for(None, None, version, &suggested, Some(b)).map(|f| f.1),
            Some(Outcome::Corrected)
        );
        assert_eq!(
            feedback_for(Some(a), Some("user"), None, &[], Some(b)),
            None,
            "not the model's"
        );
        assert_eq!(
            feedback_for(Some(a), Some("ml"), version, &[], Some(a)),
            None,
            "unchanged"
        );
        assert_eq!(
            feedback_for(Some(a), Some("ml"), version, &[], None),
            None,
            "cleared"
        );
    }

    fn routing() -> ModelRouting {
        parse_routing(
            r#"{"defaultVersion": "fp32", "experiment": "trial", "routes": [
                {"version": "int8", "weight": 30, "url": "http://candidate:8090/"},
                {"version": "fp32", "weight": 70}]}"#,
        )
        .expect("valid")
    }

    #[test]
    fn a_ledger_goes_to_its_routes_worker_and_feedback_to_the_predicting_one() {
        let routing = routing();
        let base = Some("http://serving:8090");
        let mut seen = std::collections::BTreeSet::new();
        for n in 0..200u128 {
            let ledger = Uuid::from_u128(n);
            let worker = worker_for(Some(&routing), base, ledger).expect("a worker");
            let version = routing.route_for(ledger).expect("routed").version.as_str();
            let expected = if version == "int8" {
                "http://candidate:8090"
            } else {
                "http://serving:8090"
            };
            assert_eq!(worker, expected, "{ledger}");
            seen.insert(worker);
        }
        assert_eq!(seen.len(), 2, "both workers get households");
        assert_eq!(
            worker_of(Some(&routing), base, Some("int8")).as_deref(),
            Some("http://candidate:8090")
        );
        assert_eq!(
            worker_of(Some(&routing), base, Some("fp32")).as_deref(),
            Some("http://serving:8090")
        );
        assert_eq!(
            worker_of(Some(&routing), base, Some("retired")).as_deref(),
            Some("http://serving:8090"),
            "a version no longer routed: the serving workers"
        );
        assert_eq!(
            worker_for(None, base, Uuid::nil()).as_deref(),
            Some("http://serving:8090")
        );
        assert_eq!(worker_for(None, None, Uuid::nil()), None);
    }

    #[test]
    fn a_candidates_households_queue_on_its_stream_until_no_route_reads_it() {
        let routing = routing();
        for n in 0..200u128 {
            let ledger = Uuid::from_u128(n);
            let version = routing.route_for(ledger).expect("routed").version.as_str();
            let expected = (version == "int8").then_some("int8");
            assert_eq!(queue_version(Some(&routing), ledger), expected, "{ledger}");
        }
        assert_eq!(queue_version(None, Uuid::nil()), None);
        let settle = Duration::from_mins(2);
        let used: Vec<(String, i64)> = [("int8", 0), ("fp32", 0), ("retired", 0)]
            .into_iter()
            .map(|(v, at)| (v.to_owned(), at))
            .collect();
        let now = 120_000;
        assert_eq!(
            orphaned(Some(&routing), &used, now, settle),
            ["fp32", "retired"],
            "only the candidate's workers read a stream of their own"
        );
        assert_eq!(
            orphaned(None, &used, now, settle),
            ["int8", "fp32", "retired"]
        );
        // Written to a moment ago: an API that still routes to it (its routing newer than
        // this one's) is using it.
        assert_eq!(
            orphaned(None, &used, now - 1, settle),
            Vec::<&str>::new(),
            "nothing written in the last two minutes is retired"
        );
    }

    #[test]
    fn a_broken_routing_is_refused_with_the_reason() {
        assert!(parse_routing("{").is_err_and(|e| e.starts_with("not a model routing")));
        let short = r#"{"defaultVersion": "a", "routes": [{"version": "a", "weight": 60}]}"#;
        assert_eq!(
            parse_routing(short).map(|_| ()),
            Err("the weights sum to 60, not 100".to_owned())
        );
    }

    #[test]
    fn the_model_reads_payee_and_description() {
        assert_eq!(text_of(" Engen ", "fuel 07 Oct"), "Engen fuel 07 Oct");
        assert_eq!(text_of("", "  SQ *BLUE"), "SQ *BLUE");
    }
}
