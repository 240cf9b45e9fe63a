//! Two real worker processes (the INT8 and the FP32 model) scraped by a real Prometheus,
//! measured by the operator's ModelExperiment analysis exactly as it measures a cluster:
//! feedback sent at a known acceptance rate per version comes back as each version's
//! accuracy, the better candidate passes and the worse one fails, and the inference
//! latency the workers time is there for `latency_p99`.

mod support;

use std::time::Duration;

use operator::crd::model_experiment::{
    AnalysisSpec, BoundSpec, CandidateSpec, MetricSpec, ModelExperimentSpec, VariantSpec,
};
use operator::model_experiment::analysis::{checks, measure};
use operator::model_experiment::decide::Outcome;
use operator::model_experiment::prometheus::Prometheus as Client;
use serde_json::json;
use sqlx::PgPool;
use testkit::prometheus::Prometheus;
use uuid::Uuid;

const WORKER: &str = env!("CARGO_BIN_EXE_ml-worker");
const INT8: &str = "minilm-l6-v2-int8";
const FP32: &str = "minilm-l6-v2-fp32";

async fn worker(database: &str, version: &str) -> testkit::Service {
    let mut env = support::worker_env(database);
    env.push(("MODEL_VERSION", version.to_owned()));
    // A stream of its own: the shared Redis must not hand it other tests' jobs.
    env.push((
        "QUEUE_STREAM",
        format!("ft:test:queue:{}", Uuid::new_v4().simple()),
    ));
    let worker = testkit::Service::spawn(WORKER, &env).await;
    testkit::readiness::wait_for_readyz(&worker, "ready", |status, _| status == 200).await;
    worker
}

/// `accepted` and `corrected` pieces of feedback on predictions of `version`, and 25
/// categorisations (timed by the worker: `latency_p99`'s samples).
async fn drive(
    worker: &testkit::Service,
    ledger: Uuid,
    category: Uuid,
    version: &str,
    accepted: usize,
    corrected: usize,
) {
    let http = reqwest::Client::new();
    for n in 0..accepted + corrected {
        let outcome = if n < accepted {
            "accepted"
        } else {
            "corrected"
        };
        let sent = http
            .post(worker.url(&format!("/v1/ledgers/{ledger}/feedback")))
            .json(&json!({"description": format!("SHOP {n}"), "amount": -10.0,
                          "category_id": category, "outcome": outcome, "model_version": version}))
            .send()
            .await
            .expect("feedback");
        assert_eq!(sent.status(), 204);
    }
    for n in 0..25 {
        let sent = http
            .post(worker.url(&format!("/v1/ledgers/{ledger}/categorize")))
            .json(&json!({"items": [{"description": format!("ENGEN {n}"), "amount": -300.0}]}))
            .send()
            .await
            .expect("categorize");
        assert_eq!(sent.status(), 200);
    }
}

/// Waits (at most 30 s) until `query` answers `value`.
async fn until(client: &Client, query: &str, value: f64) {
    for _ in 0..300 {
        if client.instant(query).await == Ok(Some(value)) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "{query} never became {value}: {:?}",
        client.instant(query).await
    );
}

fn spec(baseline: &str, candidate: &str) -> ModelExperimentSpec {
    ModelExperimentSpec {
        finance_tracker: "home".to_owned(),
        baseline: VariantSpec {
            version: baseline.to_owned(),
        },
        candidate: CandidateSpec {
            version: candidate.to_owned(),
            image: None,
        },
        analysis: AnalysisSpec {
            interval_seconds: 120,
            ..AnalysisSpec::default()
        },
        metrics: vec![
            MetricSpec {
                name: "accuracy".to_owned(),
                query: None,
                samples_query: None,
                min: Some(BoundSpec {
                    value: None,
                    relative_to_baseline: Some(-0.01),
                }),
                max: None,
            },
            MetricSpec {
                name: "latency_p99".to_owned(),
                query: None,
                samples_query: None,
                min: None,
                max: Some(BoundSpec {
                    value: Some(5.0),
                    relative_to_baseline: None,
                }),
            },
        ],
        ..ModelExperimentSpec::default()
    }
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn the_operators_analysis_measures_real_workers_through_prometheus(pool: PgPool) {
    let database = support::database_of(&pool);
    let (ledger, categories) = support::ledger(&pool).await;
    let category = categories[0].1;
    let int8 = worker(&database, INT8).await;
    let fp32 = worker(&database, FP32).await;
    let target = |w: &testkit::Service| {
        w.url("")
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned()
    };
    let config = format!(
        "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: workers\n    static_configs:\n      - targets: ['{}', '{}']\n        labels: {{namespace: money}}\n",
        target(&int8),
        target(&fp32)
    );
    let prometheus = Prometheus::start("real-workers", &config).await;
    let client = Client::new(prometheus.url.clone(), Duration::from_secs(5));
    // Each worker exports its version's feedback series at zero before any feedback, so
    // all of it counts in `increase()`; wait until Prometheus has them.
    until(&client, "count(financetracker_ml_feedback_total == 0)", 4.0).await;
    drive(&int8, ledger, category, INT8, 45, 5).await; // 90% accepted
    drive(&fp32, ledger, category, FP32, 35, 15).await; // 70% accepted
    until(&client, "sum(financetracker_ml_feedback_total)", 100.0).await;

    let now = "now";
    let good = checks(&spec(FP32, INT8), "money").expect("valid");
    let measured = measure(&client, &good, 20, now).await;
    let (accuracy, outcome) = &measured[0];
    assert_eq!(accuracy.metric, "accuracy");
    assert!(
        accuracy.value.is_some_and(|v| (v - 0.9).abs() < 0.02),
        "{accuracy:?}"
    );
    assert!(
        accuracy
            .baseline_value
            .is_some_and(|v| (v - 0.7).abs() < 0.02),
        "{accuracy:?}"
    );
    assert!(accuracy.samples.is_some_and(|s| s >= 45.0), "{accuracy:?}");
    assert_eq!(*outcome, Outcome::Pass);
    let (latency, outcome) = &measured[1];
    assert!(
        latency.value.is_some_and(|v| v > 0.0 && v < 5.0),
        "{latency:?}"
    );
    assert_eq!(*outcome, Outcome::Pass);

    let worse = checks(&spec(INT8, FP32), "money").expect("valid");
    let measured = measure(&client, &worse, 20, now).await;
    assert_eq!(measured[0].1, Outcome::Fail, "{:?}", measured[0].0);

    // Too few samples for the minimum: no data, never a pass.
    let measured = measure(&client, &good, 1000, now).await;
    assert_eq!(measured[0].1, Outcome::NoData, "{:?}", measured[0].0);
    let (_, _) = (int8.terminate().await, fp32.terminate().await);
}
