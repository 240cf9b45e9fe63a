//! Imports end to end against the real Postgres and Redis: upload → preview → commit by the
//! job worker → undo; duplicates across files; a job that dies halfway resumes without losing
//! or repeating a row; mappings saved as presets; multi-account files; bad files; export.

mod support;

use std::collections::HashMap;
use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};
use sqlx::PgPool;
use support::{Client, IMPORT_MAX_BYTES, TestApi, assert_error};
use uuid::Uuid;

fn fixture(path: &str) -> Vec<u8> {
    let root =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/import");
    std::fs::read(root.join(path)).expect("fixture")
}

async fn account(client: &Client, ledger: Uuid, name: &str, currency: &str) -> Uuid {
    let (status, body) = client
        .post(
            &format!("/api/v1/ledgers/{ledger}/accounts"),
            json!({ "name": name, "kind": "checking", "currency": currency }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_str().expect("id").parse().expect("uuid")
}

async fn upload(client: &Client, ledger: Uuid, account: Uuid, bytes: Vec<u8>) -> Value {
    let (status, body) = client
        .upload(
            &format!(
                "/api/v1/ledgers/{ledger}/imports?account_id={account}&file_name=statement.csv"
            ),
            bytes,
        )
        .await;
    assert_eq!(status, 201, "{body}");
    body
}

fn id_of(import: &Value) -> String {
    import["id"].as_str().expect("id").to_owned()
}

async fn commit(
    client: &Client,
    ledger: Uuid,
    import: &Value,
    body: Option<Value>,
) -> (u16, Value) {
    client
        .send(
            Method::POST,
            &format!("/api/v1/ledgers/{ledger}/imports/{}/commit", id_of(import)),
            body,
        )
        .await
}

/// Runs the worker until the import leaves the queue; returns the import.
async fn finish(api: &TestApi, client: &Client, ledger: Uuid, import: &Value) -> Value {
    let worker = api.import_worker("test-worker", Duration::from_mins(1), 1_000);
    worker.ensure_group().await.expect("group");
    for _ in 0..50 {
        worker.step(Duration::from_millis(100)).await.expect("step");
        let (_, now) = client
            .get(&format!(
                "/api/v1/ledgers/{ledger}/imports/{}",
                id_of(import)
            ))
            .await;
        if now["status"] != "queued" && now["status"] != "running" {
            return now;
        }
    }
    panic!("the import did not finish");
}

async fn rows(api: &TestApi, account: Uuid) -> Vec<(String, String, String)> {
    sqlx::query_as::<_, (String, String, String)>(
        "SELECT booked_on::text, amount::numeric(20,2)::text, payee || '|' || description
         FROM transactions WHERE account_id = $1 ORDER BY booked_on, amount, payee",
    )
    .bind(account)
    .fetch_all(&api.pool)
    .await
    .expect("rows")
}

fn csv(lines: &[&str]) -> Vec<u8> {
    format!("Date,Payee,Amount\n{}\n", lines.join("\n")).into_bytes()
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn a_file_is_previewed_committed_in_the_background_and_undone(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = api.user("Alice").await;
    let checking = account(&alice, ledger, "Checking", "EUR").await;

    let preview = upload(&alice, ledger, checking, fixture("csv/csv2ofx/outbank.csv")).await;
    assert_eq!(preview["status"], "previewed");
    assert_eq!(preview["format"], "csv");
    assert_eq!(
        (preview["total_rows"].as_i64(), preview["new_rows"].as_i64()),
        (Some(4), Some(4))
    );
    assert_eq!(preview["mapping"]["delimiter"], ";");
    assert_eq!(preview["preview"]["sample"][1]["amount"], "-63.89");
    assert_eq!(preview["preview"]["sample"][1]["payee"], "Shell Gas");
    assert_eq!(preview["preview"]["sample"][1]["duplicate"], false);
    assert!(
        rows(&api, checking).await.is_empty(),
        "a preview writes nothing"
    );

    let (status, queued) = commit(&alice, ledger, &preview, None).await;
    assert_eq!(status, 202, "{queued}");
    assert_eq!(queued["status"], "queued");
    let (status, again) = commit(&alice, ledger, &preview, None).await;
    assert_error(status, &again, 409, "conflict");

    let done = finish(&api, &alice, ledger, &preview).await;
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(
        (
            done["committed_rows"].as_i64(),
            done["inserted_rows"].as_i64()
        ),
        (Some(4), Some(4))
    );
    let written = rows(&api, checking).await;
    assert_eq!(written.len(), 4);
    assert!(written.contains(&(
        "2019-02-08".into(),
        "-63.89".into(),
        "Shell Gas|Shell Gas purchase MASTER 0123456789".into()
    )));
    let queued_for_ml: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM transactions WHERE account_id = $1 AND category_id IS NULL",
    )
    .bind(checking)
    .fetch_one(&api.pool)
    .await
    .unwrap();
    assert_eq!(
        queued_for_ml, 4,
        "imported rows wait for the ML worker uncategorised"
    );

    let (status, undone) = alice
        .send(
            Method::DELETE,
            &format!("/api/v1/ledgers/{ledger}/imports/{}", id_of(&preview)),
            None,
        )
        .await;
    assert_eq!(status, 200, "{undone}");
    assert_eq!(undone["status"], "reverted");
    assert!(rows(&api, checking).await.is_empty());
    let (status, body) = alice
        .send(
            Method::DELETE,
            &format!("/api/v1/ledgers/{ledger}/imports/{}", id_of(&preview)),
            None,
        )
        .await;
    assert_error(status, &body, 409, "conflict");
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn reimporting_adds_nothing_twice_and_identical_rows_both_stay(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = api.user("Alice").await;
    let checking = account(&alice, ledger, "Checking", "EUR").await;
    // Two genuinely identical coffees on one day.
    let first = csv(&[
        "2024-01-05,Coffee,-3.50",
        "2024-01-05,Coffee,-3.50",
        "2024-01-06,Tea,-2.00",
    ]);
    let a = upload(&alice, ledger, checking, first.clone()).await;
    assert_eq!(commit(&alice, ledger, &a, None).await.0, 202);
    assert_eq!(finish(&api, &alice, ledger, &a).await["inserted_rows"], 3);

    let same = upload(&alice, ledger, checking, first).await;
    assert_eq!(
        (same["new_rows"].as_i64(), same["duplicate_rows"].as_i64()),
        (Some(0), Some(3))
    );
    assert!(
        same["preview"]["sample"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["duplicate"] == true)
    );

    let overlapping = csv(&[
        "2024-01-06,TEA,-2",
        "2024-01-05,Coffee,-3.50",
        "2024-01-05,Coffee,-3.50",
        "2024-01-07,Cake,-4.20",
    ]);
    let b = upload(&alice, ledger, checking, overlapping).await;
    assert_eq!(
        (b["new_rows"].as_i64(), b["duplicate_rows"].as_i64()),
        (Some(1), Some(3))
    );
    assert_eq!(commit(&alice, ledger, &b, None).await.0, 202);
    let done = finish(&api, &alice, ledger, &b).await;
    assert_eq!(
        (
            done["inserted_rows"].as_i64(),
            done["committed_rows"].as_i64()
        ),
        (Some(1), Some(4))
    );
    assert_eq!(rows(&api, checking).await.len(), 4);
    // The list filtered on an import shows the rows it added, and only those.
    let (status, page) = alice
        .get(&format!(
            "/api/v1/ledgers/{ledger}/transactions?import_id={}",
            id_of(&b)
        ))
        .await;
    assert_eq!(status, 200, "{page}");
    let payees: Vec<&str> = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|t| t["description"].as_str().or(t["payee"].as_str()))
        .collect();
    assert_eq!(payees.len(), 1, "{page}");

    // Undoing the second import removes only the row it added.
    let (status, _) = alice
        .send(
            Method::DELETE,
            &format!("/api/v1/ledgers/{ledger}/imports/{}", id_of(&b)),
            None,
        )
        .await;
    assert_eq!(status, 200);
    let left: Vec<String> = rows(&api, checking)
        .await
        .into_iter()
        .map(|r| r.2)
        .collect();
    assert_eq!(left, ["Coffee|", "Coffee|", "Tea|"]);
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn a_job_cut_off_halfway_resumes_without_losing_or_repeating_a_row(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = api.user("Alice").await;
    let checking = account(&alice, ledger, "Checking", "EUR").await;
    let lines: Vec<String> = (0..6_000)
        .map(|i| {
            format!(
                "2024-{:02}-{:02},Shop {},-{}.{:02}",
                1 + i % 12,
                1 + i % 28,
                i % 7,
                i,
                i % 100
            )
        })
        .collect();
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let import = upload(&alice, ledger, checking, csv(&lines)).await;
    assert_eq!(import["total_rows"], 6_000);
    assert_eq!(commit(&alice, ledger, &import, None).await.0, 202);

    // The first worker takes the job and dies once part of it is written. It has database
    // connections of its own, as another process would, and they end with it.
    let options = (*api.pool.connect_options())
        .clone()
        .application_name("doomed-import-worker");
    let doomed_pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(4)
        .connect_with(options)
        .await
        .expect("the doomed worker's pool");
    let mut first = api.import_worker("doomed", Duration::from_millis(300), 500);
    first.state.db = doomed_pool;
    first.ensure_group().await.expect("group");
    let running = tokio::spawn(async move { first.step(Duration::from_secs(1)).await });
    let id: Uuid = id_of(&import).parse().unwrap();
    let mut committed = 0;
    for _ in 0..4_000 {
        committed =
            sqlx::query_scalar::<_, i32>("SELECT committed_rows FROM imports WHERE id = $1")
                .bind(id)
                .fetch_one(&api.pool)
                .await
                .unwrap();
        if committed >= 1_000 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    running.abort();
    let _ = running.await;
    sqlx::query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND application_name = 'doomed-import-worker'",
    )
    .execute(&api.pool)
    .await
    .expect("the doomed worker's connections end");
    assert!(
        (1_000..6_000).contains(&committed),
        "the job was cut off halfway ({committed} rows in)"
    );
    let written: i64 =
        sqlx::query_scalar("SELECT count(*) FROM transactions WHERE import_job_id = $1")
            .bind(id)
            .fetch_one(&api.pool)
            .await
            .unwrap();
    let chunks: Vec<(i32, i32, i32)> =
        sqlx::query_as("SELECT first_row, rows, inserted FROM import_chunks WHERE import_id = $1")
            .bind(id)
            .fetch_all(&api.pool)
            .await
            .unwrap();
    let chunked: i64 = chunks.iter().map(|(_, rows, _)| i64::from(*rows)).sum();
    let recorded: i64 = chunks
        .iter()
        .map(|(_, _, inserted)| i64::from(*inserted))
        .sum();
    assert_eq!(
        written, recorded,
        "a chunk's rows and its record commit together"
    );
    assert!(
        (1_000..6_000).contains(&chunked),
        "whole chunks are written ({chunked} rows)"
    );
    let planned = api::imports::job::pending_chunks(6_000, 500, 2, &[]);
    for (first, rows, _) in chunks {
        let (first, rows) = (
            usize::try_from(first).unwrap(),
            usize::try_from(rows).unwrap(),
        );
        assert!(
            planned.contains(&(first..first + rows)),
            "only whole chunks: rows {first}.. ({rows}) is not one of {planned:?}"
        );
    }

    // Another process claims the stale entry and finishes from the cursor.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let second = api.import_worker("rescuer", Duration::from_millis(300), 500);
    assert_eq!(
        second.step(Duration::from_millis(100)).await.expect("step"),
        1
    );
    let (_, done) = alice
        .get(&format!("/api/v1/ledgers/{ledger}/imports/{id}"))
        .await;
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(
        (
            done["committed_rows"].as_i64(),
            done["inserted_rows"].as_i64()
        ),
        (Some(6_000), Some(6_000))
    );
    let (count, distinct): (i64, i64) = sqlx::query_as(
        "SELECT count(*), count(DISTINCT import_id) FROM transactions WHERE account_id = $1",
    )
    .bind(checking)
    .fetch_one(&api.pool)
    .await
    .unwrap();
    assert_eq!((count, distinct), (6_000, 6_000));
}

/// A chunk that Postgres aborts as a deadlock (here with a transaction that adds to the
/// same days of the rollup in the other order) is written again at once: the import
/// finishes in the same round, instead of waiting a minute to be claimed again.
#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn a_chunk_aborted_as_a_deadlock_is_written_again_at_once(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = api.user("Alice").await;
    let checking = account(&alice, ledger, "Checking", "USD").await;
    let import = upload(
        &alice,
        ledger,
        checking,
        csv(&["2024-03-01,Bakery,-4.00", "2024-03-02,Grocer,-30.00"]),
    )
    .await;
    assert_eq!(commit(&alice, ledger, &import, None).await.0, 202);

    // The other transaction holds the rollup's row of the second day; the chunk locks the
    // first day's and waits for the second's; then the other asks for the first day's.
    let add_to = |day: &'static str| {
        sqlx::query(
            "SELECT daily_category_flows_add(ARRAY[ROW($1, $2::date, NULL, 'USD', -1, 1)::daily_category_flows])",
        )
        .bind(ledger)
        .bind(day)
    };
    let mut other = service_kit::stores::begin(&api.pool).await.expect("begin");
    add_to("2024-03-02")
        .execute(&mut *other)
        .await
        .expect("second day");
    let worker = api.import_worker("test-worker", Duration::from_mins(1), 1_000);
    worker.ensure_group().await.expect("group");
    let round = tokio::spawn(async move { worker.step(Duration::from_secs(1)).await });
    let mut waiting = false;
    for _ in 0..1_000 {
        waiting = sqlx::query_scalar(
            "SELECT EXISTS (SELECT FROM pg_stat_activity
                            WHERE datname = current_database() AND wait_event_type = 'Lock'
                              AND query LIKE 'INSERT INTO transactions%')",
        )
        .fetch_one(&api.pool)
        .await
        .expect("activity");
        if waiting {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(waiting, "the chunk waits for the second day's row");
    // The chunk has waited longer (by a margin for a loaded machine), so its deadlock
    // check runs first and aborts it.
    tokio::time::sleep(Duration::from_millis(300)).await;
    add_to("2024-03-01")
        .execute(&mut *other)
        .await
        .expect("the other transaction gets the first day's row");
    other.rollback().await.expect("rollback");

    assert_eq!(
        round.await.expect("round").expect("step"),
        1,
        "finished in this round"
    );
    let (_, done) = alice
        .get(&format!(
            "/api/v1/ledgers/{ledger}/imports/{}",
            id_of(&import)
        ))
        .await;
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(rows(&api, checking).await.len(), 2);
    let rollup: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT day::text, amount::numeric(20,2)::text, lines FROM daily_category_flows
         WHERE ledger_id = $1 ORDER BY day",
    )
    .bind(ledger)
    .fetch_all(&api.pool)
    .await
    .expect("rollup");
    assert_eq!(
        rollup,
        [
            ("2024-03-01".to_owned(), "-4.00".to_owned(), 1),
            ("2024-03-02".to_owned(), "-30.00".to_owned(), 1)
        ]
    );
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn an_edited_mapping_is_saved_and_used_for_the_next_file(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = api.user("Alice").await;
    let card = account(&alice, ledger, "Card", "USD").await;
    // Card exports list purchases as positive amounts.
    let first = upload(
        &alice,
        ledger,
        card,
        fixture("csv/csv2ofx/pcmastercard.csv"),
    )
    .await;
    assert_eq!(first["preview"]["sample"][0]["amount"], "36.33");
    let mut mapping = first["mapping"].clone();
    mapping["negate"] = json!(true);
    let (status, edited) = alice
        .send(
            Method::PUT,
            &format!("/api/v1/ledgers/{ledger}/imports/{}/mapping", id_of(&first)),
            Some(json!({ "mapping": mapping, "save_as": "PC Mastercard" })),
        )
        .await;
    assert_eq!(status, 200, "{edited}");
    assert_eq!(edited["preview"]["sample"][0]["amount"], "-36.33");
    assert_eq!(edited["preset_name"], "PC Mastercard");

    let second = upload(
        &alice,
        ledger,
        card,
        fixture("csv/csv2ofx/pcmastercard.csv"),
    )
    .await;
    assert_eq!(second["preset_name"], "PC Mastercard");
    assert_eq!(second["preview"]["sample"][0]["amount"], "-36.33");
    let (_, presets) = alice
        .get(&format!("/api/v1/ledgers/{ledger}/import-presets"))
        .await;
    assert_eq!(presets[0]["name"], "PC Mastercard");

    let mut broken = mapping.clone();
    broken["date_column"] = json!(40);
    let (status, body) = alice
        .send(
            Method::PUT,
            &format!(
                "/api/v1/ledgers/{ledger}/imports/{}/mapping",
                id_of(&second)
            ),
            Some(json!({ "mapping": broken })),
        )
        .await;
    assert_error(status, &body, 422, "validation_failed");
    assert!(body.to_string().contains("column 41"), "{body}");
}

const TWO_ACCOUNTS: &str = "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n<OFX><BANKMSGSRSV1>
<STMTTRNRS><STMTRS><CURDEF>EUR<BANKACCTFROM><BANKID>1<ACCTID>111<ACCTTYPE>CHECKING</BANKACCTFROM>
<BANKTRANLIST><STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240105<TRNAMT>-10.00<FITID>A1<NAME>Grocer</STMTTRN></BANKTRANLIST>
</STMTRS></STMTTRNRS>
<STMTTRNRS><STMTRS><CURDEF>EUR<BANKACCTFROM><BANKID>1<ACCTID>222<ACCTTYPE>SAVINGS</BANKACCTFROM>
<BANKTRANLIST><STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20240106<TRNAMT>250,00<FITID>B1<NAME>Interest</STMTTRN></BANKTRANLIST>
</STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>";

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn a_file_with_two_accounts_goes_where_the_user_maps_it(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = api.user("Alice").await;
    let checking = account(&alice, ledger, "Checking", "EUR").await;
    let savings = account(&alice, ledger, "Savings", "EUR").await;
    let preview = upload(&alice, ledger, checking, TWO_ACCOUNTS.as_bytes().to_vec()).await;
    assert_eq!(preview["format"], "ofx1");
    let sources = preview["preview"]["source_accounts"].as_array().unwrap();
    assert_eq!(
        (sources[0]["id"].as_str(), sources[1]["id"].as_str()),
        (Some("111"), Some("222"))
    );
    assert!(sources.iter().all(|s| s["account_id"].is_null()));
    let (status, body) = commit(&alice, ledger, &preview, None).await;
    assert_error(status, &body, 409, "conflict");

    let (status, body) = commit(
        &alice,
        ledger,
        &preview,
        Some(json!({ "accounts": { "111": checking, "222": Uuid::new_v4() } })),
    )
    .await;
    assert_error(status, &body, 422, "validation_failed");
    let (status, queued) = commit(
        &alice,
        ledger,
        &preview,
        Some(json!({ "accounts": { "111": checking, "222": savings } })),
    )
    .await;
    assert_eq!(status, 202, "{queued}");
    assert_eq!(queued["total_rows"], 2);
    assert_eq!(
        finish(&api, &alice, ledger, &preview).await["inserted_rows"],
        2
    );
    assert_eq!(
        rows(&api, checking).await,
        [("2024-01-05".into(), "-10.00".into(), "Grocer|".into())]
    );
    assert_eq!(
        rows(&api, savings).await,
        [("2024-01-06".into(), "250.00".into(), "Interest|".into())]
    );
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn bad_files_and_bad_callers_get_clear_errors(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = api.user("Alice").await;
    let (bob, bobs_ledger) = api.user("Bob").await;
    let checking = account(&alice, ledger, "Checking", "EUR").await;
    let path = format!("/api/v1/ledgers/{ledger}/imports?account_id={checking}");

    let (status, body) = alice.upload(&path, Vec::new()).await;
    assert_error(status, &body, 422, "validation_failed");
    assert_eq!(
        body["error"]["details"]["fields"][0]["message"], "the file is empty",
        "{body}"
    );
    let (status, body) = alice
        .upload(&path, fixture("ofx/ofxparse/error_message.ofx"))
        .await;
    assert_error(status, &body, 422, "validation_failed");
    assert!(
        body.to_string()
            .contains("General Server Error (code 2000)"),
        "{body}"
    );
    let (status, body) = alice
        .upload(&path, b"<OFX>\n<STMTRS>\n  <TRNAMT 5\n</OFX>".to_vec())
        .await;
    assert_error(status, &body, 422, "validation_failed");
    assert!(body.to_string().contains("line 3, column 3"), "{body}");
    let (status, body) = alice.upload(&path, vec![b'a'; IMPORT_MAX_BYTES + 1]).await;
    assert_error(status, &body, 413, "payload_too_large");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("IMPORT_MAX_BYTES"),
        "{body}"
    );

    // Rows that fail are listed; the rest can still be imported.
    let partial = upload(
        &alice,
        ledger,
        checking,
        csv(&[
            "2024-01-05,Coffee,-3.50",
            "2024-02-30,Broken,-1",
            "2024-01-07,Fine,-3.505",
        ]),
    )
    .await;
    assert_eq!(
        (
            partial["total_rows"].as_i64(),
            partial["error_rows"].as_i64()
        ),
        (Some(1), Some(2))
    );
    let errors: Vec<i64> = partial["preview"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["line"].as_i64().unwrap())
        .collect();
    assert_eq!(errors, [3, 4]);

    // Another ledger's import does not exist for Bob; his own account is not in Alice's ledger.
    let (status, _) = bob
        .get(&format!(
            "/api/v1/ledgers/{ledger}/imports/{}",
            id_of(&partial)
        ))
        .await;
    assert_eq!(status, 404);
    let (status, _) = bob
        .get(&format!(
            "/api/v1/ledgers/{bobs_ledger}/imports/{}",
            id_of(&partial)
        ))
        .await;
    assert_eq!(status, 404);
    let (status, body) = alice
        .upload(
            &format!(
                "/api/v1/ledgers/{ledger}/imports?account_id={}",
                Uuid::new_v4()
            ),
            csv(&["2024-01-05,Coffee,-3.50"]),
        )
        .await;
    assert_error(status, &body, 422, "validation_failed");

    // A viewer reads imports but cannot upload or commit.
    bob.join(&alice, ledger, "viewer").await;
    assert_eq!(
        bob.get(&format!("/api/v1/ledgers/{ledger}/imports"))
            .await
            .0,
        200
    );
    let (status, body) = bob.upload(&path, csv(&["2024-01-05,Coffee,-3.50"])).await;
    assert_error(status, &body, 403, "insufficient_role");
    let (status, _) = commit(&bob, ledger, &partial, None).await;
    assert_eq!(status, 403);
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn exports_stream_the_filtered_list_with_formulas_neutralised(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = api.user("Alice").await;
    let checking = account(&alice, ledger, "Checking", "EUR").await;
    for (date, amount, payee) in [
        ("2024-01-05", "-3.50", "=HYPERLINK(\"x\")"),
        ("2024-01-06", "1200", "Salary, March"),
        ("2024-02-01", "-20", "@risk"),
    ] {
        let (status, body) = alice
            .post(
                &format!("/api/v1/ledgers/{ledger}/transactions"),
                json!({ "account_id": checking, "date": date, "amount": amount, "payee": payee }),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }
    let response = alice
        .request(
            Method::GET,
            &format!("/api/v1/ledgers/{ledger}/transactions/export.csv?sort=date"),
            None,
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    let text = response.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "date,account,amount,currency,payee,description,category,tags,notes,status,import_id,id"
    );
    assert!(
        lines[1].starts_with("2024-01-05,Checking,-3.50,EUR,\"'=HYPERLINK(\"\"x\"\")\","),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("2024-01-06,Checking,1200.00,EUR,\"Salary, March\","),
        "{}",
        lines[2]
    );
    assert!(
        lines[3].starts_with("2024-02-01,Checking,-20.00,EUR,'@risk,"),
        "{}",
        lines[3]
    );
    assert_eq!(lines.len(), 4);
    assert_eq!(
        lines[3].split(',').count(),
        12,
        "empty cells keep their place: {}",
        lines[3]
    );

    let (status, body) = alice
        .get(&format!(
            "/api/v1/ledgers/{ledger}/transactions/export.json?from=2024-01-06&sort=-date"
        ))
        .await;
    assert_eq!(status, 200);
    let payees: Vec<&str> = body
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["payee"].as_str().unwrap())
        .collect();
    assert_eq!(
        payees,
        ["@risk", "Salary, March"],
        "JSON keeps the text as it is"
    );

    let (status, body) = alice
        .get(&format!(
            "/api/v1/ledgers/{ledger}/transactions/export.csv?limit=5"
        ))
        .await;
    assert_error(status, &body, 400, "bad_request");
    let (bob, _) = api.user("Bob").await;
    assert_eq!(
        bob.get(&format!("/api/v1/ledgers/{ledger}/transactions/export.csv"))
            .await
            .0,
        404
    );
}

/// A transaction as the QIF test reads it: (payee, category, source, [(part category, amount)]).
type Seen = (
    String,
    Option<String>,
    Option<String>,
    Vec<(Option<String>, String)>,
);

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn a_file_naming_more_new_categories_than_an_import_creates_is_refused(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = api.user("Alice").await;
    let checking = account(&alice, ledger, "Checking", "USD").await;
    let at_the_limit = upload(&alice, ledger, checking, qif_of_categories(500)).await;
    assert_eq!(
        at_the_limit["preview"]["new_categories"]
            .as_array()
            .map(Vec::len),
        Some(500)
    );
    let (status, body) = alice
        .upload(
            &format!("/api/v1/ledgers/{ledger}/imports?account_id={checking}"),
            qif_of_categories(501),
        )
        .await;
    assert_error(status, &body, 422, "validation_failed");
    let field = &body["error"]["details"]["fields"][0];
    assert_eq!(field["field"], "file", "{body}");
    let message = field["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("names 501 categories") && message.contains("at most 500"),
        "{body}"
    );
}

/// Every payee its own category, as some exporters write: `Shop 0` to `Shop {n - 1}`.
fn qif_of_categories(n: usize) -> Vec<u8> {
    use std::fmt::Write;
    let mut file = String::from("!Type:Bank\n");
    for i in 0..n {
        write!(file, "D01/05/2024\nT-1.00\nPShop {i}\nLShop {i}\n^\n").expect("to a String");
    }
    file.into_bytes()
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn an_import_whose_file_names_too_many_new_categories_by_commit_time_fails_whole(
    pool: PgPool,
) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = api.user("Alice").await;
    let checking = account(&alice, ledger, "Checking", "USD").await;
    let base = format!("/api/v1/ledgers/{ledger}");
    let (status, group) = alice
        .post(
            &format!("{base}/category-groups"),
            json!({ "name": "Shops", "kind": "expense" }),
        )
        .await;
    assert_eq!(status, 201, "{group}");
    let (status, shop) = alice
        .post(
            &format!("{base}/categories"),
            json!({ "group_id": group["id"], "name": "Shop 0" }),
        )
        .await;
    assert_eq!(status, 201, "{shop}");
    // 501 names, one of them the ledger's: 500 to create, which an import may.
    let import = upload(&alice, ledger, checking, qif_of_categories(501)).await;
    assert_eq!(
        import["preview"]["new_categories"].as_array().map(Vec::len),
        Some(500)
    );
    // Before the commit, the ledger's own `Shop 0` goes (merged into another).
    let groceries = api.category(ledger, "Groceries").await;
    let (status, merged) = alice
        .post(
            &format!(
                "{base}/categories/{}/merge",
                shop["id"].as_str().expect("id")
            ),
            json!({ "into": groceries }),
        )
        .await;
    assert_eq!(status, 200, "{merged}");
    let (status, body) = commit(&alice, ledger, &import, None).await;
    assert_eq!(status, 202, "{body}");
    let done = finish(&api, &alice, ledger, &import).await;
    assert_eq!(done["status"], "failed", "{done}");
    let error = done["error"].as_str().unwrap_or_default();
    assert!(
        error.contains("names 501 categories") && error.contains("at most 500"),
        "{done}"
    );
    assert_eq!(rows(&api, checking).await, [], "no row is written");
    let shops: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM categories WHERE ledger_id = $1 AND name LIKE 'Shop %'",
    )
    .bind(ledger)
    .fetch_one(&api.pool)
    .await
    .expect("count");
    assert_eq!(shops, 0, "no category is made");
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn a_qif_file_brings_its_categories_and_its_splits(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = api.user("Alice").await;
    let checking = account(&alice, ledger, "Checking", "USD").await;
    let preview = upload(&alice, ledger, checking, fixture("qif/quiffen/test.qif")).await;
    assert_eq!(preview["format"], "qif");
    assert_eq!(preview["total_rows"], 6);
    assert_eq!(
        preview["preview"]["new_categories"],
        json!([
            "Bills › Cell Phone",
            "Healthcare › Prescriptions",
            "Imported income › Miscellaneous",
            "Personal Care › Haircare",
            "Transportation › Automobile"
        ]),
        "the preview says which categories the commit creates"
    );
    let groceries = api.category(ledger, "Groceries").await;
    let sample = preview["preview"]["sample"].as_array().unwrap().clone();
    let row = |payee: &str| {
        sample
            .iter()
            .find(|r| r["payee"] == payee)
            .unwrap_or_else(|| panic!("the {payee} row"))
            .clone()
    };
    assert_eq!(
        row("Walmart")["category_id"],
        groceries.as_str(),
        "Food:Groceries is the ledger's Food › Groceries"
    );
    assert_eq!(
        row("Target")["splits"],
        json!([
            {"category_id": groceries, "amount": "-5.00", "memo": "50%"},
            {"category_id": groceries, "amount": "-5.00", "memo": "50% 2"}
        ])
    );
    assert_eq!(commit(&alice, ledger, &preview, None).await.0, 202);
    assert_eq!(
        finish(&api, &alice, ledger, &preview).await["inserted_rows"],
        6
    );

    let created: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT g.name, g.kind::text, c.name FROM categories c JOIN category_groups g ON g.id = c.group_id
         WHERE c.ledger_id = $1 AND g.name IN ('Bills', 'Healthcare', 'Imported income', 'Personal Care', 'Transportation')
         ORDER BY g.name",
    )
    .bind(ledger)
    .fetch_all(&api.pool)
    .await
    .unwrap();
    let created: Vec<(&str, &str, &str)> = created
        .iter()
        .map(|(g, k, c)| (g.as_str(), k.as_str(), c.as_str()))
        .collect();
    assert_eq!(
        created,
        [
            ("Bills", "income", "Cell Phone"),
            ("Healthcare", "expense", "Prescriptions"),
            ("Imported income", "income", "Miscellaneous"),
            ("Personal Care", "expense", "Haircare"),
            ("Transportation", "expense", "Automobile"),
        ],
        "each group's kind follows the money under it (T-Mobile's split nets +67.50)"
    );

    // Each transaction as the API shows it: category, source and split parts by name.
    let (status, page) = alice
        .get(&format!(
            "/api/v1/ledgers/{ledger}/transactions?account_ids={checking}"
        ))
        .await;
    assert_eq!(status, 200, "{page}");
    let (_, tree) = alice
        .get(&format!("/api/v1/ledgers/{ledger}/categories"))
        .await;
    let mut names: HashMap<String, String> = HashMap::new();
    for group in tree.as_array().unwrap() {
        for c in group["categories"].as_array().unwrap() {
            names.insert(
                c["id"].as_str().unwrap().to_owned(),
                format!(
                    "{}:{}",
                    group["name"].as_str().unwrap(),
                    c["name"].as_str().unwrap()
                ),
            );
        }
    }
    let name = |id: &Value| id.as_str().map(|id| names[id].clone());
    let mut seen: Vec<Seen> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["payee"].as_str().unwrap().to_owned(),
                name(&t["category_id"]),
                t["category_source"].as_str().map(str::to_owned),
                t["splits"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| {
                        (
                            name(&p["category_id"]),
                            p["amount"].as_str().unwrap().to_owned(),
                        )
                    })
                    .collect(),
            )
        })
        .collect();
    seen.sort();
    let s = |v: &str| Some(v.to_owned());
    let part = |c: &str, a: &str| (s(c), a.to_owned());
    assert_eq!(
        seen,
        [
            (
                "Amazon.com".to_owned(),
                None,
                None,
                vec![
                    part("Food:Groceries", "-50.00"),
                    part("Transportation:Automobile", "-25.00"),
                    part("Personal Care:Haircare", "-10.00"),
                    part("Healthcare:Prescriptions", "-15.00"),
                ]
            ),
            ("Opening Balance".to_owned(), None, None, vec![]),
            (
                "T-Mobile".to_owned(),
                None,
                None,
                vec![
                    part("Bills:Cell Phone", "-15.00"),
                    part("Bills:Cell Phone", "82.50")
                ]
            ),
            (
                "Target".to_owned(),
                None,
                None,
                vec![
                    part("Food:Groceries", "-5.00"),
                    part("Food:Groceries", "-5.00")
                ]
            ),
            (
                "US Post Office".to_owned(),
                s("Imported income:Miscellaneous"),
                s("user"),
                vec![]
            ),
            ("Walmart".to_owned(), s("Food:Groceries"), s("user"), vec![]),
        ],
        "a transfer (the opening balance) stays uncategorised"
    );

    // Only the transfer needs the model: split rows are categorised by their parts.
    let opening: String = sqlx::query_scalar(
        "SELECT id::text FROM transactions WHERE account_id = $1 AND payee = 'Opening Balance'",
    )
    .bind(checking)
    .fetch_one(&api.pool)
    .await
    .unwrap();
    assert_eq!(support::ml_queued(ledger).await, [opening]);

    // Importing the same file again adds no transaction, part or category.
    let count = |sql: &'static str| {
        let pool = api.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .bind(ledger)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let before = (
        count("SELECT count(*) FROM categories WHERE ledger_id = $1").await,
        count("SELECT count(*) FROM transaction_splits WHERE ledger_id = $1").await,
    );
    assert_eq!(before.1, 8);
    let again = upload(&alice, ledger, checking, fixture("qif/quiffen/test.qif")).await;
    assert_eq!(again["preview"]["new_categories"], json!([]));
    assert_eq!(commit(&alice, ledger, &again, None).await.0, 202);
    assert_eq!(
        finish(&api, &alice, ledger, &again).await["inserted_rows"],
        0
    );
    assert_eq!(
        (
            count("SELECT count(*) FROM categories WHERE ledger_id = $1").await,
            count("SELECT count(*) FROM transaction_splits WHERE ledger_id = $1").await,
        ),
        before
    );
}
