//! The categorisation queue on the real Redis, Postgres and model: jobs a crashed worker
//! took but never acknowledged are claimed by another and completed once; a job processed
//! twice changes nothing the second time; what a person categorised is never overwritten.

mod support;

use std::sync::Arc;
use std::time::Duration;

use ml_worker::ledgers::Ledgers;
use ml_worker::model::embedder::Embedder;
use ml_worker::queue::Consumer;
use service_kit::stores::LazyRedis;
use sqlx::PgPool;
use support::{ledger, models};
use uuid::Uuid;

fn redis() -> LazyRedis {
    let url = testkit::stores::redis_url();
    LazyRedis::new(redis::Client::open(url).expect("REDIS_URL"))
}

async fn transaction(
    pool: &PgPool,
    ledger: Uuid,
    account: Uuid,
    payee: &str,
    category: Option<Uuid>,
) -> Uuid {
    sqlx::query_scalar(
        "INSERT INTO transactions (ledger_id, account_id, booked_on, amount, payee, category_id, category_source)
         VALUES ($1, $2, '2026-11-12', -42.00, $3, $4, CASE WHEN $4::uuid IS NULL THEN NULL ELSE 'user'::category_source END)
         RETURNING id",
    )
    .bind(ledger)
    .bind(account)
    .bind(payee)
    .bind(category)
    .fetch_one(pool)
    .await
    .expect("transaction")
}

/// Queues one entry of `transactions` as the API does: their ids joined by commas.
async fn enqueue(redis: &LazyRedis, stream: &str, ledger: Uuid, transactions: &[Uuid]) {
    let ids: Vec<String> = transactions.iter().map(Uuid::to_string).collect();
    redis
        .query::<String>(
            redis::cmd("XADD")
                .arg(stream)
                .arg("*")
                .arg("ledger_id")
                .arg(ledger.to_string())
                .arg("transaction_ids")
                .arg(ids.join(",")),
        )
        .await
        .expect("xadd");
}

/// A queue consumer named `survivor` on `stream`, claiming entries idle for 200 ms.
fn consumer(pool: &PgPool, redis: &LazyRedis, stream: &str) -> Consumer {
    let embedder = Embedder::load(&models(), "minilm-l6-v2-int8", 2).expect("model");
    Consumer {
        reader: service_kit::streams::GroupReader {
            redis: redis.clone(),
            stream: stream.to_owned(),
            group: "ml-workers".to_owned(),
            name: "survivor".to_owned(),
            min_idle: Duration::from_millis(200),
        },
        db: pool.clone(),
        ledgers: Arc::new(Ledgers::new(pool.clone(), Arc::new(embedder))),
        metrics: ml_worker::metrics::MlMetrics::register(&service_kit::metrics::Metrics::new("ml")),
    }
}

/// A worker named `crashed` reads every waiting entry and never acknowledges any.
async fn crashed_worker_takes_everything(redis: &LazyRedis, stream: &str) {
    let _: redis::Value = redis
        .query(
            redis::cmd("XREADGROUP")
                .arg("GROUP")
                .arg("ml-workers")
                .arg("crashed")
                .arg("COUNT")
                .arg(10)
                .arg("STREAMS")
                .arg(stream)
                .arg(">"),
        )
        .await
        .expect("read");
}

/// The data of the ledger's `categorization.completed` events recorded in the outbox,
/// oldest first.
async fn completed_events(pool: &PgPool, ledger: Uuid) -> Vec<serde_json::Value> {
    sqlx::query_scalar::<_, sqlx::types::Json<serde_json::Value>>(
        "SELECT data FROM event_outbox WHERE ledger_id = $1 AND type = $2 ORDER BY seq",
    )
    .bind(ledger)
    .bind(contracts::categorization::COMPLETED_EVENT)
    .fetch_all(pool)
    .await
    .expect("events")
    .into_iter()
    .map(|data| data.0)
    .collect()
}

/// One round of `consumer`'s: how many jobs it completed.
async fn round(consumer: &Consumer) -> usize {
    consumer
        .run_once(Duration::from_millis(10))
        .await
        .expect("round")
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn jobs_left_by_a_crashed_worker_are_completed_once_by_another(pool: PgPool) {
    let (ledger, categories) = ledger(&pool).await;
    let fuel = categories[0].1;
    let groceries = categories[2].1;
    let account = support::account(&pool, ledger).await;
    transaction(&pool, ledger, account, "ENGEN MITCHELL PARK", Some(fuel)).await;
    let known = transaction(&pool, ledger, account, "Engen Mitchell Park * 12 Nov", None).await;
    let unknown = transaction(&pool, ledger, account, "Zyxwv Qrstu", None).await;
    // Categorised by the user after it was queued: must stay as the user left it.
    let settled = transaction(
        &pool,
        ledger,
        account,
        "Woolworths * 13 Nov",
        Some(groceries),
    )
    .await;

    let stream = format!("ft:test:queue:{}", Uuid::new_v4());
    let redis = redis();
    for id in [known, unknown, settled] {
        enqueue(&redis, &stream, ledger, &[id]).await;
    }
    let consumer = consumer(&pool, &redis, &stream);
    consumer.ensure_group().await.expect("group");
    assert_eq!(
        consumer.reader.backlog().await.expect("backlog"),
        service_kit::streams::Backlog {
            waiting: Some(3),
            taken: 0
        },
        "three jobs wait"
    );

    // A worker takes all three and dies before acknowledging anything.
    crashed_worker_takes_everything(&redis, &stream).await;
    assert_eq!(
        consumer.reader.backlog().await.expect("backlog"),
        service_kit::streams::Backlog {
            waiting: Some(0),
            taken: 3
        },
        "taken by the crashed worker"
    );
    assert_eq!(round(&consumer).await, 0, "not idle long enough yet");

    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(round(&consumer).await, 3, "claimed and done");
    let pending: (u64, Option<String>, Option<String>, redis::Value) = redis
        .query(redis::cmd("XPENDING").arg(&stream).arg("ml-workers"))
        .await
        .expect("xpending");
    assert_eq!(pending.0, 0, "everything acknowledged");

    let row = |id: Uuid| {
        let pool = pool.clone();
        async move {
            // updated_at as text: enough to see that a row was not written again.
            sqlx::query_as::<_, (Option<Uuid>, Option<String>, Option<serde_json::Value>, String)>(
                "SELECT category_id, category_source::text, ml_suggestions, updated_at::text FROM transactions WHERE id = $1",
            )
            .bind(id)
            .fetch_one(&pool)
            .await
            .expect("row")
        }
    };
    let known_row = row(known).await;
    assert_eq!(
        (known_row.0, known_row.1.as_deref()),
        (Some(fuel), Some("ml"))
    );
    let unknown_row = row(unknown).await;
    assert!(
        unknown_row.1.as_deref() == Some("ml") || unknown_row.2.is_some(),
        "applied or kept as suggestions: {unknown_row:?}"
    );
    // Each result is announced, in the transaction that wrote it.
    let events = completed_events(&pool, ledger).await;
    let completed = |id: Uuid| events.iter().any(|e| e["transaction_id"] == id.to_string());
    assert!(completed(known) && completed(unknown), "{events:?}");
    assert!(!completed(settled), "nothing happened to the settled one");
    let settled_row = row(settled).await;
    assert_eq!(
        (settled_row.0, settled_row.1.as_deref()),
        (Some(groceries), Some("user"))
    );

    // The same job again (a duplicate after a crash between write and acknowledgement).
    enqueue(&redis, &stream, ledger, &[known]).await;
    assert_eq!(round(&consumer).await, 1);
    assert_eq!(row(known).await, known_row, "processed twice, written once");
    let announced = |events: &[serde_json::Value], id: Uuid| {
        events
            .iter()
            .filter(|e| e["transaction_id"] == id.to_string())
            .count()
    };
    assert_eq!(
        announced(&completed_events(&pool, ledger).await, known),
        1,
        "a duplicate handed out fresh is not announced again"
    );
    redis
        .query::<u64>(redis::cmd("DEL").arg(&stream))
        .await
        .expect("cleanup");
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn a_result_whose_event_cannot_be_recorded_is_not_written_and_is_retried(pool: PgPool) {
    let (ledger, categories) = ledger(&pool).await;
    let fuel = categories[0].1;
    let account = support::account(&pool, ledger).await;
    transaction(&pool, ledger, account, "ENGEN MITCHELL PARK", Some(fuel)).await;
    let job = transaction(&pool, ledger, account, "Engen Mitchell Park * 12 Nov", None).await;
    // The outbox refuses this ledger's events for now.
    sqlx::raw_sql(&format!(
        "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
             IF NEW.ledger_id = '{ledger}' THEN RAISE EXCEPTION 'outbox unavailable'; END IF;
             RETURN NEW;
         END $$;
         CREATE TRIGGER refuse BEFORE INSERT ON event_outbox FOR EACH ROW EXECUTE FUNCTION refuse();"
    ))
    .execute(&pool)
    .await
    .expect("trigger");

    let stream = format!("ft:test:queue:{}", Uuid::new_v4());
    let redis = redis();
    let consumer = consumer(&pool, &redis, &stream);
    consumer.ensure_group().await.expect("group");
    enqueue(&redis, &stream, ledger, &[job]).await;
    assert_eq!(round(&consumer).await, 0, "the round fails whole");
    let category: Option<Uuid> =
        sqlx::query_scalar("SELECT category_id FROM transactions WHERE id = $1")
            .bind(job)
            .fetch_one(&pool)
            .await
            .expect("row");
    assert_eq!(category, None, "no result without its event");
    assert!(completed_events(&pool, ledger).await.is_empty());

    sqlx::raw_sql("DROP TRIGGER refuse ON event_outbox")
        .execute(&pool)
        .await
        .expect("drop trigger");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(round(&consumer).await, 1, "the job left pending is done");
    let events = completed_events(&pool, ledger).await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["transaction_id"], job.to_string());
    assert_eq!(events[0]["category_id"], fuel.to_string());
    redis
        .query::<u64>(redis::cmd("DEL").arg(&stream))
        .await
        .expect("cleanup");
}
