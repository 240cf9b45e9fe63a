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

/// The constraint's name on a database error, for the account key's checks.
fn violated_constraint(result: Result<sqlx::postgres::PgQueryResult, sqlx::Error>) -> String {
    let error = result.expect_err("the write should have failed");
    let db = error.as_database_error().expect("a database error");
    assert_eq!(db.code().as_deref(), Some("23503"), "{db}");
    db.constraint().expect("a constraint name").to_owned()
}

/// Waits until some backend of the test database waits for a lock.
async fn someone_waits_for_a_lock(pool: &PgPool) {
    for _ in 0..500 {
        let waiting: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT FROM pg_locks l JOIN pg_stat_activity a USING (pid)
                            WHERE NOT l.granted AND a.datname = current_database())",
        )
        .fetch_one(pool)
        .await
        .expect("pg_locks");
        if waiting {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("no backend ever waited for a lock");
}

/// The account key is checked per statement (migration 19), not by a foreign key:
/// the same rule, the same error, the same lock against a concurrent delete, in either
/// order, and no lock for an edit that keeps the key.
#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn a_transaction_needs_an_account_of_its_ledger_and_keeps_it(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = api.user("Alice").await;
    let (bob, bobs_ledger) = api.user("Bob").await;
    let new_account =
        |name: &'static str| json!({ "name": name, "kind": "checking", "currency": "EUR" });
    let id =
        |v: &serde_json::Value| -> Uuid { v["id"].as_str().expect("id").parse().expect("uuid") };
    let accounts = format!("/api/v1/ledgers/{ledger}/accounts");
    let mine = id(&alice.post(&accounts, new_account("Mine")).await.1);
    let spare = id(&alice.post(&accounts, new_account("Spare")).await.1);
    let bobs = id(&bob
        .post(
            &format!("/api/v1/ledgers/{bobs_ledger}/accounts"),
            new_account("Bob's"),
        )
        .await
        .1);
    let key = "transactions_account_id_ledger_id_fkey";
    let insert = |account: Uuid| {
        sqlx::query(
            "INSERT INTO transactions (ledger_id, account_id, booked_on, amount)
             SELECT $1, a, '2026-11-01', 1 FROM UNNEST($2::uuid[]) AS a",
        )
        .bind(ledger)
        .bind(vec![mine, account, mine])
    };

    // Another ledger's account, or none, anywhere in a multi-row insert.
    for account in [bobs, Uuid::new_v4()] {
        assert_eq!(
            violated_constraint(insert(account).execute(&api.pool).await),
            key
        );
    }
    insert(mine).execute(&api.pool).await.expect("own account");
    // Moving rows to another ledger's account; to one of its own is fine.
    let moved = sqlx::query("UPDATE transactions SET account_id = $2 WHERE ledger_id = $1");
    let result = moved.bind(ledger).bind(bobs).execute(&api.pool).await;
    assert_eq!(violated_constraint(result), key);
    // An account in use can neither go nor change its key, even around the API's own check.
    let delete = |account: Uuid| sqlx::query("DELETE FROM accounts WHERE id = $1").bind(account);
    assert_eq!(
        violated_constraint(delete(mine).execute(&api.pool).await),
        key
    );
    let rekey = sqlx::query("UPDATE accounts SET id = gen_random_uuid() WHERE id = $1").bind(mine);
    assert_eq!(violated_constraint(rekey.execute(&api.pool).await), key);
    sqlx::query("UPDATE accounts SET name = 'Renamed' WHERE id = $1")
        .bind(mine)
        .execute(&api.pool)
        .await
        .expect("a rename keeps the key");

    // An edit that keeps the key does not lock the account (the model's categorisations):
    // the account can be locked for its own edit meanwhile.
    let mut editor = service_kit::stores::begin(&api.pool).await.expect("begin");
    sqlx::query("UPDATE transactions SET notes = 'edited' WHERE ledger_id = $1")
        .bind(ledger)
        .execute(&mut *editor)
        .await
        .expect("edit");
    sqlx::query("SELECT FROM accounts WHERE id = $1 FOR UPDATE NOWAIT")
        .bind(mine)
        .execute(&api.pool)
        .await
        .expect("the account is not locked by an edit of its transactions");
    editor.rollback().await.expect("rollback");
    // Emptying the accounts but not the transactions fails; emptying both works.
    let truncate = sqlx::query("TRUNCATE accounts CASCADE")
        .execute(&api.pool)
        .await;
    assert_eq!(violated_constraint(truncate), key);

    // A writer first: the delete waits for it and then sees its rows.
    let insert_one = move |account: Uuid| {
        sqlx::query(
            "INSERT INTO transactions (ledger_id, account_id, booked_on, amount) VALUES ($1, $2, '2026-11-02', 1)",
        )
        .bind(ledger)
        .bind(account)
    };
    let mut writer = service_kit::stores::begin(&api.pool).await.expect("begin");
    insert_one(spare)
        .execute(&mut *writer)
        .await
        .expect("insert");
    let pool = api.pool.clone();
    let deleting = tokio::spawn(async move { delete(spare).execute(&pool).await });
    someone_waits_for_a_lock(&api.pool).await;
    writer.commit().await.expect("commit");
    assert_eq!(violated_constraint(deleting.await.expect("join")), key);

    // A delete first: the writer waits for it and then finds no account.
    let gone = id(&alice.post(&accounts, new_account("Gone")).await.1);
    let mut deleter = service_kit::stores::begin(&api.pool).await.expect("begin");
    delete(gone)
        .execute(&mut *deleter)
        .await
        .expect("unused account");
    let pool = api.pool.clone();
    let writing = tokio::spawn(async move { insert_one(gone).execute(&pool).await });
    someone_waits_for_a_lock(&api.pool).await;
    deleter.commit().await.expect("commit");
    assert_eq!(violated_constraint(writing.await.expect("join")), key);
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM transactions WHERE ledger_id = $1")
        .bind(ledger)
        .fetch_one(&api.pool)
        .await
        .expect("count");
    assert_eq!(rows, 4);
}
