//! Accounts: currencies and their decimals, exact balances, archive and delete.

mod support;

use reqwest::Method;
use rust_decimal::Decimal;
use serde_json::json;
use sqlx::PgPool;
use support::{TestApi, assert_error};
use uuid::Uuid;

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn amounts_must_fit_the_currency(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = api.user("Alice").await;
    let accounts = format!("/api/v1/ledgers/{ledger}/accounts");
    for (currency, opening, ok) in [
        ("EUR", "1234.56", true),
        ("EUR", "1234.567", false),
        ("JPY", "1500", true),
        ("JPY", "1500.5", false),
        ("KWD", "-12.345", true),
        ("EUR", "12,50", false),
        ("EUR", "1e3", false),
    ] {
        let (status, body) = alice
            .post(
                &accounts,
                json!({
                    "name": format!("{currency} {opening}"), "kind": "savings",
                    "currency": currency, "opening_balance": opening
                }),
            )
            .await;
        if ok {
            assert_eq!(status, 201, "{currency} {opening}: {body}");
            assert_eq!(body["opening_balance"], opening);
            assert_eq!(body["balance"], opening);
        } else {
            assert_error(status, &body, 422, "validation_failed");
            assert_eq!(
                body["error"]["details"]["fields"][0]["field"], "opening_balance",
                "{body}"
            );
        }
    }
    let (status, body) = alice
        .post(
            &accounts,
            json!({ "name": "Bitcoin", "kind": "investment", "currency": "XBT" }),
        )
        .await;
    assert_error(status, &body, 422, "validation_failed");
    let (status, body) = alice
        .post(
            &accounts,
            json!({ "name": "Wallet", "kind": "purse", "currency": "EUR" }),
        )
        .await;
    assert_error(status, &body, 422, "validation_failed");
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn names_are_unique_per_ledger_ignoring_case(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = api.user("Alice").await;
    let accounts = format!("/api/v1/ledgers/{ledger}/accounts");
    let body = json!({ "name": "Checking", "kind": "checking", "currency": "EUR" });
    assert_eq!(alice.post(&accounts, body).await.0, 201);
    let (status, body) = alice
        .post(
            &accounts,
            json!({ "name": "checking", "kind": "checking", "currency": "EUR" }),
        )
        .await;
    assert_error(status, &body, 409, "conflict");
}

async fn insert_transaction(pool: &PgPool, ledger: Uuid, account: Uuid, amount: Decimal) {
    sqlx::query(
        "INSERT INTO transactions (ledger_id, account_id, booked_on, amount) VALUES ($1, $2, '2026-11-01', $3)",
    )
    .bind(ledger)
    .bind(account)
    .bind(amount)
    .execute(pool)
    .await
    .expect("insert");
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn the_balance_is_opening_plus_every_transaction_exactly(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = api.user("Alice").await;
    let (_, account) = alice
        .post(
            &format!("/api/v1/ledgers/{ledger}/accounts"),
            json!({
                "name": "Checking", "kind": "checking", "currency": "EUR", "opening_balance": "0.10"
            }),
        )
        .await;
    let account_id: Uuid = account["id"].as_str().expect("id").parse().expect("uuid");
    // 0.1 + 0.2 style amounts that a float would get wrong.
    for cents in [20, 70, -1, 100_000_001, -9_999_999] {
        insert_transaction(&api.pool, ledger, account_id, Decimal::new(cents, 2)).await;
    }
    let (_, shown) = alice
        .get(&format!("/api/v1/ledgers/{ledger}/accounts/{account_id}"))
        .await;
    // 0.10 + 0.20 + 0.70 - 0.01 + 1,000,000.01 - 99,999.99
    assert_eq!(shown["balance"], "900001.01", "{shown}");
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn archived_accounts_hide_from_the_list_and_used_ones_cannot_be_deleted(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = api.user("Alice").await;
    let accounts = format!("/api/v1/ledgers/{ledger}/accounts");
    let (_, old) = alice
        .post(
            &accounts,
            json!({ "name": "Old card", "kind": "credit_card", "currency": "EUR" }),
        )
        .await;
    let old_id: Uuid = old["id"].as_str().expect("id").parse().expect("uuid");
    insert_transaction(&api.pool, ledger, old_id, Decimal::new(-500, 2)).await;

    let path = format!("{accounts}/{old_id}");
    let (status, body) = alice.send(Method::DELETE, &path, None).await;
    assert_error(status, &body, 409, "conflict");

    let (status, archived) = alice
        .send(Method::PATCH, &path, Some(json!({ "archived": true })))
        .await;
    assert_eq!(
        (status, &archived["archived"]),
        (200, &json!(true)),
        "{archived}"
    );
    assert_eq!(alice.get(&accounts).await.1, json!([]));
    let (_, all) = alice
        .get(&format!("{accounts}?include_archived=true"))
        .await;
    assert_eq!(all[0]["name"], "Old card");

    let (_, empty) = alice
        .post(
            &accounts,
            json!({ "name": "Unused", "kind": "cash", "currency": "EUR" }),
        )
        .await;
    let (status, _) = alice
        .send(
            Method::DELETE,
            &format!("{accounts}/{}", empty["id"].as_str().expect("id")),
            None,
        )
        .await;
    assert_eq!(status, 204);
}
