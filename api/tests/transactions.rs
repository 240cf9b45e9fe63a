//! Transactions end to end: validation, splits, transfers, filters, keyset pages,
//! idempotent creation, bulk edits, and exact balances under random amounts.

mod support;

use std::collections::HashSet;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use reqwest::Method;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use sqlx::PgPool;
use support::{Client, TestApi, assert_error};
use uuid::Uuid;

async fn account(client: &Client, ledger: Uuid, name: &str, currency: &str) -> String {
    let (status, body) = client
        .post(
            &format!("/api/v1/ledgers/{ledger}/accounts"),
            json!({
                "name": name, "kind": "checking", "currency": currency
            }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_str().expect("id").to_owned()
}

async fn balance(client: &Client, ledger: Uuid, account: &str) -> Decimal {
    let (_, body) = client
        .get(&format!("/api/v1/ledgers/{ledger}/accounts/{account}"))
        .await;
    body["balance"]
        .as_str()
        .expect("balance")
        .parse()
        .expect("decimal")
}

fn txns(ledger: Uuid) -> String {
    format!("/api/v1/ledgers/{ledger}/transactions")
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn a_transaction_is_created_read_edited_and_deleted(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = api.user("Alice").await;
    let checking = account(&alice, ledger, "Checking", "EUR").await;
    let groceries = api.category(ledger, "Groceries").await;

    let (status, created) = alice
        .post(
            &txns(ledger),
            json!({
                "account_id": checking, "date": "2026-11-20", "amount": "-42.5",
                "payee": "  Lidl ", "description": "LIDL 1234 BERLIN", "category_id": groceries,
                "tags": ["food", "food", " weekly "], "status": "pending"
            }),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["amount"], "-42.50");
    assert_eq!(created["currency"], "EUR");
    assert_eq!(created["payee"], "Lidl");
    assert_eq!(created["category_source"], "user");
    assert_eq!(created["tags"], json!(["food", "weekly"]));
    assert_eq!(created["status"], "pending");
    let id = created["id"].as_str().expect("id");
    let path = format!("{}/{id}", txns(ledger));
    assert_eq!(alice.get(&path).await.1, created);

    let (status, edited) = alice
        .send(
            Method::PATCH,
            &path,
            Some(json!({ "category_id": null, "status": "cleared", "notes": "split bill" })),
        )
        .await;
    assert_eq!(status, 200, "{edited}");
    assert_eq!(
        (
            edited["category_id"].clone(),
            edited["category_source"].clone()
        ),
        (Value::Null, Value::Null)
    );
    assert_eq!(edited["notes"], "split bill");
    assert_eq!(edited["payee"], "Lidl", "omitted fields keep their value");
    assert_eq!(
        balance(&alice, ledger, &checking).await,
        Decimal::new(-4250, 2)
    );

    assert_eq!(alice.send(Method::DELETE, &path, None).await.0, 204);
    assert_eq!(alice.get(&path).await.0, 404);
    assert_eq!(balance(&alice, ledger, &checking).await, Decimal::ZERO);
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn bad_transactions_are_rejected_field_by_field(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = api.user("Alice").await;
    let (bob, bobs_ledger) = api.user("Bob").await;
    let checking = account(&alice, ledger, "Checking", "EUR").await;
    let yen = account(&alice, ledger, "Yen", "JPY").await;
    let bobs_account = account(&bob, bobs_ledger, "Bob's", "EUR").await;
    let bobs_category = api.category(bobs_ledger, "Groceries").await;
    let groceries = api.category(ledger, "Groceries").await;

    let cases = [
        (
            json!({ "account_id": checking, "date": "2026-13-01", "amount": "1" }),
            "date",
        ),
        (
            json!({ "account_id": checking, "date": "2026-11-01", "amount": "1.001" }),
            "amount",
        ),
        (
            json!({ "account_id": yen, "date": "2026-11-01", "amount": "100.5" }),
            "amount",
        ),
        (
            json!({ "account_id": bobs_account, "date": "2026-11-01", "amount": "1" }),
            "account_id",
        ),
        (
            json!({ "account_id": checking, "date": "2026-11-01", "amount": "1", "category_id": bobs_category }),
            "category_id",
        ),
        (
            json!({ "account_id": checking, "date": "2026-11-01", "amount": "-10",
                 "splits": [{ "category_id": groceries, "amount": "-4" }, { "category_id": groceries, "amount": "-5" }] }),
            "splits",
        ),
        (
            json!({ "account_id": checking, "date": "2026-11-01", "amount": "-10", "category_id": groceries,
                 "splits": [{ "category_id": groceries, "amount": "-4" }, { "category_id": groceries, "amount": "-6" }] }),
            "category_id",
        ),
        (
            json!({ "account_id": checking, "date": "2026-11-01", "amount": "1", "payee": "x".repeat(201) }),
            "payee",
        ),
    ];
    for (body, field) in cases {
        let (status, answer) = alice.post(&txns(ledger), body.clone()).await;
        assert_error(status, &answer, 422, "validation_failed");
        let fields: Vec<&str> = answer["error"]["details"]["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .filter_map(|f| f["field"].as_str())
            .collect();
        assert!(fields.contains(&field), "{body}: {answer}");
    }
    let (_, page) = alice.get(&txns(ledger)).await;
    assert_eq!(page["items"], json!([]), "nothing was stored");
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn splits_always_sum_to_the_amount(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = api.user("Alice").await;
    let checking = account(&alice, ledger, "Checking", "EUR").await;
    let groceries = api.category(ledger, "Groceries").await;
    let household = api.category(ledger, "Household goods").await;

    let (status, created) = alice
        .post(&txns(ledger), json!({
            "account_id": checking, "date": "2026-11-02", "amount": "-100.00", "payee": "Supermarket",
            "splits": [
                { "category_id": groceries, "amount": "-66.67", "memo": "food" },
                { "category_id": household, "amount": "-33.33" }
            ]
        }))
        .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["splits"][0]["amount"], "-66.67");
    assert_eq!(created["splits"][1]["category_id"], household.as_str());
    let path = format!("{}/{}", txns(ledger), created["id"].as_str().expect("id"));

    // Changing the amount alone would break the sum: refused, nothing changes.
    let (status, body) = alice
        .send(Method::PATCH, &path, Some(json!({ "amount": "-90.00" })))
        .await;
    assert_error(status, &body, 422, "validation_failed");
    assert_eq!(alice.get(&path).await.1["amount"], "-100.00");

    // Category filters see split parts.
    let (_, page) = alice
        .get(&format!("{}?category_ids={household}", txns(ledger)))
        .await;
    assert_eq!(page["items"].as_array().map(Vec::len), Some(1));

    let (status, edited) = alice
        .send(Method::PATCH, &path, Some(json!({ "amount": "-90.00", "splits": [
            { "category_id": groceries, "amount": "-60.00" }, { "category_id": household, "amount": "-30.00" }
        ] })))
        .await;
    assert_eq!(status, 200, "{edited}");
    let (status, edited) = alice
        .send(
            Method::PATCH,
            &path,
            Some(json!({ "category_id": groceries })),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        edited["splits"],
        json!([]),
        "a category replaces the splits"
    );
    assert_eq!(edited["category_id"], groceries.as_str());
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn a_transfer_moves_money_as_one_pair(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = api.user("Alice").await;
    let checking = account(&alice, ledger, "Checking", "EUR").await;
    let savings = account(&alice, ledger, "Savings", "EUR").await;
    let dollars = account(&alice, ledger, "Dollars", "USD").await;
    let transfers = format!("/api/v1/ledgers/{ledger}/transfers");

    let (status, transfer) = alice
        .post(&transfers, json!({
            "from_account_id": checking, "to_account_id": savings, "date": "2026-11-03", "amount": "250.00"
        }))
        .await;
    assert_eq!(status, 201, "{transfer}");
    assert_eq!(transfer["from"]["amount"], "-250.00");
    assert_eq!(transfer["to"]["amount"], "250.00");
    assert_eq!(transfer["from"]["transfer_id"], transfer["transfer_id"]);
    assert_eq!(
        balance(&alice, ledger, &checking).await,
        Decimal::new(-25000, 2)
    );
    assert_eq!(
        balance(&alice, ledger, &savings).await,
        Decimal::new(25000, 2)
    );

    let leg = format!(
        "{}/{}",
        txns(ledger),
        transfer["to"]["id"].as_str().expect("id")
    );
    let (status, body) = alice
        .send(Method::PATCH, &leg, Some(json!({ "amount": "300.00" })))
        .await;
    assert_error(status, &body, 409, "conflict");
    let (status, moved) = alice
        .send(Method::PATCH, &leg, Some(json!({ "date": "2026-11-04" })))
        .await;
    assert_eq!((status, moved["date"].as_str()), (200, Some("2026-11-04")));
    let from_leg = format!(
        "{}/{}",
        txns(ledger),
        transfer["from"]["id"].as_str().expect("id")
    );
    assert_eq!(
        alice.get(&from_leg).await.1["date"],
        "2026-11-04",
        "both legs move together"
    );

    let (status, body) = alice
        .post(&transfers, json!({
            "from_account_id": checking, "to_account_id": dollars, "date": "2026-11-03", "amount": "100.00"
        }))
        .await;
    assert_error(status, &body, 422, "validation_failed");
    let (status, fx) = alice
        .post(
            &transfers,
            json!({
                "from_account_id": checking, "to_account_id": dollars, "date": "2026-11-03",
                "amount": "100.00", "to_amount": "108.37"
            }),
        )
        .await;
    assert_eq!(
        (status, fx["to"]["amount"].as_str()),
        (201, Some("108.37")),
        "{fx}"
    );

    let (status, body) = alice
        .post(&transfers, json!({
            "from_account_id": checking, "to_account_id": checking, "date": "2026-11-03", "amount": "-5"
        }))
        .await;
    assert_error(status, &body, 422, "validation_failed");
    assert_eq!(
        body["error"]["details"]["fields"].as_array().map(Vec::len),
        Some(2)
    );

    assert_eq!(alice.send(Method::DELETE, &leg, None).await.0, 204);
    assert_eq!(
        alice.get(&from_leg).await.0,
        404,
        "deleting one leg deletes the pair"
    );
    assert_eq!(balance(&alice, ledger, &savings).await, Decimal::ZERO);
}

async fn create(client: &Client, ledger: Uuid, body: Value) -> Value {
    let (status, created) = client.post(&txns(ledger), body).await;
    assert_eq!(status, 201, "{created}");
    created
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn lists_filter_by_every_criterion(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = api.user("Alice").await;
    let checking = account(&alice, ledger, "Checking", "EUR").await;
    let card = account(&alice, ledger, "Card", "EUR").await;
    let groceries = api.category(ledger, "Groceries").await;
    for (acct, date, amount, payee, cat, tags) in [
        (
            &checking,
            "2026-10-01",
            "-12.00",
            "Bakery",
            Some(&groceries),
            vec!["food"],
        ),
        (&checking, "2026-10-15", "2500.00", "Employer", None, vec![]),
        (
            &card,
            "2026-11-01",
            "-80.00",
            "50% off store",
            None,
            vec!["sale", "clothes"],
        ),
        (
            &card,
            "2026-11-20",
            "-5.50",
            "Coffee_Bar",
            Some(&groceries),
            vec!["food"],
        ),
    ] {
        create(
            &alice,
            ledger,
            json!({
                "account_id": acct, "date": date, "amount": amount, "payee": payee,
                "category_id": cat, "tags": tags
            }),
        )
        .await;
    }
    let payees = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|t| t["payee"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    let cases: Vec<(String, Vec<&str>)> = vec![
        (
            String::new(),
            vec!["Coffee_Bar", "50% off store", "Employer", "Bakery"],
        ),
        (
            "from=2026-10-10&to=2026-11-01".into(),
            vec!["50% off store", "Employer"],
        ),
        (
            format!("account_ids={card}"),
            vec!["Coffee_Bar", "50% off store"],
        ),
        (
            format!("account_ids={card},{checking}&sort=amount"),
            vec!["50% off store", "Bakery", "Coffee_Bar", "Employer"],
        ),
        (
            format!("category_ids={groceries}"),
            vec!["Coffee_Bar", "Bakery"],
        ),
        ("tags=sale,nothing".into(), vec!["50% off store"]),
        (
            "min_amount=-50&max_amount=0".into(),
            vec!["Coffee_Bar", "Bakery"],
        ),
        ("q=50%25".into(), vec!["50% off store"]),
        ("q=e_b".into(), vec!["Coffee_Bar"]),
        ("q=BAKE".into(), vec!["Bakery"]),
        (
            "uncategorized=true".into(),
            vec!["50% off store", "Employer"],
        ),
        ("sort=-amount&limit=1".into(), vec!["Employer"]),
    ];
    for (query, expected) in cases {
        let (status, page) = alice.get(&format!("{}?{query}", txns(ledger))).await;
        assert_eq!(status, 200, "{query}: {page}");
        assert_eq!(payees(&page), expected, "{query}");
    }
    let (status, body) = alice
        .get(&format!("{}?sort=payee&limit=9999", txns(ledger)))
        .await;
    assert_error(status, &body, 400, "bad_request");
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn keyset_pages_stay_stable_while_rows_are_added(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = api.user("Alice").await;
    let checking = account(&alice, ledger, "Checking", "EUR").await;
    let mut expected = HashSet::new();
    for day in 1..=9 {
        for n in 0..2 {
            let t = create(&alice, ledger, json!({
                "account_id": checking, "date": format!("2026-10-0{day}"), "amount": format!("-{day}.{n}0")
            }))
            .await;
            expected.insert(t["id"].as_str().expect("id").to_owned());
        }
    }
    for sort in ["-date", "date", "-amount", "amount"] {
        let existing: i64 = sqlx::query_scalar("SELECT count(*) FROM transactions")
            .fetch_one(&api.pool)
            .await
            .expect("count");
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        let mut pages = 0;
        loop {
            let query = match &cursor {
                Some(c) => format!("sort={sort}&limit=4&cursor={c}"),
                None => format!("sort={sort}&limit=4"),
            };
            let (status, page) = alice.get(&format!("{}?{query}", txns(ledger))).await;
            assert_eq!(status, 200, "{page}");
            seen.extend(
                page["items"]
                    .as_array()
                    .expect("items")
                    .iter()
                    .map(|t| t["id"].as_str().unwrap_or_default().to_owned()),
            );
            pages += 1;
            if pages == 1 {
                // A row added after the first page, newer than all and with the largest
                // amount, must not shift later pages.
                create(
                    &alice,
                    ledger,
                    json!({ "account_id": checking, "date": "2026-12-31", "amount": "999" }),
                )
                .await;
            }
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => break,
            }
        }
        let unique: HashSet<String> = seen.iter().cloned().collect();
        assert_eq!(unique.len(), seen.len(), "{sort}: no row twice");
        assert!(expected.is_subset(&unique), "{sort}: no row skipped");
        // The added row sorts first in the descending orders (before the cursor: not seen)
        // and last in the ascending ones (after it: seen on the last page).
        let added_seen = usize::from(!sort.starts_with('-'));
        let total = usize::try_from(existing).expect("count") + added_seen;
        assert_eq!(seen.len(), total, "{sort}");
        assert_eq!(pages, total.div_ceil(4), "{sort}");
    }
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn an_idempotency_key_makes_a_retry_return_the_same_transaction(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = api.user("Alice").await;
    let checking = account(&alice, ledger, "Checking", "EUR").await;
    let body = json!({ "account_id": checking, "date": "2026-11-05", "amount": "-9.99", "payee": "Netflix" });
    let send = |body: Value, key: &'static str| {
        let alice = alice.clone();
        let path = txns(ledger);
        async move {
            let response = alice
                .http
                .post(format!("{}{path}", alice.base))
                .header("x-csrf-token", alice.csrf.clone().unwrap_or_default())
                .header("idempotency-key", key)
                .json(&body)
                .send()
                .await
                .expect("send");
            (
                response.status().as_u16(),
                response.json::<Value>().await.expect("json"),
            )
        }
    };
    let (first_status, first) = send(body.clone(), "retry-1").await;
    let (second_status, second) = send(body.clone(), "retry-1").await;
    assert_eq!((first_status, second_status), (201, 201));
    assert_eq!(first, second, "the retry replays the first answer");
    let (_, page) = alice.get(&txns(ledger)).await;
    assert_eq!(
        page["items"].as_array().map(Vec::len),
        Some(1),
        "stored once"
    );

    let mut changed = body;
    changed["amount"] = json!("-19.99");
    let (status, answer) = send(changed, "retry-1").await;
    assert_error(status, &answer, 422, "validation_failed");
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn bulk_edit_sets_categories_and_tags_on_exactly_the_selection(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = api.user("Alice").await;
    let (bob, bobs_ledger) = api.user("Bob").await;
    let checking = account(&alice, ledger, "Checking", "EUR").await;
    let fuel = api.category(ledger, "Fuel").await;
    let mut ids = Vec::new();
    for amount in ["-40.00", "-55.00", "-61.00"] {
        let t = create(&alice, ledger, json!({
            "account_id": checking, "date": "2026-11-06", "amount": amount, "tags": ["car", "old"]
        }))
        .await;
        ids.push(t["id"].as_str().expect("id").to_owned());
    }
    let bulk = format!("{}/bulk", txns(ledger));
    let (status, result) = alice
        .post(&bulk, json!({ "ids": &ids[..2], "category_id": fuel, "add_tags": ["trip"], "remove_tags": ["old"] }))
        .await;
    assert_eq!(
        (status, result["updated"].as_u64()),
        (200, Some(2)),
        "{result}"
    );
    for (i, id) in ids.iter().enumerate() {
        let (_, t) = alice.get(&format!("{}/{id}", txns(ledger))).await;
        if i < 2 {
            assert_eq!(t["category_id"], fuel.as_str());
            assert_eq!(t["tags"], json!(["car", "trip"]));
        } else {
            assert_eq!(t["category_id"], Value::Null, "not selected");
            assert_eq!(t["tags"], json!(["car", "old"]));
        }
    }

    let bobs_account = account(&bob, bobs_ledger, "Bob's", "EUR").await;
    let bobs = create(
        &bob,
        bobs_ledger,
        json!({ "account_id": bobs_account, "date": "2026-11-06", "amount": "-1" }),
    )
    .await;
    let (status, body) = alice
        .post(
            &bulk,
            json!({ "ids": [ids[2], bobs["id"]], "add_tags": ["mine"] }),
        )
        .await;
    assert_error(status, &body, 404, "not_found");
    let (_, untouched) = alice.get(&format!("{}/{}", txns(ledger), ids[2])).await;
    assert_eq!(untouched["tags"], json!(["car", "old"]), "all or nothing");
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn splits_and_transfers_keep_balances_exact_for_random_amounts(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = api.user("Alice").await;
    let accounts = [
        account(&alice, ledger, "A", "EUR").await,
        account(&alice, ledger, "B", "EUR").await,
        account(&alice, ledger, "C", "EUR").await,
    ];
    let groceries = api.category(ledger, "Groceries").await;
    let household = api.category(ledger, "Household goods").await;
    let mut expected = [Decimal::ZERO; 3];

    // Random operations: (kind, from, to, cents, split share in cents).
    let strategy = proptest::collection::vec(
        (
            0..2u8,
            0..3usize,
            0..3usize,
            1..10_000_000i64,
            0..10_000_000i64,
        ),
        24,
    );
    let mut runner = TestRunner::default();
    let operations = strategy
        .new_tree(&mut runner)
        .expect("random operations")
        .current();
    for (kind, from, to, cents, share) in operations {
        let amount = Decimal::new(cents, 2);
        if kind == 0 && from != to {
            let (status, body) = alice
                .post(
                    &format!("/api/v1/ledgers/{ledger}/transfers"),
                    json!({
                        "from_account_id": accounts[from], "to_account_id": accounts[to],
                        "date": "2026-11-07", "amount": amount.to_string()
                    }),
                )
                .await;
            assert_eq!(status, 201, "{body}");
            expected[from] -= amount;
            expected[to] += amount;
        } else {
            let first = Decimal::new(-(share % cents), 2);
            let second = -amount - first;
            let (status, body) = alice
                .post(&txns(ledger), json!({
                    "account_id": accounts[from], "date": "2026-11-07", "amount": (-amount).to_string(),
                    "splits": [
                        { "category_id": groceries, "amount": first.to_string() },
                        { "category_id": household, "amount": second.to_string() }
                    ]
                }))
                .await;
            assert_eq!(status, 201, "{body}");
            expected[from] -= amount;
        }
    }
    for (account, expected) in accounts.iter().zip(expected) {
        assert_eq!(balance(&alice, ledger, account).await, expected);
    }
    let split_total: Decimal =
        sqlx::query_scalar("SELECT COALESCE(sum(amount), 0) FROM transaction_splits")
            .fetch_one(&api.pool)
            .await
            .expect("sum");
    let split_parents: Decimal = sqlx::query_scalar(
        "SELECT COALESCE(sum(amount), 0) FROM transactions t WHERE EXISTS (SELECT 1 FROM transaction_splits s WHERE s.transaction_id = t.id)",
    )
    .fetch_one(&api.pool)
    .await
    .expect("sum");
    assert_eq!(
        split_total, split_parents,
        "parts sum to their transactions"
    );
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn a_viewer_cannot_create_or_change_transactions(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = api.user("Alice").await;
    let (bob, _) = api.user("Bob").await;
    let checking = account(&alice, ledger, "Checking", "EUR").await;
    let t = create(
        &alice,
        ledger,
        json!({ "account_id": checking, "date": "2026-11-08", "amount": "-3" }),
    )
    .await;
    bob.join(&alice, ledger, "viewer").await;

    assert_eq!(bob.get(&txns(ledger)).await.0, 200);
    let (status, body) = bob
        .post(
            &txns(ledger),
            json!({ "account_id": checking, "date": "2026-11-08", "amount": "-3" }),
        )
        .await;
    assert_error(status, &body, 403, "insufficient_role");
    let path = format!("{}/{}", txns(ledger), t["id"].as_str().expect("id"));
    let (status, _) = bob
        .send(Method::PATCH, &path, Some(json!({ "notes": "x" })))
        .await;
    assert_eq!(status, 403);
    let (status, _) = bob.send(Method::DELETE, &path, None).await;
    assert_eq!(status, 403);
}
