//! Exchange rates and the dashboard reports, on a small ledger whose totals are worked out
//! by hand in the comments.

mod support;

use serde_json::{Value, json};
use sqlx::PgPool;
use support::{Client, TestApi, assert_error};
use uuid::Uuid;

async fn account(
    client: &Client,
    ledger: Uuid,
    name: &str,
    currency: &str,
    opening: &str,
) -> Value {
    let (status, body) = client
        .post(
            &format!("/api/v1/ledgers/{ledger}/accounts"),
            json!({
                "name": name, "kind": "checking", "currency": currency, "opening_balance": opening
            }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    body["id"].clone()
}

/// A EUR ledger with EUR, USD and GBP accounts; USD has rates, GBP has none.
async fn household(api: &TestApi) -> (Client, Uuid) {
    let (alice, ledger) = api.user("Alice").await;
    let eur = account(&alice, ledger, "Checking", "EUR", "1000.00").await;
    let savings = account(&alice, ledger, "Savings", "EUR", "0").await;
    let usd = account(&alice, ledger, "US card", "USD", "0").await;
    let gbp = account(&alice, ledger, "UK account", "GBP", "0").await;
    let groceries = api.category(ledger, "Groceries").await;
    let restaurants = api.category(ledger, "Restaurants & cafes").await;
    let household = api.category(ledger, "Household goods").await;
    let salary = api.category(ledger, "Salary").await;

    let (status, body) = alice
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/ledgers/{ledger}/exchange-rates"),
            Some(json!({
                "currency": "USD", "date": "2026-09-01", "rate": "0.9"
            })),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let response = alice
        .http
        .post(format!(
            "{}/api/v1/ledgers/{ledger}/exchange-rates/import",
            api.base
        ))
        .header("x-csrf-token", alice.csrf.clone().unwrap_or_default())
        .header("content-type", "text/csv")
        .body("date,currency,rate\n2026-10-15,USD,0.8\n")
        .send()
        .await
        .expect("import");
    assert_eq!(response.status(), 200);

    let txns = format!("/api/v1/ledgers/{ledger}/transactions");
    for body in [
        json!({ "account_id": eur, "date": "2026-09-05", "amount": "-100.00", "payee": "Lidl", "category_id": groceries }),
        json!({ "account_id": eur, "date": "2026-09-10", "amount": "2000.00", "payee": "ACME", "category_id": salary }),
        json!({ "account_id": usd, "date": "2026-09-12", "amount": "-50.00", "payee": "Diner", "category_id": restaurants }),
        json!({ "account_id": gbp, "date": "2026-09-01", "amount": "-5.00", "payee": "Pub" }),
        json!({ "account_id": eur, "date": "2026-10-03", "amount": "-30.00", "payee": "Target", "splits": [
            { "category_id": groceries, "amount": "-20.00" }, { "category_id": household, "amount": "-10.00" }
        ] }),
        json!({ "account_id": usd, "date": "2026-10-20", "amount": "-10.00", "payee": "Mystery" }),
    ] {
        let (status, answer) = alice.post(&txns, body).await;
        assert_eq!(status, 201, "{answer}");
    }
    let (status, answer) = alice
        .post(&format!("/api/v1/ledgers/{ledger}/transfers"), json!({
            "from_account_id": eur, "to_account_id": savings, "date": "2026-10-04", "amount": "500.00"
        }))
        .await;
    assert_eq!(status, 201, "{answer}");
    (alice, ledger)
}

fn report(client_answer: (u16, Value)) -> Value {
    assert_eq!(client_answer.0, 200, "{}", client_answer.1);
    client_answer.1
}

const PERIOD: &str = "from=2026-09-01&to=2026-10-31";

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn spending_by_category_converts_counts_splits_and_names_missing_rates(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = household(&api).await;
    let r = report(
        alice
            .get(&format!(
                "/api/v1/ledgers/{ledger}/analytics/spending-by-category?{PERIOD}"
            ))
            .await,
    );
    assert_eq!(r["currency"], "EUR");
    let rows: Vec<(Value, Value)> = r["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| (i["category"].clone(), i["amount"].clone()))
        .collect();
    // Groceries 100 + 20 (split part); the diner's 50 USD at 0.9; household 10 (split);
    // the uncategorised 10 USD at 0.8 (the rate from 15 October on). Salary is income.
    assert_eq!(
        rows,
        vec![
            (json!("Groceries"), json!("120.00")),
            (json!("Restaurants & cafes"), json!("45.00")),
            (json!("Household goods"), json!("10.00")),
            (Value::Null, json!("8.00")),
        ]
    );
    assert_eq!(
        r["missing_rates"],
        json!([{ "currency": "GBP", "first_date": "2026-09-01", "last_date": "2026-09-01" }])
    );
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn cash_flow_and_net_worth_per_month(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = household(&api).await;
    let flow = report(
        alice
            .get(&format!(
                "/api/v1/ledgers/{ledger}/analytics/cash-flow?{PERIOD}"
            ))
            .await,
    );
    assert_eq!(
        flow["items"],
        json!([
            { "month": "2026-09-01", "income": "2000.00", "expense": "145.00", "net": "1855.00" },
            { "month": "2026-10-01", "income": "0.00", "expense": "38.00", "net": "-38.00" },
        ]),
        "the transfer is neither income nor expense"
    );

    let worth = report(
        alice
            .get(&format!(
                "/api/v1/ledgers/{ledger}/analytics/net-worth?{PERIOD}"
            ))
            .await,
    );
    // 30 Sep: checking 1000 - 100 + 2000; US card -50 USD at 0.9. (GBP has no rate.)
    // 31 Oct: checking 2900 - 30 - 500; savings 500; US card -60 USD at 0.8.
    assert_eq!(
        worth["items"],
        json!([
            { "date": "2026-09-30", "net_worth": "2855.00" },
            { "date": "2026-10-31", "net_worth": "2822.00" },
        ])
    );
    let mid = report(
        alice
            .get(&format!(
                "/api/v1/ledgers/{ledger}/analytics/net-worth?from=2026-10-01&to=2026-10-03"
            ))
            .await,
    );
    assert_eq!(
        mid["items"],
        json!([{ "date": "2026-10-03", "net_worth": "2825.00" }]),
        "a period ending mid-month"
    );
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn top_payees_rank_spending(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = household(&api).await;
    let r = report(
        alice
            .get(&format!(
                "/api/v1/ledgers/{ledger}/analytics/top-payees?{PERIOD}&limit=3"
            ))
            .await,
    );
    let names: Vec<(&str, &str)> = r["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            (
                i["payee"].as_str().unwrap_or_default(),
                i["amount"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [("Lidl", "100.00"), ("Diner", "45.00"), ("Target", "30.00")]
    );
    let (status, body) = alice
        .get(&format!(
            "/api/v1/ledgers/{ledger}/analytics/top-payees?limit=0"
        ))
        .await;
    assert_error(status, &body, 400, "bad_request");
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn rates_are_validated_and_the_base_currency_has_none(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = api.user("Alice").await;
    let rates = format!("/api/v1/ledgers/{ledger}/exchange-rates");
    let (status, body) = alice
        .send(
            reqwest::Method::PUT,
            &rates,
            Some(json!({ "currency": "EUR", "date": "2026-09-01", "rate": "1.1" })),
        )
        .await;
    assert_error(status, &body, 422, "validation_failed");
    let (status, body) = alice
        .send(
            reqwest::Method::PUT,
            &rates,
            Some(json!({ "currency": "usd", "date": "someday", "rate": "-1" })),
        )
        .await;
    assert_error(status, &body, 422, "validation_failed");
    assert_eq!(
        body["error"]["details"]["fields"].as_array().map(Vec::len),
        Some(3)
    );

    let response = alice
        .http
        .post(format!("{}{rates}/import", api.base))
        .header("x-csrf-token", alice.csrf.clone().unwrap_or_default())
        .header("content-type", "text/csv")
        .body("date,currency,rate\n2026-09-01,USD,0.9\n2026-09-02,USD,oops\n")
        .send()
        .await
        .expect("import");
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["error"]["details"]["fields"][0]["field"], "line 3");
    assert_eq!(alice.get(&rates).await.1, json!([]), "all or nothing");
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn the_daily_rollup_stays_equal_to_the_transactions_through_edits(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = household(&api).await;
    let txns = format!("/api/v1/ledgers/{ledger}/transactions");
    let (_, page) = alice.get(&format!("{txns}?limit=500")).await;
    let items = page["items"].as_array().expect("items").clone();
    // Move one to another day and amount, delete a transfer leg (both go), bulk-edit tags.
    let plain = items
        .iter()
        .find(|t| t["transfer_id"].is_null() && t["splits"] == json!([]))
        .expect("plain");
    let (status, _) = alice
        .send(
            reqwest::Method::PATCH,
            &format!("{txns}/{}", plain["id"].as_str().expect("id")),
            Some(json!({
                "date": "2026-08-31", "amount": "-77.77"
            })),
        )
        .await;
    assert_eq!(status, 200);
    let leg = items
        .iter()
        .find(|t| !t["transfer_id"].is_null())
        .expect("a transfer leg");
    assert_eq!(
        alice
            .send(
                reqwest::Method::DELETE,
                &format!("{txns}/{}", leg["id"].as_str().expect("id")),
                None
            )
            .await
            .0,
        204
    );
    let ids: Vec<&Value> = items
        .iter()
        .map(|t| &t["id"])
        .filter(|id| *id != &leg["id"])
        .collect();
    let ids: Vec<&Value> = ids
        .into_iter()
        .filter(|id| {
            items
                .iter()
                .any(|t| &t["id"] == *id && t["transfer_id"].is_null())
        })
        .collect();
    assert_eq!(
        alice
            .post(
                &format!("{txns}/bulk"),
                json!({ "ids": ids, "add_tags": ["x"] })
            )
            .await
            .0,
        200
    );

    let mismatch: i64 = sqlx::query_scalar(
        "WITH truth AS (
             SELECT ledger_id, account_id, booked_on AS day, transfer_id IS NOT NULL AS is_transfer,
                    COALESCE(sum(amount) FILTER (WHERE amount > 0), 0) AS inflow,
                    COALESCE(-sum(amount) FILTER (WHERE amount < 0), 0) AS outflow
             FROM transactions GROUP BY 1, 2, 3, 4
         ), rollup AS (
             SELECT ledger_id, account_id, day, is_transfer, inflow, outflow FROM daily_flows
             WHERE inflow <> 0 OR outflow <> 0
         )
         SELECT count(*) FROM ((TABLE truth EXCEPT TABLE rollup) UNION ALL (TABLE rollup EXCEPT TABLE truth)) d",
    )
    .fetch_one(&api.pool)
    .await
    .expect("compare");
    assert_eq!(
        mismatch, 0,
        "daily_flows equals the transactions it summarises"
    );
}

/// How many (ledger, day, category, currency) sums differ between the category rollup and
/// the `category_lines` view it must equal.
async fn category_rollup_mismatch(pool: &PgPool) -> i64 {
    sqlx::query_scalar(
        "WITH truth AS (
             SELECT ledger_id, booked_on AS day, category_id, currency, sum(amount) AS amount,
                    count(*) AS lines
             FROM category_lines GROUP BY 1, 2, 3, 4
         ), rollup AS (
             SELECT ledger_id, day, category_id, currency, amount, lines
             FROM daily_category_flows WHERE lines <> 0 OR amount <> 0
         )
         SELECT count(*) FROM ((TABLE truth EXCEPT TABLE rollup) UNION ALL (TABLE rollup EXCEPT TABLE truth)) d",
    )
    .fetch_one(pool)
    .await
    .expect("compare")
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn the_category_rollup_stays_equal_to_the_lines_through_splits_moves_and_deletes(
    pool: PgPool,
) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = household(&api).await;
    let db = &api.pool;
    assert_eq!(category_rollup_mismatch(db).await, 0, "after the fixture");

    let category = |name: &'static str| async move {
        sqlx::query_scalar::<_, Uuid>(
            "SELECT id FROM categories WHERE ledger_id = $1 AND name = $2",
        )
        .bind(ledger)
        .bind(name)
        .fetch_one(db)
        .await
        .expect(name)
    };
    let groceries = category("Groceries").await;
    let household_goods = category("Household goods").await;
    let restaurants = category("Restaurants & cafes").await;
    let (eur, usd): (Uuid, Uuid) = sqlx::query_as(
        "SELECT (SELECT id FROM accounts WHERE ledger_id = $1 AND name = 'Checking'),
                (SELECT id FROM accounts WHERE ledger_id = $1 AND name = 'US card')",
    )
    .bind(ledger)
    .fetch_one(db)
    .await
    .expect("accounts");

    // Each step is one committed database transaction, as the API writes them; the
    // rollup must match after every one.
    let split: Uuid = Uuid::new_v4();
    let steps: Vec<(&str, Vec<String>)> = vec![
        (
            "a split transaction written transaction first",
            vec![
                format!("INSERT INTO transactions (id, ledger_id, account_id, booked_on, amount, payee)
                         VALUES ('{split}', '{ledger}', '{eur}', '2026-09-20', -30, 'Split')"),
                format!("INSERT INTO transaction_splits (transaction_id, position, ledger_id, category_id, amount)
                         VALUES ('{split}', 0, '{ledger}', '{groceries}', -10),
                                ('{split}', 1, '{ledger}', '{household_goods}', -20)"),
            ],
        ),
        (
            "the split transaction moved to another day and account currency",
            vec![format!(
                "UPDATE transactions SET booked_on = '2026-08-02', account_id = '{usd}' WHERE id = '{split}'"
            )],
        ),
        (
            "its parts replaced",
            vec![
                format!("DELETE FROM transaction_splits WHERE transaction_id = '{split}'"),
                format!("INSERT INTO transaction_splits (transaction_id, position, ledger_id, category_id, amount)
                         VALUES ('{split}', 0, '{ledger}', '{restaurants}', -5),
                                ('{split}', 1, '{ledger}', '{groceries}', -5),
                                ('{split}', 2, '{ledger}', '{household_goods}', -20)"),
            ],
        ),
        (
            "one part recategorised",
            vec![format!(
                "UPDATE transaction_splits SET category_id = '{groceries}' WHERE transaction_id = '{split}' AND position = 2"
            )],
        ),
        (
            "amount and parts changed together, parts first",
            vec![
                format!("UPDATE transaction_splits SET amount = amount * 2 WHERE transaction_id = '{split}'"),
                format!("UPDATE transactions SET amount = -60 WHERE id = '{split}'"),
            ],
        ),
        (
            "unsplit into one category",
            vec![
                format!("DELETE FROM transaction_splits WHERE transaction_id = '{split}'"),
                format!("UPDATE transactions SET category_id = '{restaurants}', category_source = 'user' WHERE id = '{split}'"),
            ],
        ),
        (
            "split again, parts first, category cleared after",
            vec![
                format!("INSERT INTO transaction_splits (transaction_id, position, ledger_id, category_id, amount)
                         VALUES ('{split}', 0, '{ledger}', '{groceries}', -59.99),
                                ('{split}', 1, '{ledger}', '{household_goods}', -0.01)"),
                format!("UPDATE transactions SET category_id = NULL, category_source = NULL WHERE id = '{split}'"),
            ],
        ),
        (
            "categories merged",
            vec![
                format!("UPDATE transactions SET category_id = '{groceries}' WHERE category_id = '{restaurants}'"),
                format!("UPDATE transaction_splits SET category_id = '{groceries}' WHERE category_id = '{restaurants}'"),
            ],
        ),
        (
            "the split transaction deleted with its parts",
            vec![format!("DELETE FROM transactions WHERE id = '{split}'")],
        ),
        (
            "every transaction of the ledger deleted at once",
            vec![format!("DELETE FROM transactions WHERE ledger_id = '{ledger}'")],
        ),
    ];
    for (step, statements) in steps {
        let mut tx = service_kit::stores::begin(db).await.expect("begin");
        for statement in &statements {
            sqlx::query(statement)
                .execute(&mut *tx)
                .await
                .unwrap_or_else(|e| panic!("{step}: {e}\n{statement}"));
        }
        tx.commit().await.unwrap_or_else(|e| panic!("{step}: {e}"));
        assert_eq!(category_rollup_mismatch(db).await, 0, "after: {step}");
    }
    let left: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM daily_category_flows WHERE ledger_id = $1 AND (lines <> 0 OR amount <> 0)",
    )
    .bind(ledger)
    .fetch_one(db)
    .await
    .expect("left");
    assert_eq!(left, 0, "no transactions, nothing in the rollup");

    // A second ledger with a split transaction goes away whole.
    let (bob, other) = api.user("Bob").await;
    let account = account(&bob, other, "Bob's", "EUR", "0").await;
    let food = api.category(other, "Groceries").await;
    let home = api.category(other, "Household goods").await;
    let (status, body) = bob
        .post(
            &format!("/api/v1/ledgers/{other}/transactions"),
            json!({ "account_id": account, "date": "2026-10-03", "amount": "-3.00", "splits": [
                { "category_id": food, "amount": "-2.00" }, { "category_id": home, "amount": "-1.00" }
            ] }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = bob
        .send(
            reqwest::Method::DELETE,
            &format!("/api/v1/ledgers/{other}"),
            None,
        )
        .await;
    assert_eq!(
        status, 204,
        "a ledger with split transactions can be deleted: {body}"
    );
    assert_eq!(
        category_rollup_mismatch(db).await,
        0,
        "after deleting a ledger"
    );
    drop(alice);
}
