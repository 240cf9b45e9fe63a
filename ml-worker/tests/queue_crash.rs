//! The real worker binary killed (SIGKILL) in the middle of the queue: another worker
//! process claims what the dead one had taken, and every job's result is written exactly
//! once. Real Postgres, Redis and model; a stream of its own so no other test's jobs mix in.

mod support;

use std::time::{Duration, Instant};

use sqlx::PgPool;
use support::ledger;
use testkit::service::Service;
use uuid::Uuid;

const WORKER: &str = env!("CARGO_BIN_EXE_ml-worker");
// More than two reads of a worker (20 entries of 50), so the first dies holding a read.
const JOBS: usize = 2_500;

async fn worker(database: &str, stream: &str) -> Service {
    let mut env = support::worker_env(database);
    env.push(("QUEUE_STREAM", stream.to_owned()));
    env.push(("QUEUE_MIN_IDLE_SECONDS", "1".to_owned()));
    Service::spawn(WORKER, &env).await
}

/// Queued transactions that have a result (a category or suggestions).
async fn done(pool: &PgPool, queued: &[Uuid]) -> usize {
    let n: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM transactions
         WHERE id = ANY($1) AND (category_id IS NOT NULL OR ml_suggestions IS NOT NULL)",
    )
    .bind(queued)
    .fetch_one(pool)
    .await
    .expect("count");
    usize::try_from(n).unwrap_or(0)
}

async fn wait_until(what: &str, limit: Duration, mut check: impl AsyncFnMut() -> bool) {
    let started = Instant::now();
    while !check().await {
        assert!(started.elapsed() < limit, "{what}: not within {limit:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn a_worker_killed_mid_queue_loses_no_job_and_repeats_none(pool: PgPool) {
    let database = support::database_of(&pool);
    let (ledger, categories) = ledger(&pool).await;
    let account = support::account(&pool, ledger).await;
    // Every write of a result, as the database saw it: exactly one per transaction.
    sqlx::raw_sql(
        "CREATE TABLE result_writes (transaction_id uuid NOT NULL);
         CREATE FUNCTION record_result_write() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN INSERT INTO result_writes VALUES (NEW.id); RETURN NULL; END $$;
         CREATE TRIGGER record_result_write AFTER UPDATE ON transactions FOR EACH ROW
             WHEN (OLD.category_id IS DISTINCT FROM NEW.category_id
                   OR OLD.ml_suggestions IS DISTINCT FROM NEW.ml_suggestions)
             EXECUTE FUNCTION record_result_write();",
    )
    .execute(&pool)
    .await
    .expect("write log");
    // One labelled line so the model has something to go on; the rest are distinct
    // strings, so each job costs a real embedding.
    sqlx::query(
        "INSERT INTO transactions (ledger_id, account_id, booked_on, amount, payee, category_id, category_source)
         VALUES ($1, $2, '2026-11-01', -40, 'SHELL FUEL STATION', $3, 'user')",
    )
    .bind(ledger)
    .bind(account)
    .bind(categories[0].1)
    .execute(&pool)
    .await
    .expect("labelled");
    let ids: Vec<Uuid> = sqlx::query_scalar(
        "INSERT INTO transactions (ledger_id, account_id, booked_on, amount, payee)
         SELECT $1, $2, date '2026-11-01' + (i % 28), -(i % 90 + 1),
                (ARRAY['CARD PURCHASE', 'POS', 'DEBIT'])[1 + i % 3] || ' MERCHANT ' || md5(i::text)
         FROM generate_series(1, $3) AS i RETURNING id",
    )
    .bind(ledger)
    .bind(account)
    .bind(i32::try_from(JOBS).expect("small"))
    .fetch_all(&pool)
    .await
    .expect("transactions");

    let stream = format!("ft:test:queue:{}", Uuid::new_v4());
    let redis = redis::Client::open(testkit::stores::redis_url()).expect("redis url");
    let mut redis = redis
        .get_multiplexed_async_connection()
        .await
        .expect("redis");
    let mut pipe = redis::pipe();
    // As the API queues an import's rows: several to an entry.
    for entry in contracts::categorization::queue_entries(&ids) {
        pipe.cmd("XADD")
            .arg(&stream)
            .arg("*")
            .arg("ledger_id")
            .arg(ledger.to_string())
            .arg("transaction_ids")
            .arg(entry)
            .ignore();
    }
    let () = pipe.query_async(&mut redis).await.expect("queue the jobs");

    // The first worker gets some way in, then dies without a word.
    let first = worker(&database, &stream).await;
    wait_until("the first results", Duration::from_mins(1), async || {
        done(&pool, &ids).await > 0
    })
    .await;
    first.kill().await;
    let at_kill = done(&pool, &ids).await;
    let pending: (u64, Option<String>, Option<String>, redis::Value) = redis::cmd("XPENDING")
        .arg(&stream)
        .arg("ml-workers")
        .query_async(&mut redis)
        .await
        .expect("xpending");
    eprintln!(
        "killed with {at_kill} of {JOBS} done and {} taken but not acknowledged",
        pending.0
    );
    assert!(
        at_kill < JOBS,
        "killed before the end of the queue ({at_kill} of {JOBS} done)"
    );
    assert!(
        pending.0 > 0,
        "killed holding jobs it had taken but not acknowledged (a crash mid-batch)"
    );

    // A second worker claims the dead one's jobs once they are idle, and does the rest.
    let second = worker(&database, &stream).await;
    let started = Instant::now();
    while done(&pool, &ids).await < JOBS {
        if started.elapsed() > Duration::from_mins(2) {
            let logs = second.logs();
            panic!(
                "{} of {JOBS} jobs done after 2 minutes ({at_kill} when the first worker died); \
                 the second worker's last log lines:\n{}",
                done(&pool, &ids).await,
                logs[logs.len().saturating_sub(30)..].join("\n")
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    wait_until(
        "every acknowledgement",
        Duration::from_secs(10),
        async || {
            let pending: (u64, Option<String>, Option<String>, redis::Value) =
                redis::cmd("XPENDING")
                    .arg(&stream)
                    .arg("ml-workers")
                    .query_async(&mut redis)
                    .await
                    .expect("xpending");
            pending.0 == 0
        },
    )
    .await;
    // The gauges say the queue is empty (they are set after every round).
    wait_until(
        "the queue gauges at zero",
        Duration::from_secs(15),
        async || {
            let metrics = reqwest::get(second.url("/metrics"))
                .await
                .expect("metrics")
                .text()
                .await
                .expect("metrics text");
            metrics.contains(r#"financetracker_ml_queue_jobs{state="waiting"} 0"#)
                && metrics.contains(r#"financetracker_ml_queue_jobs{state="taken"} 0"#)
        },
    )
    .await;
    let (status, _) = second.terminate().await;
    assert!(
        status.success(),
        "the second worker stops cleanly: {status}"
    );

    let writes: Vec<(Uuid, i64)> = sqlx::query_as(
        "SELECT transaction_id, count(*) FROM result_writes GROUP BY transaction_id",
    )
    .fetch_all(&pool)
    .await
    .expect("writes");
    assert_eq!(
        writes.len(),
        JOBS,
        "every queued transaction got its result"
    );
    let repeated: Vec<&(Uuid, i64)> = writes.iter().filter(|(_, n)| *n != 1).collect();
    assert!(repeated.is_empty(), "written more than once: {repeated:?}");
    let _: () = redis::cmd("DEL")
        .arg(&stream)
        .query_async(&mut redis)
        .await
        .expect("clean up");
}
