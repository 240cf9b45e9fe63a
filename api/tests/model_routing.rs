//! The API follows the model routing file (the operator's routing ConfigMap, mounted)
//! without a restart: two real ML workers (INT8 and FP32, routers in this process, the real
//! models, the same Postgres), the weights changed under a running API. Each household's
//! transactions go to its variant's worker, its queued ones to its variant's stream, and
//! feedback to the worker that predicted.

mod support;

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};
use sqlx::PgPool;
use support::{Client, TestApi, account, ml_queued, ml_queued_on, ml_worker_of};
use uuid::Uuid;

const INT8: &str = "minilm-l6-v2-int8";
const FP32: &str = "minilm-l6-v2-fp32";
/// How long a retired variant's stream must rest before its work moves (120 s in service).
const SETTLE: Duration = Duration::from_secs(1);

fn write_routing(file: &std::path::Path, routes: &Value) {
    let routing = json!({"defaultVersion": INT8, "experiment": "trial", "routes": routes});
    // Written whole and renamed into place, as the kubelet swaps a ConfigMap volume.
    let next = file.with_extension("next");
    std::fs::write(&next, routing.to_string()).expect("write");
    std::fs::rename(&next, file).expect("rename");
}

/// A checking account in `ledger` with one fuel line filed by hand; the account's id.
async fn household(client: &Client, api: &TestApi, ledger: Uuid) -> Value {
    let account = json!(account(client, ledger, "Checking").await);
    let fuel = api.category(ledger, "Fuel").await;
    let (status, body) = client
        .post(
            &format!("/api/v1/ledgers/{ledger}/transactions"),
            json!({ "account_id": account, "date": "2026-10-07", "amount": "-300.00",
                    "payee": "ENGEN MITCHELL PARK", "category_id": fuel }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    account
}

/// Another line from the same station: the model applies the category; that transaction.
async fn categorised(client: &Client, ledger: Uuid, account: &Value, day: u32) -> Value {
    let (status, body) = client
        .post(
            &format!("/api/v1/ledgers/{ledger}/transactions"),
            json!({ "account_id": account, "date": format!("2026-11-{day:02}"), "amount": "-280.50",
                    "payee": format!("Engen Mitchell Park * {day:02} Nov") }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["category_source"], "ml", "{body}");
    body
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn a_routing_change_applies_without_a_restart_and_feedback_follows_the_prediction(
    pool: PgPool,
) {
    let (int8, int8_metrics) = ml_worker_of(pool.clone(), INT8).await;
    let (fp32, fp32_metrics) = ml_worker_of(pool.clone(), FP32).await;
    let dir = std::env::temp_dir().join(format!("ft-routing-{}", Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("routing.json");
    write_routing(&file, &json!([{"version": INT8, "weight": 100}]));
    let api = TestApi::start_with_ml(pool.clone(), &int8).await;
    api.state
        .ml
        .follow_routing(file.clone(), Duration::from_millis(200), SETTLE);
    let (alice, ledger) = api.user("Alice").await;
    let account = household(&alice, &api, ledger).await;

    let first = categorised(&alice, ledger, &account, 10).await;
    assert_eq!(first["ml_model_version"], INT8);

    // The operator moves every household to the FP32 worker.
    write_routing(
        &file,
        &json!([{"version": FP32, "weight": 100, "url": fp32},
                {"version": INT8, "weight": 0}]),
    );
    let mut day = 11;
    let moved = loop {
        let body = categorised(&alice, ledger, &account, day).await;
        if body["ml_model_version"] == FP32 {
            break body;
        }
        assert!(day < 40, "the API never followed the new routing");
        day += 1;
        tokio::time::sleep(Duration::from_millis(100)).await;
    };

    // The user corrects the FP32 worker's choice: that worker hears it, the other not.
    let groceries = api.category(ledger, "Groceries").await;
    let id = moved["id"].as_str().expect("id");
    let (status, body) = alice
        .send(
            Method::PATCH,
            &format!("/api/v1/ledgers/{ledger}/transactions/{id}"),
            Some(json!({ "category_id": groceries })),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let corrected = |m: &ml_worker::metrics::MlMetrics, version: &str| {
        m.feedback.with_label_values(&[version, "corrected"]).get()
    };
    for _ in 0..50 {
        if corrected(&fp32_metrics, FP32) == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        corrected(&fp32_metrics, FP32),
        1,
        "the predicting worker hears it"
    );
    assert_eq!(corrected(&int8_metrics, FP32), 0);

    // A broken file keeps the routing last read.
    std::fs::write(&file, "{ not json").expect("write");
    tokio::time::sleep(Duration::from_millis(600)).await;
    let still = categorised(&alice, ledger, &account, 28).await;
    assert_eq!(still["ml_model_version"], FP32);

    // Half the households each: every ledger gets the version its hash says, every time.
    let split = json!([{"version": FP32, "weight": 50, "url": fp32},
                       {"version": INT8, "weight": 50}]);
    write_routing(&file, &split);
    tokio::time::sleep(Duration::from_millis(600)).await;
    let routing: contracts::model_routing::ModelRouting = serde_json::from_value(
        json!({"defaultVersion": INT8, "experiment": "trial", "routes": split}),
    )
    .expect("routing");
    for n in 0..4 {
        let (client, ledger) = api.user(&format!("Household{n}")).await;
        let account = household(&client, &api, ledger).await;
        let expected = &routing.route_for(ledger).expect("routed").version;
        for day in [10, 11] {
            let body = categorised(&client, ledger, &account, day).await;
            assert_eq!(body["ml_model_version"], json!(expected), "{ledger}");
        }
    }

    queued_on_the_variants_stream_until_it_is_retired(&api, &file).await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// The candidate's worker is down: a household routed to it has its transactions queued on
/// the candidate's own stream, not where the serving workers would take them. The candidate
/// finishes one and is in the middle of another when it is rolled back (gone from the
/// routing): once the stream has rested for `SETTLE`, the unfinished two move to the serving
/// stream, the finished one does not.
/// (In the test above, so that no other routing-following API in this Redis moves them.)
async fn queued_on_the_variants_stream_until_it_is_retired(api: &TestApi, file: &std::path::Path) {
    let version = format!("trial-{}", Uuid::new_v4().simple());
    write_routing(
        file,
        &json!([{"version": version, "weight": 100, "url": "http://127.0.0.1:9/"},
                {"version": INT8, "weight": 0}]),
    );
    tokio::time::sleep(Duration::from_millis(600)).await;
    let (client, ledger) = api.user("Queued").await;
    let account = account(&client, ledger, "Checking").await;
    let mut ids = Vec::new();
    for payee in ["WOOLWORTHS", "PICK N PAY", "SPAR"] {
        let (status, body) = client
            .post(
                &format!("/api/v1/ledgers/{ledger}/transactions"),
                json!({ "account_id": account, "date": "2026-11-02", "amount": "-12.00",
                        "payee": payee }),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(body["category_id"], Value::Null, "{body}");
        ids.push(body["id"].as_str().expect("id").to_owned());
    }
    let candidate = contracts::categorization::queue_stream_of(&version);
    let newest_first: Vec<String> = ids.iter().rev().cloned().collect();
    assert_eq!(ml_queued_on(&candidate, ledger).await, newest_first);
    assert!(
        ml_queued(ledger).await.is_empty(),
        "not for the serving workers"
    );
    let redis = service_kit::stores::LazyRedis::new(
        redis::Client::open(testkit::stores::redis_url()).expect("redis url"),
    );
    let written: i64 = redis
        .query(
            redis::cmd("HGET")
                .arg(contracts::categorization::QUEUE_VERSIONS_KEY)
                .arg(&version),
        )
        .await
        .expect("when the stream was written");
    let now = chrono::Utc::now().timestamp_millis();
    assert!((0..60_000).contains(&(now - written)), "{written} vs {now}");

    // The candidate's worker takes two entries and finishes the first.
    let worker = service_kit::streams::GroupReader {
        redis: redis.clone(),
        stream: candidate.clone(),
        group: contracts::categorization::QUEUE_GROUP.to_owned(),
        name: "candidate-0".to_owned(),
        min_idle: Duration::from_mins(1),
    };
    worker.ensure_group().await.expect("group");
    let taken = worker.next(2, Duration::ZERO).await.expect("read");
    assert_eq!(taken.len(), 2);
    worker.ack(&[taken[0].0.clone()]).await.expect("ack");

    // Rolled back: the serving workers take everyone, and what was left undone with them.
    write_routing(file, &json!([{"version": INT8, "weight": 100}]));
    for _ in 0..100 {
        if ml_queued(ledger).await.len() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(ml_queued(ledger).await, newest_first[..2]);
    let left = worker.backlog().await.expect("backlog");
    assert_eq!(
        (left.waiting, left.taken),
        (Some(0), 0),
        "nothing left undone on the retired stream"
    );
    assert_eq!(
        ml_queued_on(&candidate, ledger).await,
        [ids[0].clone()],
        "the finished entry stays where it was done"
    );
    // The shared test Redis keeps no trace of this run's made-up version.
    let mut cleanup = redis::pipe();
    cleanup
        .cmd("HDEL")
        .arg(contracts::categorization::QUEUE_VERSIONS_KEY)
        .arg(&version)
        .ignore()
        .cmd("DEL")
        .arg(&candidate)
        .ignore();
    redis.pipeline::<()>(&cleanup).await.expect("cleanup");
}
