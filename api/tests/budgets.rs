//! Budgets, rollover, alerts (recorded and published as events), and savings goals.

mod support;

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};
use sqlx::PgPool;
use support::{Client, TestApi, assert_error};
use uuid::Uuid;

async fn checking(client: &Client, ledger: Uuid) -> Value {
    let (status, body) = client
        .post(
            &format!("/api/v1/ledgers/{ledger}/accounts"),
            json!({
                "name": "Checking", "kind": "checking", "currency": "EUR"
            }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    body["id"].clone()
}

async fn spend(
    client: &Client,
    ledger: Uuid,
    account: &Value,
    date: &str,
    amount: &str,
    category: &str,
) {
    let (status, body) = client
        .post(
            &format!("/api/v1/ledgers/{ledger}/transactions"),
            json!({
                "account_id": account, "date": date, "amount": amount, "category_id": category
            }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
}

async fn set_budget(
    client: &Client,
    ledger: Uuid,
    month: &str,
    category: &str,
    amount: &str,
) -> (u16, Value) {
    client
        .send(
            Method::PUT,
            &format!("/api/v1/ledgers/{ledger}/budgets/{month}/{category}"),
            Some(json!({ "amount": amount })),
        )
        .await
}

fn line<'a>(view: &'a Value, category: &str) -> &'a Value {
    view["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["category_id"] == category)
        .unwrap_or_else(|| panic!("{category} in {view}"))
}

async fn wait_for_alerts(client: &Client, ledger: Uuid, count: usize) -> Value {
    for _ in 0..100 {
        let (_, alerts) = client
            .get(&format!("/api/v1/ledgers/{ledger}/budget-alerts"))
            .await;
        if alerts.as_array().map(Vec::len) == Some(count) {
            return alerts;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("expected {count} alerts");
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn a_month_shows_budgeted_spent_and_available_and_alerts_once_per_threshold(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = api.user("Alice").await;
    let account = checking(&alice, ledger).await;
    let groceries = api.category(ledger, "Groceries").await;

    let (status, view) = set_budget(&alice, ledger, "2026-11", &groceries, "200").await;
    assert_eq!(status, 200, "{view}");
    spend(
        &alice,
        ledger,
        &account,
        "2026-11-03",
        "-150.00",
        &groceries,
    )
    .await;
    let (_, view) = alice
        .get(&format!("/api/v1/ledgers/{ledger}/budgets/2026-11"))
        .await;
    let g = line(&view, &groceries);
    assert_eq!(
        (
            g["budgeted"].as_str(),
            g["spent"].as_str(),
            g["available"].as_str()
        ),
        (Some("200.00"), Some("150.00"), Some("50.00"))
    );
    assert_eq!(g["percent_used"], 75);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        alice
            .get(&format!("/api/v1/ledgers/{ledger}/budget-alerts"))
            .await
            .1,
        json!([]),
        "75% is below 80%"
    );

    spend(&alice, ledger, &account, "2026-11-10", "-20.00", &groceries).await;
    let alerts = wait_for_alerts(&alice, ledger, 1).await;
    assert_eq!(alerts[0]["threshold"], 80);
    spend(&alice, ledger, &account, "2026-11-11", "-1.00", &groceries).await;
    spend(&alice, ledger, &account, "2026-11-12", "-40.00", &groceries).await;
    let alerts = wait_for_alerts(&alice, ledger, 2).await;
    assert_eq!(alerts[0]["threshold"], 100);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        alice
            .get(&format!("/api/v1/ledgers/{ledger}/budget-alerts"))
            .await
            .1
            .as_array()
            .map(Vec::len),
        Some(2),
        "each threshold once"
    );

    let thresholds: Vec<i64> = support::events(&api.pool, ledger, "budget.alert")
        .await
        .iter()
        .filter_map(|data| data["threshold"].as_i64())
        .collect();
    assert_eq!(thresholds, [80, 100], "one event per alert");
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn rollover_carries_what_is_left_and_what_is_overspent(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = api.user("Alice").await;
    let account = checking(&alice, ledger).await;
    let fuel = api.category(ledger, "Fuel").await;
    let (status, _) = alice
        .send(
            Method::PATCH,
            &format!("/api/v1/ledgers/{ledger}/categories/{fuel}"),
            Some(json!({ "budget_rollover": true })),
        )
        .await;
    assert_eq!(status, 204);
    for month in ["2026-09", "2026-10", "2026-11"] {
        assert_eq!(set_budget(&alice, ledger, month, &fuel, "100").await.0, 200);
    }
    spend(&alice, ledger, &account, "2026-09-15", "-60.00", &fuel).await;
    spend(&alice, ledger, &account, "2026-10-15", "-170.00", &fuel).await;
    spend(&alice, ledger, &account, "2026-11-02", "-10.00", &fuel).await;
    let (_, view) = alice
        .get(&format!("/api/v1/ledgers/{ledger}/budgets/2026-11"))
        .await;
    let f = line(&view, &fuel);
    // September leaves 40; October has 140 and spends 170: -30 carried into November.
    assert_eq!(f["carried_in"], "-30.00");
    assert_eq!(f["available"], "60.00");
    assert_eq!(f["rollover"], true);
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn bad_budgets_are_refused(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = api.user("Alice").await;
    let salary = api.category(ledger, "Salary").await;
    let fuel = api.category(ledger, "Fuel").await;
    let (status, body) = set_budget(&alice, ledger, "2026-11", &salary, "100").await;
    assert_error(status, &body, 422, "validation_failed");
    let (status, body) = set_budget(&alice, ledger, "2026-11", &fuel, "-5").await;
    assert_error(status, &body, 422, "validation_failed");
    let (status, body) = set_budget(&alice, ledger, "2026-11", &fuel, "1.005").await;
    assert_error(status, &body, 422, "validation_failed");
    let (status, body) = set_budget(&alice, ledger, "November", &fuel, "100").await;
    assert_error(status, &body, 400, "bad_request");
    let (status, body) = alice
        .send(
            Method::PUT,
            &format!("/api/v1/ledgers/{ledger}/budget-settings"),
            Some(json!({ "alert_thresholds": [0, 50] })),
        )
        .await;
    assert_error(status, &body, 422, "validation_failed");
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn goals_track_contributions_or_a_linked_account(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = api.user("Alice").await;
    let goals = format!("/api/v1/ledgers/{ledger}/goals");
    let (status, goal) = alice
        .post(
            &goals,
            json!({ "name": "Bike", "target_amount": "1200", "target_date": "2999-12-31" }),
        )
        .await;
    assert_eq!(status, 201, "{goal}");
    assert_eq!(
        (goal["saved"].as_str(), goal["currency"].as_str()),
        (Some("0.00"), Some("EUR"))
    );
    let path = format!("{goals}/{}", goal["id"].as_str().expect("id"));
    let (status, goal) = alice
        .post(
            &format!("{path}/contributions"),
            json!({ "date": "2026-11-01", "amount": "300" }),
        )
        .await;
    assert_eq!(status, 201, "{goal}");
    assert_eq!(
        (
            goal["saved"].as_str(),
            goal["remaining"].as_str(),
            goal["percent"].as_i64()
        ),
        (Some("300.00"), Some("900.00"), Some(25))
    );

    let (_, account) = alice
        .post(&format!("/api/v1/ledgers/{ledger}/accounts"), json!({
            "name": "Holiday fund", "kind": "savings", "currency": "USD", "opening_balance": "450.00"
        }))
        .await;
    let (status, linked) = alice
        .post(&goals, json!({ "name": "Holiday", "target_amount": "900", "target_date": "2999-06-30", "account_id": account["id"] }))
        .await;
    assert_eq!(status, 201, "{linked}");
    assert_eq!(
        (
            linked["saved"].as_str(),
            linked["currency"].as_str(),
            linked["percent"].as_i64()
        ),
        (Some("450.00"), Some("USD"), Some(50))
    );
    let linked_path = format!("{goals}/{}", linked["id"].as_str().expect("id"));
    let (status, body) = alice
        .post(
            &format!("{linked_path}/contributions"),
            json!({ "date": "2026-11-01", "amount": "10" }),
        )
        .await;
    assert_error(status, &body, 409, "conflict");

    let (status, body) = alice
        .post(
            &goals,
            json!({ "name": "", "target_amount": "-1", "target_date": "soon" }),
        )
        .await;
    assert_error(status, &body, 422, "validation_failed");
    assert_eq!(
        body["error"]["details"]["fields"].as_array().map(Vec::len),
        Some(3)
    );
    assert_eq!(alice.get(&goals).await.1.as_array().map(Vec::len), Some(2));
    assert_eq!(alice.send(Method::DELETE, &path, None).await.0, 204);
    assert_eq!(alice.get(&path).await.0, 404);
}
