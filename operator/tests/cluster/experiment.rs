//! ModelExperiments end to end: the real controllers against the fake API server, the
//! analysis querying a real Prometheus that scrapes two real ML workers (the INT8 and the
//! FP32 model, served in this process on the test's database), which a driver sends
//! feedback at a known acceptance rate per model version. A good candidate steps up and is
//! promoted; a worse one is rolled back; a spec change restarts the analysis; Prometheus
//! stopped holds it as inconclusive.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use clap::Parser as _;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::ConfigMap;
use std::cell::RefCell;

use kube::api::{Patch, PatchParams, PostParams};
use operator::crd::finance_tracker::Phase;
use operator::crd::model_experiment::{
    AnalysisSpec, CandidateSpec, ExperimentPhase, ModelExperimentSpec, PromotionMode, VariantSpec,
};
use operator::crd::{FinanceTrackerSpec, ModelExperiment};
use serde_json::json;
use sqlx::PgPool;
use testkit::prometheus::Prometheus;
use tokio::task::JoinHandle;
use uuid::Uuid;

use crate::harness::{NAMESPACE, Running, deployments_ready, eventually_within};

const BASELINE: &str = "minilm-l6-v2-fp32";
const CANDIDATE: &str = "minilm-l6-v2-int8";

/// A real ML worker serving `version` on `database` (as `ml-worker serve` runs, with a
/// queue stream of its own so it takes no other test's jobs): its base URL, once ready.
async fn worker(database: &str, version: &str) -> (String, JoinHandle<()>) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let url = testkit::stores::database_url(database, testkit::stores::postgres_addr());
    let cli = ml_worker::config::Cli::try_parse_from([
        "ml-worker".to_owned(),
        format!("--listen-addr=127.0.0.1:{port}"),
        format!("--model-dir={}", testkit::model_dir().display()),
        format!("--model-version={version}"),
        "--model-threads=1".to_owned(),
        format!("--database-url={url}"),
        format!("--redis-url={}", testkit::stores::redis_url()),
        format!("--queue-stream=ft:test:queue:{}", Uuid::new_v4().simple()),
    ])
    .expect("worker flags");
    let serving = tokio::spawn(async move {
        ml_worker::serve::serve(cli.config)
            .await
            .expect("worker serves");
    });
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    eventually_within("the worker is ready", Duration::from_mins(1), || async {
        let ready = http.get(format!("{base}/readyz")).send().await.ok()?;
        (ready.status() == 200).then_some(())
    })
    .await;
    (base, serving)
}

/// A ledger with one category, as the API creates them: (ledger, category).
async fn ledger(pool: &PgPool) -> (Uuid, Uuid) {
    let ledger: Uuid = sqlx::query_scalar(
        "INSERT INTO ledgers (name, base_currency) VALUES ('Home', 'EUR') RETURNING id",
    )
    .fetch_one(pool)
    .await
    .expect("ledger");
    let group: Uuid = sqlx::query_scalar(
        "INSERT INTO category_groups (ledger_id, name, kind) VALUES ($1, 'Living', 'expense') RETURNING id",
    )
    .bind(ledger)
    .fetch_one(pool)
    .await
    .expect("group");
    let category: Uuid = sqlx::query_scalar(
        "INSERT INTO categories (ledger_id, group_id, name) VALUES ($1, $2, 'Groceries') RETURNING id",
    )
    .bind(ledger)
    .bind(group)
    .fetch_one(pool)
    .await
    .expect("category");
    (ledger, category)
}

/// How much feedback each version's predictions get per 200 ms: (version, accepted,
/// corrected).
type Rates = Arc<Mutex<Vec<(&'static str, u32, u32)>>>;

fn rates(rates: &Rates, now: &[(&'static str, u32, u32)]) {
    *rates.lock().expect("not poisoned") = now.to_vec();
}

/// Posts feedback to each version's worker every 200 ms, as the API does when a person
/// keeps or corrects that version's category, at the rates set.
fn drive(
    workers: Vec<(&'static str, String)>,
    ledger: Uuid,
    category: Uuid,
    rates: Rates,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let http = reqwest::Client::new();
        let mut n = 0u32;
        loop {
            tokio::time::sleep(Duration::from_millis(200)).await;
            let now = rates.lock().expect("not poisoned").clone();
            let mut sends = Vec::new();
            for (version, accepted, corrected) in now {
                let (_, base) = workers
                    .iter()
                    .find(|(v, _)| *v == version)
                    .expect("a worker per version");
                for k in 0..accepted + corrected {
                    n += 1;
                    let outcome = if k < accepted {
                        "accepted"
                    } else {
                        "corrected"
                    };
                    let body = json!({"description": format!("SHOP {}", n % 40), "amount": -10.0,
                                      "category_id": category, "outcome": outcome,
                                      "model_version": version});
                    sends.push(
                        http.post(format!("{base}/v1/ledgers/{ledger}/feedback"))
                            .json(&body)
                            .send(),
                    );
                }
            }
            for sent in futures::future::join_all(sends).await {
                let status = sent.expect("feedback sent").status();
                assert_eq!(status, 204, "the worker took the feedback");
            }
        }
    })
}

fn experiment(name: &str, target: &str, steps: &[u8]) -> ModelExperiment {
    ModelExperiment::new(
        name,
        ModelExperimentSpec {
            finance_tracker: target.to_owned(),
            baseline: VariantSpec {
                version: BASELINE.to_owned(),
            },
            candidate: CandidateSpec {
                version: CANDIDATE.to_owned(),
                image: None,
            },
            analysis: AnalysisSpec {
                interval_seconds: 2,
                steps: steps.to_vec(),
                max_weight: 100,
                failed_check_threshold: 1,
                min_samples: 5,
                ..AnalysisSpec::default()
            },
            metrics: Vec::new(),
            promotion: PromotionMode::Auto,
            approval: None,
        },
    )
}

async fn status_of(running: &Running, name: &str) -> Option<operator::crd::ModelExperimentStatus> {
    running
        .api::<ModelExperiment>()
        .get_opt(name)
        .await
        .ok()
        .flatten()?
        .status
}

async fn routing(running: &Running, ft: &str) -> serde_json::Value {
    let map = running
        .api::<ConfigMap>()
        .get(&format!("{ft}-ml-routing"))
        .await
        .expect("routing ConfigMap");
    serde_json::from_str(&map.data.expect("data")["routing.json"]).expect("JSON")
}

async fn up(running: &Running, name: &str, prometheus: &Prometheus) {
    let mut spec = FinanceTrackerSpec::default();
    BASELINE.clone_into(&mut spec.ml_worker.model_version);
    spec.monitoring.prometheus_url = Some(prometheus.url.to_string());
    running.create(name, spec).await;
    running.bring_up(name).await;
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn experiments_are_promoted_rolled_back_restarted_and_held_by_what_prometheus_measures(
    pool: PgPool,
) {
    let database = pool
        .connect_options()
        .get_database()
        .expect("named")
        .to_owned();
    let (ledger, category) = ledger(&pool).await;
    let (baseline, baseline_serving) = worker(&database, BASELINE).await;
    let (candidate, candidate_serving) = worker(&database, CANDIDATE).await;
    let target = |base: &str| base.trim_start_matches("http://").to_owned();
    let config = format!(
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: workers\n    static_configs:\n      - targets: ['{}', '{}']\n        labels: {{namespace: {NAMESPACE}}}\n",
        target(&baseline),
        target(&candidate)
    );
    let mut prometheus = Prometheus::start("experiments", &config).await;
    let feedback = Rates::default();
    let driver = drive(
        vec![(BASELINE, baseline), (CANDIDATE, candidate)],
        ledger,
        category,
        Arc::clone(&feedback),
    );
    let running = Running::start().await;
    // Plays the Deployment controller all along: pods become ready as soon as asked for.
    let deployments = {
        let client = running.client.clone();
        tokio::spawn(async move {
            loop {
                deployments_ready(&client).await;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        })
    };

    // A good candidate: 90% accepted against 80%. It steps up, then is promoted.
    rates(&feedback, &[(BASELINE, 4, 1), (CANDIDATE, 9, 1)]);
    promoted(&running, &prometheus).await;
    // A worse candidate: 50% accepted. One failed check rolls it back.
    rates(&feedback, &[(BASELINE, 4, 1), (CANDIDATE, 1, 1)]);
    tokio::time::sleep(Duration::from_secs(3)).await; // the good numbers leave the window
    rolled_back(&running, &prometheus).await;
    // Good again: a spec change restarts it; then Prometheus stops and it holds.
    rates(&feedback, &[(BASELINE, 4, 1), (CANDIDATE, 9, 1)]);
    tokio::time::sleep(Duration::from_secs(3)).await;
    restarted_then_held(&running, &mut prometheus).await;

    let outcomes = |name: &str, outcome: &str| {
        running
            .metrics
            .experiment
            .outcomes
            .with_label_values(&[NAMESPACE, name, outcome])
            .get()
    };
    assert_eq!(outcomes("good", "promoted"), 1);
    assert_eq!(outcomes("bad", "rolled_back"), 1);
    assert!(!driver.is_finished(), "the driver kept sending: {driver:?}");
    for task in [deployments, driver, baseline_serving, candidate_serving] {
        task.abort();
    }
    drop(running.stop().await);
}

const LONG: Duration = Duration::from_secs(40);

async fn promoted(running: &Running, prometheus: &Prometheus) {
    up(running, "home", prometheus).await;
    running
        .api::<ModelExperiment>()
        .create(
            &PostParams::default(),
            &experiment("good", "home", &[50, 100]),
        )
        .await
        .expect("create");
    let weights = RefCell::new(Vec::new());
    let candidate_routes = RefCell::new(Vec::new());
    eventually_within("the good candidate is promoted", LONG, || async {
        let status = status_of(running, "good").await?;
        let now = routing(running, "home").await;
        let mut seen = weights.borrow_mut();
        if seen.last() != Some(&status.weight) {
            seen.push(status.weight);
        }
        let weight = now["routes"][0]["weight"].clone();
        let mut routed = candidate_routes.borrow_mut();
        if now["routes"][0]["version"] == CANDIDATE && routed.last() != Some(&weight) {
            routed.push(weight);
        }
        (status.phase == Some(ExperimentPhase::Promoted)).then_some(())
    })
    .await;
    let (weights, candidate_routes) = (weights.into_inner(), candidate_routes.into_inner());
    assert!(weights.contains(&50), "it stepped through 50%: {weights:?}");
    assert!(
        candidate_routes.contains(&json!(50)),
        "the routing sent the candidate 50%: {candidate_routes:?}"
    );
    let status = status_of(running, "good").await.expect("status");
    let accuracy = &status.measurements[0];
    assert_eq!(accuracy.metric, "accuracy");
    // Measured from the workers' own counters: the rates the driver sent.
    assert!(
        accuracy.value.is_some_and(|v| (v - 0.9).abs() < 0.03)
            && accuracy
                .baseline_value
                .is_some_and(|v| (v - 0.8).abs() < 0.03),
        "{accuracy:?}"
    );
    assert!(accuracy.samples.is_some_and(|s| s >= 5.0), "{accuracy:?}");
    assert!(accuracy.query.contains(CANDIDATE), "{accuracy:?}");
    assert_eq!(
        status.candidate_accuracy,
        accuracy.value.map(|v| format!("{v:.3}"))
    );
    let ft = running.finance_tracker("home").await.expect("ft");
    assert_eq!(
        ft.status.and_then(|s| s.active_model_version).as_deref(),
        Some(CANDIDATE),
        "the candidate serves"
    );
    // The FinanceTracker's reconcile follows the experiment's status.
    let expected =
        json!({"defaultVersion": CANDIDATE, "routes": [{"version": CANDIDATE, "weight": 100}]});
    eventually_within("the candidate serves every household", LONG, || async {
        (routing(running, "home").await == expected).then_some(())
    })
    .await;
    crate::harness::eventually("the candidate's own workers are gone", || async {
        let d = running
            .api::<Deployment>()
            .get_opt("home-ml-candidate")
            .await
            .ok()?;
        d.is_none().then_some(())
    })
    .await;
}

async fn rolled_back(running: &Running, prometheus: &Prometheus) {
    up(running, "away", prometheus).await;
    running
        .api::<ModelExperiment>()
        .create(
            &PostParams::default(),
            &experiment("bad", "away", &[50, 100]),
        )
        .await
        .expect("create");
    eventually_within("the bad candidate is rolled back", LONG, || async {
        let status = status_of(running, "bad").await?;
        (status.phase == Some(ExperimentPhase::RolledBack)).then_some(())
    })
    .await;
    let status = status_of(running, "bad").await.expect("status");
    assert_eq!(status.weight, 0);
    assert_eq!(status.measurements[0].result, "Fail");
    let expected =
        json!({"defaultVersion": BASELINE, "routes": [{"version": BASELINE, "weight": 100}]});
    eventually_within("the baseline serves every household", LONG, || async {
        (routing(running, "away").await == expected).then_some(())
    })
    .await;
    let away = running.finance_tracker("away").await.expect("ft");
    assert_eq!(
        away.status.and_then(|s| s.active_model_version).as_deref(),
        Some(BASELINE)
    );
    assert!(
        status
            .conditions
            .iter()
            .any(|c| c.type_ == "Degraded" && c.status == "True" && c.reason == "RolledBack"),
        "{:?}",
        status.conditions
    );
}

async fn restarted_then_held(running: &Running, prometheus: &mut Prometheus) {
    up(running, "third", prometheus).await;
    let experiments = running.api::<ModelExperiment>();
    experiments
        .create(
            &PostParams::default(),
            &experiment("restart", "third", &[25, 50, 75, 100]),
        )
        .await
        .expect("create");
    eventually_within("it steps to 50%", LONG, || async {
        let status = status_of(running, "restart").await?;
        (status.weight == 50).then_some(())
    })
    .await;
    experiments
        .patch(
            "restart",
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"analysis": {"minSamples": 6}}})),
        )
        .await
        .expect("patch");
    eventually_within("the analysis restarts at 25%", LONG, || async {
        let status = status_of(running, "restart").await?;
        (status.analysis_generation == Some(2) && status.weight == 25 && status.failed_checks == 0)
            .then_some(())
    })
    .await;

    // Prometheus stops: measurements are errors, the experiment holds where it is.
    prometheus.stop().await;
    let held = eventually_within("checks are inconclusive", LONG, || async {
        let status = status_of(running, "restart").await?;
        (status.inconclusive_checks >= 2).then_some(status)
    })
    .await;
    assert_eq!(held.phase, Some(ExperimentPhase::Progressing));
    assert_eq!(held.measurements[0].result, "Error");
    assert!(
        held.measurements[0]
            .error
            .as_deref()
            .is_some_and(|e| e.contains("unreachable")),
        "{:?}",
        held.measurements
    );
    tokio::time::sleep(Duration::from_secs(5)).await;
    let later = status_of(running, "restart").await.expect("status");
    assert_eq!(
        (later.phase, later.weight),
        (Some(ExperimentPhase::Progressing), held.weight),
        "no step and no promotion without measurements"
    );
    let checks = |result: &str| {
        running
            .metrics
            .experiment
            .checks
            .with_label_values(&[NAMESPACE, "restart", result])
            .get()
    };
    assert!(checks("inconclusive") >= 2 && checks("pass") >= 1);
    let ft = running.finance_tracker("third").await.expect("ft");
    assert_ne!(ft.status.and_then(|s| s.phase), Some(Phase::Degraded));
}

#[tokio::test]
async fn experiments_that_cannot_run_wait_or_fail_with_a_reason_and_move_no_traffic() {
    let running = Running::start().await;
    let experiments = running.api::<ModelExperiment>();
    let reason = |name: &'static str| {
        let running = &running;
        async move {
            let status = status_of(running, name).await?;
            status
                .conditions
                .iter()
                .find(|c| c.type_ == "Degraded" && c.status == "True")
                .map(|c| (c.reason.clone(), c.message.clone()))
        }
    };

    // Its FinanceTracker does not exist.
    experiments
        .create(
            &PostParams::default(),
            &experiment("orphan", "nowhere", &[50]),
        )
        .await
        .expect("create");
    let (why, message) = eventually_within("the orphan says why", LONG, || reason("orphan")).await;
    assert_eq!(why, "FinanceTrackerMissing");
    assert!(message.contains("nowhere"), "{message}");

    // A FinanceTracker without a Prometheus to measure with.
    let mut spec = FinanceTrackerSpec::default();
    BASELINE.clone_into(&mut spec.ml_worker.model_version);
    running.create("home", spec).await;
    running.bring_up("home").await;
    experiments
        .create(&PostParams::default(), &experiment("first", "home", &[50]))
        .await
        .expect("create");
    let (why, _) = eventually_within("the first says why", LONG, || reason("first")).await;
    assert_eq!(why, "NoPrometheus");

    // A second experiment on the same FinanceTracker waits for the first.
    experiments
        .create(&PostParams::default(), &experiment("second", "home", &[50]))
        .await
        .expect("create");
    let (why, message) = eventually_within("the second says why", LONG, || reason("second")).await;
    assert_eq!(why, "AnotherExperimentRuns");
    assert!(message.contains("first"), "{message}");

    // A baseline that is not what the FinanceTracker serves (it serves the default).
    let mut away = FinanceTrackerSpec::default();
    away.monitoring.prometheus_url = Some("http://127.0.0.1:9/".to_owned());
    running.create("away", away).await;
    running.bring_up("away").await;
    experiments
        .create(&PostParams::default(), &experiment("wrong", "away", &[50]))
        .await
        .expect("create");
    let (why, message) =
        eventually_within("the wrong one says why", LONG, || reason("wrong")).await;
    assert_eq!(why, "BaselineNotServing");
    assert!(message.contains(BASELINE), "{message}");
    for name in ["orphan", "first", "second", "wrong"] {
        let status = status_of(&running, name).await.expect("status");
        assert_eq!(status.phase, None, "{name} was never admitted");
        assert_eq!(status.weight, 0);
    }

    // None of them moved any traffic or started any worker.
    for ft in ["home", "away"] {
        let served = routing(&running, ft).await;
        assert_eq!(
            served["routes"].as_array().map(Vec::len),
            Some(1),
            "{served}"
        );
        assert!(
            running
                .api::<Deployment>()
                .get_opt(&format!("{ft}-ml-candidate"))
                .await
                .expect("get")
                .is_none()
        );
    }
    drop(running.stop().await);
}
