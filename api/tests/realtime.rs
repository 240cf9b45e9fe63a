//! Live updates over the WebSocket, against the real Postgres and Redis (the API served in
//! this process; `realtime_processes.rs` runs the real binaries): events in the documented
//! shape, exact resume, isolation between ledgers for every event kind, nothing lost while
//! Redis is away, membership and sessions followed live, origins and tickets checked, slow
//! clients dropped, and bad client messages answered.

mod support;

use std::collections::BTreeSet;
use std::time::Duration;

use api::events::Event;
use reqwest::Method;
use serde_json::{Value, json};
use sqlx::PgPool;
use support::ws::{EXPECT, Received, Socket, ticket};
use support::{Client, TestApi, account, all_published, realtime_settings};
use tokio_tungstenite::tungstenite::Message;
use uuid::Uuid;

/// A new user and their personal ledger, once its creation's event has gone out (so a
/// socket opened next does not see it arrive late).
async fn user(api: &TestApi, name: &str) -> (Client, Uuid) {
    let (client, ledger) = api.user(name).await;
    all_published(&api.pool, ledger).await;
    (client, ledger)
}

async fn rename_account(client: &Client, ledger: Uuid, account: &str, name: &str) {
    let (status, body) = client
        .send(
            Method::PATCH,
            &format!("/api/v1/ledgers/{ledger}/accounts/{account}"),
            Some(json!({ "name": name })),
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

/// Checks `message` against the OpenAPI document's `ServerMessage`: what the web app's
/// generated types say a message is.
fn assert_documented(message: &Value) {
    let doc = serde_json::to_value(api::http::openapi()).expect("document");
    let schema = json!({
        "$ref": "#/components/schemas/ServerMessage",
        "components": doc["components"],
    });
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let errors: Vec<String> = validator
        .iter_errors(message)
        .map(|e| e.to_string())
        .collect();
    assert!(
        errors.is_empty(),
        "{message} is not a documented ServerMessage: {errors:?}"
    );
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn events_arrive_in_the_documented_shape(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = user(&api, "Alice").await;
    let mut socket = Socket::open_same_origin(&alice).await;
    let welcome = socket.start(&[]).await;
    assert_eq!(welcome, json!({ "type": "welcome", "ledgers": [ledger] }));
    assert_documented(&welcome);

    let id = account(&alice, ledger, "Checking").await;
    let created = socket.event("account.created").await;
    assert_eq!(created["ledger_id"], ledger.to_string());
    assert_eq!(created["data"]["id"], id);
    assert_eq!(created["data"]["balance"], "0.00");
    assert!(
        created["id"]
            .as_str()
            .is_some_and(|id| id.split_once('-').is_some()),
        "{created}"
    );
    assert_documented(&created);
    // Not documented: a message of an unknown type.
    let doc = serde_json::to_value(api::http::openapi()).expect("document");
    let validator = jsonschema::validator_for(&json!({
        "$ref": "#/components/schemas/ServerMessage", "components": doc["components"],
    }))
    .expect("schema");
    assert!(!validator.is_valid(
        &json!({"id": "1-0", "ledger_id": ledger, "type": "account.exploded", "data": {}})
    ));
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn a_reconnecting_client_gets_exactly_what_it_missed_then_live_events(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = user(&api, "Alice").await;
    let mut socket = Socket::open_same_origin(&alice).await;
    socket.start(&[]).await;
    let id = account(&alice, ledger, "Name 0").await;
    let seen = socket.event("account.created").await;
    let last = seen["id"].as_str().expect("id").to_owned();
    socket.close().await;

    for n in 1..=3 {
        rename_account(&alice, ledger, &id, &format!("Name {n}")).await;
    }
    let mut socket = Socket::open_same_origin(&alice).await;
    socket.start(&[(ledger, &last)]).await;
    let missed = socket.drain(Duration::from_millis(700)).await;
    let names: Vec<&str> = missed
        .iter()
        .map(|m| {
            assert_eq!(m["type"], "account.updated", "{m}");
            m["data"]["name"].as_str().expect("name")
        })
        .collect();
    assert_eq!(
        names,
        ["Name 1", "Name 2", "Name 3"],
        "exactly the three, in order"
    );
    let ids: Vec<&str> = missed.iter().filter_map(|m| m["id"].as_str()).collect();
    assert!(
        std::iter::once(last.as_str())
            .chain(ids.iter().copied())
            .map(|id| id.parse::<api::events::protocol::StreamId>().expect("id"))
            .collect::<Vec<_>>()
            .is_sorted_by(|a, b| a < b),
        "{ids:?} after {last}"
    );

    rename_account(&alice, ledger, &id, "Name 4").await;
    let live = socket.message().await;
    assert_eq!(live["data"]["name"], "Name 4");
    assert_eq!(
        socket.receive(Duration::from_millis(500)).await,
        Received::Nothing
    );
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn a_gap_beyond_what_the_stream_keeps_gets_one_resync(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = user(&api, "Alice").await;
    let mut socket = Socket::open_same_origin(&alice).await;
    socket.start(&[]).await;
    let id = account(&alice, ledger, "Old").await;
    let last = socket.event("account.created").await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    socket.close().await;
    rename_account(&alice, ledger, &id, "Newer").await;
    all_published(&api.pool, ledger).await;
    // The stream lets go of everything up to now, as the replay window would.
    let redis = redis::Client::open(testkit::stores::redis_url()).expect("redis");
    let mut redis = redis
        .get_multiplexed_async_connection()
        .await
        .expect("redis");
    let _: u64 = redis::cmd("XTRIM")
        .arg(service_kit::events::stream_key(ledger))
        .arg("MAXLEN")
        .arg(0)
        .query_async(&mut redis)
        .await
        .expect("xtrim");

    let mut socket = Socket::open_same_origin(&alice).await;
    socket.start(&[(ledger, &last)]).await;
    assert_eq!(
        socket.message().await,
        json!({ "type": "resync", "ledger_id": ledger })
    );
    rename_account(&alice, ledger, &id, "Newest").await;
    assert_eq!(socket.message().await["data"]["name"], "Newest");
    assert_eq!(
        socket.receive(Duration::from_millis(300)).await,
        Received::Nothing
    );
}

/// Every kind of event, caused in Alice's ledger: Alice's socket receives each; Bob, who
/// has a ledger of his own, receives none of them.
#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn no_event_of_any_kind_reaches_a_user_outside_its_ledger(pool: PgPool) {
    let api = TestApi::start_with_ml(pool.clone(), &support::ml_worker(pool).await).await;
    let (alice, ledger) = user(&api, "Alice").await;
    let (bob, bobs_ledger) = user(&api, "Bob").await;
    let (carol, _) = user(&api, "Carol").await;
    let mut alices = Socket::open_same_origin(&alice).await;
    alices.start(&[]).await;
    let mut bobs = Socket::open_same_origin(&bob).await;
    bobs.start(&[]).await;
    let at = |path: &str| format!("/api/v1/ledgers/{ledger}{path}");
    let mut caused = BTreeSet::new();
    macro_rules! step {
        ($kind:literal, $action:expr) => {{
            let answer = $action;
            let event = alices.event($kind).await;
            assert_eq!(event["ledger_id"], ledger.to_string(), "{event}");
            caused.insert($kind);
            answer
        }};
    }
    let checking = step!("account.created", account(&alice, ledger, "Checking").await);
    step!(
        "account.updated",
        rename_account(&alice, ledger, &checking, "Main").await
    );
    let savings = account(&alice, ledger, "Savings").await;
    let groceries = api.category(ledger, "Groceries").await;
    let (_, txn) = step!(
        "transaction.created",
        alice
            .post(
                &at("/transactions"),
                json!({ "account_id": checking, "date": "2026-11-05",
                "amount": "-12.00", "payee": "Corner shop", "category_id": groceries })
            )
            .await
    );
    let txn = txn["id"].as_str().expect("id").to_owned();
    step!(
        "transaction.updated",
        alice
            .send(
                Method::PATCH,
                &at(&format!("/transactions/{txn}")),
                Some(json!({ "notes": "n" }))
            )
            .await
    );
    step!(
        "transaction.deleted",
        alice
            .send(Method::DELETE, &at(&format!("/transactions/{txn}")), None)
            .await
    );
    step!(
        "transfer.created",
        alice
            .post(
                &at("/transfers"),
                json!({ "from_account_id": checking, "to_account_id": savings,
                "date": "2026-11-06", "amount": "5.00" })
            )
            .await
    );
    let (_, categories) = alice.get(&at("/categories")).await;
    let expense_group = categories
        .as_array()
        .and_then(|groups| groups.iter().find(|g| g["kind"] == "expense"))
        .expect("an expense group")["id"]
        .clone();
    let (_, created) = step!(
        "category.created",
        alice
            .post(
                &at("/categories"),
                json!({ "group_id": expense_group, "name": "Snacks" })
            )
            .await
    );
    let snacks = created["id"].as_str().expect("id").to_owned();
    step!(
        "category.updated",
        alice
            .send(
                Method::PATCH,
                &at(&format!("/categories/{snacks}")),
                Some(json!({ "name": "Treats" }))
            )
            .await
    );
    step!(
        "category.merged",
        alice
            .post(
                &at(&format!("/categories/{snacks}/merge")),
                json!({ "into": groceries })
            )
            .await
    );
    let (_, group) = step!(
        "category.group_created",
        alice
            .post(
                &at("/category-groups"),
                json!({ "name": "Hobbies", "kind": "expense" })
            )
            .await
    );
    step!(
        "category.group_updated",
        alice
            .send(
                Method::PATCH,
                &at(&format!(
                    "/category-groups/{}",
                    group["id"].as_str().expect("id")
                )),
                Some(json!({ "archived": true }))
            )
            .await
    );
    step!(
        "budget.changed",
        alice
            .send(
                Method::PUT,
                &at(&format!("/budgets/2026-11/{groceries}")),
                Some(json!({ "amount": "100.00" }))
            )
            .await
    );
    step!(
        "budget.alert",
        alice
            .post(
                &at("/transactions"),
                json!({ "account_id": checking, "date": "2026-11-07",
                "amount": "-90.00", "payee": "Big shop", "category_id": groceries })
            )
            .await
    );
    let (_, goal) = step!(
        "goal.created",
        alice
            .post(
                &at("/goals"),
                json!({ "name": "Bike", "target_amount": "500.00", "target_date": "2027-06-30" })
            )
            .await
    );
    let goal = goal["id"].as_str().expect("id").to_owned();
    step!(
        "goal.updated",
        alice
            .post(
                &at(&format!("/goals/{goal}/contributions")),
                json!({ "date": "2026-11-08", "amount": "50.00" })
            )
            .await
    );
    step!(
        "goal.deleted",
        alice
            .send(Method::DELETE, &at(&format!("/goals/{goal}")), None)
            .await
    );

    // An import, written by the job worker, then undone.
    let worker = api.import_worker("isolation", Duration::from_mins(1), 1);
    let csv = b"Date,Description,Amount\n2026-11-09,Cafe,-3.50\n2026-11-10,Bakery,-2.25\n".to_vec();
    let (status, import) = alice
        .upload(
            &at(&format!("/imports?account_id={checking}&file_name=a.csv")),
            csv,
        )
        .await;
    assert_eq!(status, 201, "{import}");
    let import = import["id"].as_str().expect("id").to_owned();
    let (status, body) = alice
        .post(&at(&format!("/imports/{import}/commit")), json!({}))
        .await;
    assert_eq!(status, 202, "{body}");
    worker.ensure_group().await.expect("group");
    worker.step(Duration::from_millis(500)).await.expect("job");
    step!("import.progress", ());
    step!("import.completed", ());
    step!(
        "import.undone",
        alice
            .send(Method::DELETE, &at(&format!("/imports/{import}")), None)
            .await
    );
    // An import whose stored file has become unreadable fails.
    let (_, broken) = alice
        .upload(
            &at(&format!("/imports?account_id={checking}&file_name=b.csv")),
            b"Date,Description,Amount\n2026-11-11,Kiosk,-1.00\n".to_vec(),
        )
        .await;
    let broken = broken["id"].as_str().expect("id").to_owned();
    alice
        .post(&at(&format!("/imports/{broken}/commit")), json!({}))
        .await;
    sqlx::query(
        "UPDATE imports SET file = '\\x00ff00'::bytea, format = 'ofx2' WHERE id = $1::uuid",
    )
    .bind(&broken)
    .execute(&api.pool)
    .await
    .expect("spoil the file");
    step!(
        "import.failed",
        worker.step(Duration::from_millis(500)).await.expect("job")
    );

    step!(
        "categorization.completed",
        alice
            .post(
                &at("/transactions"),
                json!({ "account_id": checking, "date": "2026-11-12",
                "amount": "-40.00", "payee": "ENGEN FUEL STATION" })
            )
            .await
    );
    step!(
        "exchange_rate.changed",
        alice
            .send(
                Method::PUT,
                &at("/exchange-rates"),
                Some(json!({ "currency": "USD", "date": "2026-11-01", "rate": "0.92" }))
            )
            .await
    );
    step!(
        "ledger.updated",
        alice
            .send(Method::PATCH, &at(""), Some(json!({ "name": "Household" })))
            .await
    );
    let (_, invite) = alice
        .post(&at("/invites"), json!({ "role": "viewer" }))
        .await;
    step!(
        "ledger.member_added",
        carol
            .post("/api/v1/invites/accept", json!({ "code": invite["code"] }))
            .await
    );
    let carols_id = carol.get("/api/v1/me").await.1["id"]
        .as_str()
        .expect("id")
        .to_owned();
    step!(
        "ledger.member_updated",
        alice
            .send(
                Method::PUT,
                &at(&format!("/members/{carols_id}")),
                Some(json!({ "role": "editor" }))
            )
            .await
    );
    step!(
        "ledger.member_removed",
        alice
            .send(Method::DELETE, &at(&format!("/members/{carols_id}")), None)
            .await
    );
    let empty = account(&alice, ledger, "Empty").await;
    step!(
        "account.deleted",
        alice
            .send(Method::DELETE, &at(&format!("/accounts/{empty}")), None)
            .await
    );
    // A ledger of Alice's own, deleted: its last event.
    let (_, spare) = alice
        .post(
            "/api/v1/ledgers",
            json!({ "name": "Spare", "base_currency": "EUR" }),
        )
        .await;
    let spare = spare["id"].as_str().expect("id").to_owned();
    alice
        .send(Method::DELETE, &format!("/api/v1/ledgers/{spare}"), None)
        .await;
    let deleted = alices.event("ledger.deleted").await;
    assert_eq!(deleted["ledger_id"], spare);
    caused.insert("ledger.deleted");

    let every: BTreeSet<&str> = Event::KINDS.iter().copied().collect();
    assert_eq!(caused, every, "every kind of event is exercised");

    // Bob's socket works, and carried nothing of Alice's.
    account(&bob, bobs_ledger, "Bob's").await;
    let got = bobs.drain(Duration::from_millis(700)).await;
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0]["type"], "account.created");
    assert_eq!(got[0]["ledger_id"], bobs_ledger.to_string());
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn a_rolled_back_write_emits_nothing(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = user(&api, "Alice").await;
    let mut socket = Socket::open_same_origin(&alice).await;
    socket.start(&[]).await;

    let mut tx = service_kit::stores::begin(&api.pool).await.expect("begin");
    let ghost = api::events::catalogue::Removed { id: Uuid::new_v4() };
    api::events::record(&mut tx, ledger, &Event::GoalDeleted(ghost))
        .await
        .expect("record");
    tx.rollback().await.expect("rollback");
    // A request refused midway records nothing either.
    let (status, _) = alice
        .post(
            &format!("/api/v1/ledgers/{ledger}/accounts"),
            json!({ "name": "Bad", "kind": "checking", "currency": "XXX" }),
        )
        .await;
    assert_eq!(status, 422);

    account(&alice, ledger, "Real").await;
    let next = socket.message().await;
    assert_eq!(next["type"], "account.created", "{next}");
    assert_eq!(
        socket.receive(Duration::from_millis(500)).await,
        Received::Nothing
    );
    let recorded: i64 =
        sqlx::query_scalar("SELECT count(*) FROM event_outbox WHERE ledger_id = $1")
            .bind(ledger)
            .fetch_one(&api.pool)
            .await
            .expect("count");
    assert_eq!(
        recorded, 2,
        "the ledger's creation and the account, nothing else"
    );
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn with_redis_stopped_during_writes_every_event_arrives_in_order_once(pool: PgPool) {
    let switch = testkit::TcpSwitch::start(testkit::stores::redis_addr()).await;
    switch.set_on(true);
    let api = TestApi::start_realtime(
        pool,
        &format!("redis://{}", switch.addr()),
        realtime_settings(),
    )
    .await;
    let (alice, ledger) = user(&api, "Alice").await;
    let (status, token) = alice
        .post("/api/v1/me/tokens", json!({ "name": "script" }))
        .await;
    assert_eq!(status, 201, "{token}");
    // Writes while Redis is away come from a script: its token needs no Redis.
    let mut script = api.client();
    script.bearer = token["token"].as_str().map(str::to_owned);
    let mut socket = Socket::open_same_origin(&alice).await;
    socket.start(&[]).await;
    let id = account(&alice, ledger, "Name 0").await;
    socket.event("account.created").await;

    switch.set_on(false);
    for n in 1..=5 {
        rename_account(&script, ledger, &id, &format!("Name {n}")).await;
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let waiting: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM event_outbox WHERE ledger_id = $1 AND published_at IS NULL",
    )
    .bind(ledger)
    .fetch_one(&api.pool)
    .await
    .expect("count");
    assert_eq!(waiting, 5, "kept in the outbox while Redis is away");
    assert_eq!(
        socket.receive(Duration::from_millis(200)).await,
        Received::Nothing
    );

    switch.set_on(true);
    let mut names = Vec::new();
    while names.len() < 5 {
        match socket.receive(Duration::from_secs(15)).await {
            Received::Message(m) => {
                names.push(m["data"]["name"].as_str().expect("name").to_owned());
            }
            other => panic!("after {names:?}: {other:?}"),
        }
    }
    assert_eq!(names, ["Name 1", "Name 2", "Name 3", "Name 4", "Name 5"]);
    assert_eq!(
        socket.receive(Duration::from_secs(1)).await,
        Received::Nothing,
        "each once"
    );
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn membership_is_followed_live_and_a_removed_member_hears_nothing_more(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = user(&api, "Alice").await;
    let (bob, _) = user(&api, "Bob").await;
    let mut bobs = Socket::open_same_origin(&bob).await;
    bobs.start(&[]).await;

    bob.join(&alice, ledger, "viewer").await;
    let joined = bobs.event("ledger.member_added").await;
    assert_eq!(joined["ledger_id"], ledger.to_string());
    account(&alice, ledger, "Shared").await;
    assert_eq!(
        bobs.event("account.created").await["ledger_id"],
        ledger.to_string()
    );

    let bobs_id = bob.get("/api/v1/me").await.1["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let (status, _) = alice
        .send(
            Method::DELETE,
            &format!("/api/v1/ledgers/{ledger}/members/{bobs_id}"),
            None,
        )
        .await;
    assert_eq!(status, 204);
    let removed = bobs.message().await;
    assert_eq!(removed["type"], "ledger.member_removed", "{removed}");
    let started = std::time::Instant::now();
    account(&alice, ledger, "Private again").await;
    assert_eq!(
        bobs.receive(Duration::from_secs(1)).await,
        Received::Nothing
    );
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn signing_out_revoking_and_expiry_close_the_socket_with_4001(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, _) = user(&api, "Alice").await;
    let mut signed_out = Socket::open_same_origin(&alice).await;
    signed_out.start(&[]).await;
    let (status, _) = alice.send(Method::POST, "/api/v1/auth/logout", None).await;
    assert_eq!(status, 204);
    assert_eq!(signed_out.close_code(EXPECT).await, Some(4001));

    // A script's socket closes when its token is revoked.
    let (bob, _) = user(&api, "Bob").await;
    let (_, token) = bob
        .post("/api/v1/me/tokens", json!({ "name": "watch" }))
        .await;
    let mut script = api.client();
    script.bearer = token["token"].as_str().map(str::to_owned);
    let mut watching = Socket::open_with_ticket(&api.base, &ticket(&script).await)
        .await
        .expect("ticket accepted");
    watching.start(&[]).await;
    bob.send(
        Method::DELETE,
        &format!("/api/v1/me/tokens/{}", token["id"].as_str().expect("id")),
        None,
    )
    .await;
    assert_eq!(watching.close_code(EXPECT).await, Some(4001));

    // A session that expires is noticed by the periodic check.
    let (carol, _) = user(&api, "Carol").await;
    let mut expiring = Socket::open_same_origin(&carol).await;
    expiring.start(&[]).await;
    let carols_id: Uuid = carol.get("/api/v1/me").await.1["id"]
        .as_str()
        .expect("id")
        .parse()
        .expect("uuid");
    sqlx::query("UPDATE refresh_tokens SET expires_at = now() WHERE user_id = $1")
        .bind(carols_id)
        .execute(&api.pool)
        .await
        .expect("expire");
    assert_eq!(
        expiring.close_code(Duration::from_secs(5)).await,
        Some(4001)
    );
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn a_page_of_another_site_cannot_open_a_socket(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, _) = user(&api, "Alice").await;
    let refused = Socket::open(&alice, Some("https://evil.example"))
        .await
        .expect_err("cross-site");
    assert_eq!(refused.status, 403);
    assert_eq!(refused.body["error"]["code"], "origin_not_allowed");
    let port = api.base.rsplit(':').next().expect("port");
    let other_port = format!(
        "http://127.0.0.1:{}",
        port.parse::<u16>().expect("port") ^ 1
    );
    assert_eq!(
        Socket::open(&alice, Some(&other_port))
            .await
            .expect_err("another origin")
            .status,
        403
    );
    // The site's own page, and a program that sends no Origin, are let in.
    Socket::open_same_origin(&alice).await.close().await;
    Socket::open(&alice, None)
        .await
        .expect("no Origin")
        .close()
        .await;
    // Nobody without a session.
    let stranger = api.client();
    assert_eq!(
        Socket::open(&stranger, Some(&api.base))
            .await
            .expect_err("no session")
            .status,
        401
    );
    // A plain GET is told what the endpoint is.
    let (status, body) = alice.get("/api/v1/ws").await;
    assert_eq!(status, 400, "{body}");
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn a_ticket_opens_one_socket_once_and_expires(pool: PgPool) {
    let settings = api::events::RealtimeSettings {
        ticket_ttl: Duration::from_secs(1),
        ..realtime_settings()
    };
    let api = TestApi::start_realtime(pool, &testkit::stores::redis_url(), settings).await;
    let (alice, ledger) = user(&api, "Alice").await;
    let ticket_once = ticket(&alice).await;
    assert!(ticket_once.starts_with("ftw_"));
    let mut socket = Socket::open_with_ticket(&api.base, &ticket_once)
        .await
        .expect("accepted");
    assert_eq!(socket.start(&[]).await["ledgers"], json!([ledger]));
    let reused = Socket::open_with_ticket(&api.base, &ticket_once)
        .await
        .expect_err("used");
    assert_eq!(reused.status, 401);
    assert_eq!(reused.body["error"]["code"], "unauthenticated");

    let late = ticket(&alice).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        Socket::open_with_ticket(&api.base, &late)
            .await
            .expect_err("expired")
            .status,
        401
    );
    for forged in ["ftw_AAAA", "x", &"ftw_".repeat(200)] {
        assert_eq!(
            Socket::open_with_ticket(&api.base, forged)
                .await
                .expect_err(forged)
                .status,
            401
        );
    }
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn a_slow_client_is_dropped_while_a_fast_one_receives_everything(pool: PgPool) {
    const BURST: usize = 1_000;
    let settings = api::events::RealtimeSettings {
        client_buffer: 8,
        ..realtime_settings()
    };
    let api = TestApi::start_realtime(pool, &testkit::stores::redis_url(), settings).await;
    let (alice, ledger) = user(&api, "Alice").await;
    let mut fast = Socket::open_same_origin(&alice).await;
    fast.start(&[]).await;
    let mut slow = Socket::open_slow(&alice).await;
    slow.start(&[]).await;

    // A burst of large events: far more than the slow client's buffers.
    let mut tx = service_kit::stores::begin(&api.pool).await.expect("begin");
    for n in 0..BURST {
        let event = Event::ExchangeRateChanged(api::events::catalogue::ExchangeRatesChanged {
            currencies: vec![format!("{n:05}{}", "x".repeat(16 * 1024))],
        });
        api::events::record(&mut tx, ledger, &event)
            .await
            .expect("record");
    }
    tx.commit().await.expect("commit");

    let mut received = 0;
    while received < BURST {
        match fast.receive(Duration::from_secs(20)).await {
            Received::Message(m) => {
                let first = m["data"]["currencies"][0].as_str().expect("currency");
                assert_eq!(
                    first[..5].parse::<usize>().expect("n"),
                    received,
                    "in order"
                );
                received += 1;
            }
            other => panic!("the fast client got {other:?} after {received}"),
        }
    }
    assert_eq!(slow.close_code(Duration::from_secs(30)).await, Some(4008));
    let metrics = reqwest::get(format!("{}/metrics", api.base))
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    assert!(
        metrics.contains(r#"financetracker_api_ws_clients_dropped_total{reason="slow"} 1"#),
        "{metrics}"
    );
    let redis = redis::Client::open(testkit::stores::redis_url()).expect("redis");
    let mut redis = redis
        .get_multiplexed_async_connection()
        .await
        .expect("redis");
    let _: u64 = redis::cmd("DEL")
        .arg(service_kit::events::stream_key(ledger))
        .query_async(&mut redis)
        .await
        .expect("drop the burst");
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn bad_client_messages_get_clear_answers_and_never_a_crash(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = user(&api, "Alice").await;
    let (_, bobs_ledger) = user(&api, "Bob").await;

    let mut socket = Socket::open_same_origin(&alice).await;
    socket.message().await;
    socket.send_text("this is not JSON").await;
    let answer = socket.message().await;
    assert_eq!(answer["type"], "error");
    assert_eq!(answer["code"], "malformed_message");
    assert!(
        answer["message"]
            .as_str()
            .is_some_and(|m| m.contains("resume")),
        "{answer}"
    );
    socket.send_text(r#"{"type":"resume","ledgers":{}}"#).await;
    assert_eq!(socket.message().await["code"], "resume_too_late");
    // The socket goes on working.
    account(&alice, ledger, "Still here").await;
    assert_eq!(
        socket.event("account.created").await["ledger_id"],
        ledger.to_string()
    );

    // Unknown and foreign ledgers, and ids that are not event ids.
    let mut socket = Socket::open_same_origin(&alice).await;
    socket
        .start(&[(bobs_ledger, "1-0"), (Uuid::new_v4(), "1-0"), (ledger, "$")])
        .await;
    let mut answers = Vec::new();
    for _ in 0..3 {
        let m = socket.message().await;
        assert_eq!(m["type"], "error", "{m}");
        answers.push((
            m["code"].as_str().unwrap_or_default().to_owned(),
            m["message"].to_string(),
        ));
    }
    answers.sort();
    assert_eq!(
        answers.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>(),
        ["invalid_event_id", "unknown_ledger", "unknown_ledger"]
    );
    assert_eq!(
        answers[1].1, answers[2].1,
        "another's ledger reads like none at all"
    );
    account(&alice, ledger, "After errors").await;
    assert_eq!(
        socket.event("account.created").await["data"]["name"],
        "After errors"
    );

    // Binary frames, oversize frames, and a flood of garbage close the socket.
    let mut binary = Socket::open_same_origin(&alice).await;
    binary.start(&[]).await;
    binary.send(Message::binary(vec![1, 2, 3])).await;
    assert_eq!(binary.close_code(EXPECT).await, Some(1003));

    let mut oversize = Socket::open_same_origin(&alice).await;
    oversize.start(&[]).await;
    oversize.send_text(&"x".repeat(64 * 1024)).await;
    assert_eq!(oversize.close_code(EXPECT).await, Some(1009));

    let mut flood = Socket::open_same_origin(&alice).await;
    flood.start(&[]).await;
    for _ in 0..25 {
        flood.send_text("{").await;
    }
    assert_eq!(flood.close_code(EXPECT).await, Some(1008));

    // The server is fine.
    let mut after = Socket::open_same_origin(&alice).await;
    after.start(&[]).await;
    account(&alice, ledger, "Last").await;
    assert_eq!(after.event("account.created").await["data"]["name"], "Last");
}
