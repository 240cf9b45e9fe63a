//! Transactions categorised by the real ML worker (its router in this process, the real
//! model, the same Postgres): applied when sure, kept as suggestions when not, queued when
//! the worker is down, and feedback when the user changes the model's choice.

mod support;

use reqwest::Method;
use serde_json::{Value, json};
use sqlx::PgPool;
use support::{Client, TestApi, ml_worker as worker};
use uuid::Uuid;

async fn account(client: &Client, ledger: Uuid) -> Value {
    let (status, body) = client
        .post(
            &format!("/api/v1/ledgers/{ledger}/accounts"),
            json!({ "name": "Checking", "kind": "checking", "currency": "EUR" }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    body["id"].clone()
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn a_known_merchant_is_applied_and_an_unknown_one_suggested(pool: PgPool) {
    let api = TestApi::start_with_ml(pool.clone(), &worker(pool).await).await;
    let (alice, ledger) = api.user("Alice").await;
    let account = account(&alice, ledger).await;
    let transport = api.category(ledger, "Fuel").await;
    let txns = format!("/api/v1/ledgers/{ledger}/transactions");

    // The user files one fuel station line herself...
    let (status, body) = alice
        .post(
            &txns,
            json!({ "account_id": account, "date": "2026-10-07", "amount": "-300.00",
                             "payee": "ENGEN MITCHELL PARK", "category_id": transport }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    // ...and the next line from the same station is categorised on creation.
    let (status, body) = alice
        .post(
            &txns,
            json!({ "account_id": account, "date": "2026-11-12", "amount": "-280.50",
                             "payee": "Engen Mitchell Park * 12 Nov" }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["category_id"], json!(transport), "{body}");
    assert_eq!(body["category_source"], "ml");
    assert_eq!(body["ml_model_version"], "minilm-l6-v2-int8");
    assert_eq!(body["ml_confidence"], json!(1.0));
    let applied = body["id"].clone();

    // A merchant never seen: the model's guesses are kept, not applied, unless sure.
    let (status, body) = alice
        .post(
            &txns,
            json!({ "account_id": account, "date": "2026-11-13", "amount": "-12.00",
                             "payee": "Zyxwv Qrstu 7781" }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    // Both results are announced, in the one shape the workers send too.
    let completed = support::events(
        &api.pool,
        ledger,
        contracts::categorization::COMPLETED_EVENT,
    )
    .await;
    let event = |id: &Value| {
        completed
            .iter()
            .find(|e| e["transaction_id"] == *id)
            .unwrap_or_else(|| panic!("no event for {id}: {completed:?}"))
            .clone()
    };
    assert_eq!(
        event(&applied),
        json!({ "transaction_id": applied, "category_id": transport,
                "model_version": "minilm-l6-v2-int8", "confidence": 1.0, "suggestions": [] })
    );
    let guessed = event(&body["id"]);
    if body["category_id"].is_null() {
        assert_eq!(guessed["category_id"], Value::Null);
        assert_eq!(guessed["suggestions"], body["ml_suggestions"]);
    } else {
        assert_eq!(guessed["category_id"], body["category_id"]);
    }
    if body["category_id"].is_null() {
        let list = body["ml_suggestions"]
            .as_array()
            .expect("suggestions for one click");
        assert!(!list.is_empty() && list.len() <= 3, "{body}");
        assert!(list[0]["confidence"].as_f64().expect("confidence") < 0.7);

        // One click: the user takes the top suggestion; the worker hears `accepted` from
        // the version that made it.
        let choice = list[0]["category_id"].clone();
        let id = body["id"].as_str().expect("id");
        let (status, body) = alice
            .send(
                Method::PATCH,
                &format!("{txns}/{id}"),
                Some(json!({ "category_id": choice })),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            body["ml_suggestions"],
            json!([]),
            "suggestions go once a category is set"
        );
        let mut heard = None;
        for _ in 0..50 {
            heard = sqlx::query_as::<_, (String, Option<String>)>(
                "SELECT outcome, model_version FROM ml_examples WHERE ledger_id = $1",
            )
            .bind(ledger)
            .fetch_optional(&api.pool)
            .await
            .expect("query");
            if heard.is_some() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(
            heard,
            Some(("accepted".to_owned(), Some("minilm-l6-v2-int8".to_owned())))
        );
    } else {
        assert_eq!(
            body["category_source"], "ml",
            "applied only when sure: {body}"
        );
    }
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn correcting_the_model_teaches_the_worker(pool: PgPool) {
    let api = TestApi::start_with_ml(pool.clone(), &worker(pool).await).await;
    let (alice, ledger) = api.user("Alice").await;
    let account = account(&alice, ledger).await;
    let fuel = api.category(ledger, "Fuel").await;
    let restaurants = api.category(ledger, "Restaurants & cafes").await;
    let txns = format!("/api/v1/ledgers/{ledger}/transactions");
    alice
        .post(
            &txns,
            json!({ "account_id": account, "date": "2026-10-07", "amount": "-30.00",
                             "payee": "Engen Food Court", "category_id": fuel }),
        )
        .await;
    let (_, body) = alice
        .post(
            &txns,
            json!({ "account_id": account, "date": "2026-10-08", "amount": "-25.00",
                             "payee": "ENGEN FOOD COURT" }),
        )
        .await;
    assert_eq!(body["category_source"], "ml", "{body}");
    let id = body["id"].as_str().expect("id").to_owned();

    // The user says: that was a meal, not fuel.
    let (status, body) = alice
        .send(
            Method::PATCH,
            &format!("{txns}/{id}"),
            Some(json!({ "category_id": restaurants })),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["category_source"], "user");

    // The worker hears it (feedback is sent in the background) and the next line follows.
    let mut learned = false;
    for _ in 0..50 {
        let row: Option<(String, String)> = sqlx::query_as(
            "SELECT category_id::text, outcome FROM ml_examples WHERE ledger_id = $1",
        )
        .bind(ledger)
        .fetch_optional(&api.pool)
        .await
        .expect("query");
        if let Some((category, outcome)) = row {
            assert_eq!(
                (category.as_str(), outcome.as_str()),
                (restaurants.as_str(), "corrected")
            );
            learned = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(learned, "the correction reached the worker");
    let (_, body) = alice
        .post(
            &txns,
            json!({ "account_id": account, "date": "2026-10-09", "amount": "-22.00",
                             "payee": "Engen Food Court" }),
        )
        .await;
    assert_eq!(body["category_id"], json!(restaurants), "{body}");
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn with_the_worker_down_a_transaction_is_stored_and_queued(pool: PgPool) {
    // A port nothing listens on.
    let url = format!("http://{}", testkit::stores::closed_addr());
    let api = TestApi::start_with_ml(pool, &url).await;
    let (alice, ledger) = api.user("Alice").await;
    let account = account(&alice, ledger).await;
    let started = std::time::Instant::now();
    let (status, body) = alice
        .post(&format!("/api/v1/ledgers/{ledger}/transactions"),
              json!({ "account_id": account, "date": "2026-11-12", "amount": "-9.99", "payee": "Netflix" }))
        .await;
    assert_eq!(status, 201, "{body}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "never waits long"
    );
    assert!(body["category_id"].is_null());
    let id = body["id"].as_str().expect("id").to_owned();

    // Queued for the worker, on the Redis stream it consumes.
    assert!(
        support::ml_queued(ledger).await.contains(&id),
        "transaction {id} queued"
    );
}
