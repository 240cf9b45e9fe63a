//! `seed-demo`: a usable demo account, created once.

mod support;

use api::demo::{DEMO_EMAIL, DEMO_PASSWORD, seed};
use rust_decimal::Decimal;
use serde_json::json;
use sqlx::PgPool;
use support::TestApi;

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn the_demo_user_signs_in_to_a_year_of_data_and_seeding_twice_changes_nothing(pool: PgPool) {
    assert!(seed(&pool).await.expect("first seed"), "created");
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM transactions")
            .fetch_one(&pool)
            .await
            .expect("count")
    };
    let transactions = count().await;
    assert!(transactions > 365, "{transactions}");
    assert!(!seed(&pool).await.expect("second seed"), "nothing to do");
    assert_eq!(count().await, transactions);

    let transfers_balance: Decimal = sqlx::query_scalar(
        "SELECT COALESCE(sum(amount), 0) FROM transactions WHERE transfer_id IS NOT NULL",
    )
    .fetch_one(&pool)
    .await
    .expect("sum");
    assert_eq!(transfers_balance, Decimal::ZERO, "transfer legs cancel out");

    let api = TestApi::start(pool).await;
    let client = api.client();
    let (status, body) = client
        .post(
            "/api/v1/auth/login",
            json!({ "email": DEMO_EMAIL, "password": DEMO_PASSWORD }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, ledgers) = client.get("/api/v1/ledgers").await;
    let ledger = ledgers[0]["id"].as_str().expect("ledger");
    let (_, accounts) = client
        .get(&format!("/api/v1/ledgers/{ledger}/accounts"))
        .await;
    assert_eq!(accounts.as_array().map(Vec::len), Some(4));
    let (_, page) = client
        .get(&format!(
            "/api/v1/ledgers/{ledger}/transactions?uncategorized=true&limit=5"
        ))
        .await;
    assert_eq!(
        page["items"].as_array().map(Vec::len),
        Some(5),
        "some left for the model"
    );
}
