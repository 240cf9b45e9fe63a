//! The worker's HTTP API on the real model and the real Postgres: suggestions for a new
//! ledger from its category names, a correction taking effect at once, and the refusals.

mod support;

use std::sync::Arc;

use ml_worker::ledgers::Ledgers;
use ml_worker::model::embedder::Embedder;
use serde_json::{Value, json};
use sqlx::PgPool;
use support::{ledger, models};
use uuid::Uuid;

struct Worker {
    base: String,
    http: reqwest::Client,
    metrics: Arc<service_kit::metrics::Metrics>,
}

impl Worker {
    async fn start(pool: PgPool) -> Self {
        let embedder = Embedder::load(&models(), "minilm-l6-v2-int8", 2).expect("model");
        let metrics = Arc::new(service_kit::metrics::Metrics::new("ml"));
        let app = ml_worker::routes::router(ml_worker::routes::WorkerState {
            ledgers: Arc::new(Ledgers::new(pool, Arc::new(embedder))),
            metrics: ml_worker::metrics::MlMetrics::register(&metrics),
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
        Self {
            base,
            http: reqwest::Client::new(),
            metrics,
        }
    }

    async fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .json(body)
            .send()
            .await
            .expect("send");
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }
}

fn id(categories: &[(String, Uuid)], name: &str) -> String {
    categories
        .iter()
        .find(|(n, _)| n == name)
        .expect(name)
        .1
        .to_string()
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn a_correction_is_used_by_the_very_next_prediction(pool: PgPool) {
    let worker = Worker::start(pool.clone()).await;
    let (ledger, categories) = ledger(&pool).await;
    let path = format!("/v1/ledgers/{ledger}/categorize");

    // Day one: suggestions from the category names alone, only expense ones for spending.
    let (status, body) = worker
        .post(
            &path,
            &json!({ "items": [
            { "description": "POS Purchase Engen Mitchell Park * 07 Oct", "amount": -300.0 },
            { "description": "ACME Corp salary November", "amount": 3200.0 }
        ] }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["model_version"], "minilm-l6-v2-int8");
    // At the ledger's threshold (0.7 by default) a top suggestion would be applied.
    let sure_on_day_one = body["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r[0]["confidence"].as_f64().expect("confidence") >= 0.7)
        .count();
    let spending = body["results"][0].as_array().expect("suggestions");
    assert!(!spending.is_empty() && spending.len() <= 3, "{body}");
    assert!(
        spending
            .iter()
            .all(|s| s["category_id"] != json!(id(&categories, "Salary")))
    );
    let confidences: Vec<f64> = spending
        .iter()
        .map(|s| s["confidence"].as_f64().expect("f"))
        .collect();
    assert!(
        confidences.windows(2).all(|w| w[0] >= w[1]),
        "best first: {confidences:?}"
    );
    assert_eq!(
        body["results"][1][0]["category_id"],
        json!(id(&categories, "Salary")),
        "{body}"
    );

    // The user files this merchant under Restaurants (a food court at a fuel station).
    let (status, body) = worker
        .post(
            &format!("/v1/ledgers/{ledger}/feedback"),
            &json!({
                "description": "POS Purchase Engen Mitchell Park * 07 Oct", "amount": -300.0,
                "category_id": id(&categories, "Restaurants"), "outcome": "corrected",
                "model_version": "minilm-l6-v2-int8"
            }),
        )
        .await;
    assert_eq!(status, 204, "{body}");

    // The next line from the same merchant, another day, follows the correction.
    let (status, body) = worker
        .post(
            &path,
            &json!({ "items": [
            { "description": "POS PURCHASE ENGEN MITCHELL PARK * 12 NOV", "amount": -280.5 }
        ] }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["results"][0][0]["category_id"],
        json!(id(&categories, "Restaurants")),
        "{body}"
    );
    assert_eq!(body["results"][0][0]["confidence"], json!(1.0));

    // What the ModelExperiment analysis reads.
    let exposition = worker.metrics.render();
    let predictions = |outcome: &str, n: usize| {
        format!(
            r#"financetracker_ml_predictions_total{{model_version="minilm-l6-v2-int8",outcome="{outcome}"}} {n}"#
        )
    };
    let mut lines = vec![
        // The corrected merchant (confidence 1) and whatever was sure on day one.
        predictions("applied", 1 + sure_on_day_one),
        r#"financetracker_ml_feedback_total{model_version="minilm-l6-v2-int8",outcome="corrected"} 1"#.to_owned(),
        r#"financetracker_ml_batch_size_count{model_version="minilm-l6-v2-int8"} 2"#.to_owned(),
    ];
    if sure_on_day_one < 2 {
        lines.push(predictions("suggested", 2 - sure_on_day_one));
    }
    for line in lines {
        assert!(exposition.contains(&line), "{line} in\n{exposition}");
    }
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn bad_requests_are_refused_with_the_error_shape(pool: PgPool) {
    let worker = Worker::start(pool.clone()).await;
    let (ledger, _) = ledger(&pool).await;
    let (_, other_categories) = ledger_with_other(&pool).await;
    let path = format!("/v1/ledgers/{ledger}/categorize");

    let too_many: Vec<Value> = (0..1001)
        .map(|_| json!({ "description": "x", "amount": -1.0 }))
        .collect();
    for (body, status, text) in [
        (json!({ "items": too_many }), 422, "1 to 1000"),
        (json!({ "items": [] }), 422, "1 to 1000"),
        (
            json!({ "items": [{ "description": "  ", "amount": -1.0 }] }),
            422,
            "items[0].description",
        ),
        (
            json!({ "items": [{ "description": "é".repeat(501), "amount": -1.0 }] }),
            422,
            "at most 500",
        ),
        (json!({ "items": [{ "description": "x" }] }), 422, "amount"),
    ] {
        let (got, answer) = worker.post(&path, &body).await;
        assert_eq!(got, status, "{answer}");
        assert!(
            answer["error"]["message"]
                .as_str()
                .expect("message")
                .contains(text),
            "{answer}"
        );
    }
    let (status, answer) = worker
        .post(
            &format!("/v1/ledgers/{}/categorize", Uuid::new_v4()),
            &json!({ "items": [{ "description": "x", "amount": 1.0 }] }),
        )
        .await;
    assert_eq!(
        (status, answer["error"]["code"].clone()),
        (404, json!("not_found"))
    );
    let (status, answer) = worker
        .post(
            &format!("/v1/ledgers/{ledger}/feedback"),
            &json!({ "description": "Shop", "amount": -1.0, "category_id": other_categories, "outcome": "accepted" }),
        )
        .await;
    assert_eq!(status, 422, "a category of another ledger: {answer}");
}

/// Another ledger's category id.
async fn ledger_with_other(pool: &PgPool) -> (Uuid, String) {
    let (other, categories) = ledger(pool).await;
    (other, categories[0].1.to_string())
}
