//! A second user's every route on the first user's resources answers 404 and changes
//! nothing, and malformed requests get the error shape, never a 500.

mod support;

use reqwest::Method;
use serde_json::{Value, json};
use sqlx::PgPool;
use support::{TestApi, assert_error};

async fn snapshot(pool: &PgPool) -> Value {
    sqlx::query_scalar(
        "SELECT json_build_object(
            'ledgers', (SELECT json_agg(l ORDER BY id) FROM ledgers l),
            'members', (SELECT json_agg(m ORDER BY ledger_id, user_id) FROM ledger_members m),
            'accounts', (SELECT json_agg(a ORDER BY id) FROM accounts a),
            'transactions', (SELECT json_agg(t ORDER BY id) FROM transactions t),
            'categories', (SELECT json_agg(c ORDER BY id) FROM categories c),
            'groups', (SELECT json_agg(g ORDER BY id) FROM category_groups g),
            'rates', (SELECT count(*) FROM exchange_rates),
            'budgets', (SELECT count(*) FROM budgets),
            'goals', (SELECT count(*) FROM goals),
            'thresholds', (SELECT json_agg(budget_alert_thresholds) FROM ledgers),
            'invites', (SELECT count(*) FROM ledger_invites))",
    )
    .fetch_one(pool)
    .await
    .expect("snapshot")
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn another_users_resources_are_not_found_and_untouched(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = api.user("Alice").await;
    let (mallory, _) = api.user("Mallory").await;
    let (_, account) = alice
        .post(
            &format!("/api/v1/ledgers/{ledger}/accounts"),
            json!({
                "name": "Savings", "kind": "savings", "currency": "EUR", "opening_balance": "100.00"
            }),
        )
        .await;
    let account = account["id"].as_str().expect("id").to_owned();
    let (status, transaction) = alice
        .post(
            &format!("/api/v1/ledgers/{ledger}/transactions"),
            json!({
                "account_id": account, "date": "2026-11-01", "amount": "-5.00", "payee": "Bakery"
            }),
        )
        .await;
    assert_eq!(status, 201, "{transaction}");
    let transaction = transaction["id"].as_str().expect("id").to_owned();
    let (group, category): (uuid::Uuid, uuid::Uuid) = sqlx::query_as(
        "SELECT group_id, id FROM categories WHERE ledger_id = $1 ORDER BY name LIMIT 1",
    )
    .bind(ledger)
    .fetch_one(&api.pool)
    .await
    .expect("a default category");
    let alice_id = alice.get("/api/v1/me").await.1["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let before = snapshot(&api.pool).await;

    let l = format!("/api/v1/ledgers/{ledger}");
    let routes: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, l.clone(), None),
        (Method::PATCH, l.clone(), Some(json!({ "name": "pwned" }))),
        (Method::DELETE, l.clone(), None),
        (Method::GET, format!("{l}/members"), None),
        (
            Method::PUT,
            format!("{l}/members/{alice_id}"),
            Some(json!({ "role": "viewer" })),
        ),
        (Method::DELETE, format!("{l}/members/{alice_id}"), None),
        (
            Method::POST,
            format!("{l}/invites"),
            Some(json!({ "role": "editor" })),
        ),
        (Method::GET, format!("{l}/accounts"), None),
        (
            Method::POST,
            format!("{l}/accounts"),
            Some(json!({ "name": "x", "kind": "cash", "currency": "EUR" })),
        ),
        (Method::GET, format!("{l}/accounts/{account}"), None),
        (
            Method::PATCH,
            format!("{l}/accounts/{account}"),
            Some(json!({ "archived": true })),
        ),
        (Method::DELETE, format!("{l}/accounts/{account}"), None),
        (Method::GET, format!("{l}/transactions"), None),
        (
            Method::POST,
            format!("{l}/transactions"),
            Some(json!({ "account_id": account, "date": "2026-11-01", "amount": "1" })),
        ),
        (Method::GET, format!("{l}/transactions/{transaction}"), None),
        (
            Method::PATCH,
            format!("{l}/transactions/{transaction}"),
            Some(json!({ "notes": "pwned" })),
        ),
        (
            Method::DELETE,
            format!("{l}/transactions/{transaction}"),
            None,
        ),
        (
            Method::POST,
            format!("{l}/transactions/bulk"),
            Some(json!({ "ids": [transaction], "add_tags": ["x"] })),
        ),
        (Method::GET, format!("{l}/exchange-rates"), None),
        (
            Method::PUT,
            format!("{l}/exchange-rates"),
            Some(json!({ "currency": "USD", "date": "2026-11-01", "rate": "0.9" })),
        ),
        (
            Method::GET,
            format!("{l}/analytics/spending-by-category"),
            None,
        ),
        (Method::GET, format!("{l}/analytics/cash-flow"), None),
        (Method::GET, format!("{l}/analytics/net-worth"), None),
        (Method::GET, format!("{l}/analytics/top-payees"), None),
        (Method::GET, format!("{l}/budgets/2026-11"), None),
        (
            Method::PUT,
            format!("{l}/budgets/2026-11/{category}"),
            Some(json!({ "amount": "100" })),
        ),
        (
            Method::PUT,
            format!("{l}/budget-settings"),
            Some(json!({ "alert_thresholds": [50] })),
        ),
        (Method::GET, format!("{l}/budget-alerts"), None),
        (Method::GET, format!("{l}/goals"), None),
        (
            Method::POST,
            format!("{l}/goals"),
            Some(json!({ "name": "x", "target_amount": "1", "target_date": "2030-01-01" })),
        ),
        (Method::GET, format!("{l}/categories"), None),
        (
            Method::POST,
            format!("{l}/categories"),
            Some(json!({ "group_id": group, "name": "x" })),
        ),
        (
            Method::PATCH,
            format!("{l}/categories/{category}"),
            Some(json!({ "name": "pwned" })),
        ),
        (
            Method::POST,
            format!("{l}/categories/{category}/merge"),
            Some(json!({ "into": category })),
        ),
        (
            Method::POST,
            format!("{l}/category-groups"),
            Some(json!({ "name": "x", "kind": "expense" })),
        ),
        (
            Method::PATCH,
            format!("{l}/category-groups/{group}"),
            Some(json!({ "archived": true })),
        ),
        (
            Method::POST,
            format!("{l}/transfers"),
            Some(
                json!({ "from_account_id": account, "to_account_id": account, "date": "2026-11-01", "amount": "1" }),
            ),
        ),
    ];
    for (method, path, body) in routes {
        let (status, answer) = mallory.send(method.clone(), &path, body).await;
        assert_eq!(status, 404, "{method} {path}: {answer}");
        assert_eq!(answer["error"]["code"], "not_found", "{method} {path}");
    }
    assert_eq!(snapshot(&api.pool).await, before, "nothing changed");
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn malformed_requests_get_clear_client_errors(pool: PgPool) {
    let api = TestApi::start_with_body_limit(pool, 4096).await;
    let (alice, ledger) = api.user("Alice").await;
    let accounts = format!("/api/v1/ledgers/{ledger}/accounts");

    let syntax = alice
        .http
        .post(format!("{}{accounts}", api.base))
        .header("content-type", "application/json")
        .header("x-csrf-token", alice.csrf.clone().unwrap_or_default())
        .body("{not json")
        .send()
        .await
        .expect("send");
    assert_eq!(syntax.status(), 400);
    let body: Value = syntax.json().await.expect("json");
    assert_eq!(body["error"]["code"], "bad_request");

    let (status, body) = alice.post(&accounts, json!({ "name": "x" })).await;
    assert_error(status, &body, 422, "validation_failed");
    let (status, body) = alice
        .post(
            &accounts,
            json!({ "name": "x", "kind": "cash", "currency": "EUR", "colour": "red" }),
        )
        .await;
    assert_error(status, &body, 422, "validation_failed");

    let plain = alice
        .http
        .post(format!("{}{accounts}", api.base))
        .header("x-csrf-token", alice.csrf.clone().unwrap_or_default())
        .body(r#"{"name":"x","kind":"cash","currency":"EUR"}"#)
        .send()
        .await
        .expect("send");
    assert_eq!(plain.status(), 415);

    let huge = "x".repeat(10_000);
    let (status, body) = alice
        .post(
            &accounts,
            json!({ "name": huge, "kind": "cash", "currency": "EUR" }),
        )
        .await;
    assert_error(status, &body, 413, "payload_too_large");

    let (status, body) = alice.get("/api/v1/ledgers/not-a-uuid/accounts").await;
    assert_error(status, &body, 400, "bad_request");
    let (status, body) = alice
        .get(&format!("{accounts}?include_archived=maybe"))
        .await;
    assert_error(status, &body, 400, "bad_request");
}
