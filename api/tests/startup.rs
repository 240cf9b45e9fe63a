//! The API binary started against the real Postgres and Redis: readiness, migrations,
//! graceful shutdown and configuration errors.

mod support;

use sqlx::PgPool;
use support::test_database;
use testkit::readiness::{
    bad_setting_stops_the_binary, readiness_follows_the_stores, unreachable_stores_mean_not_ready,
};
use testkit::service::run_to_exit;
use testkit::stores::{database_url, postgres_addr};

const API: &str = env!("CARGO_BIN_EXE_api");

async fn applied_migrations(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations WHERE success")
        .fetch_one(pool)
        .await
        .expect("the migrations table exists")
}

fn known_migrations() -> i64 {
    i64::try_from(service_kit::schema::MIGRATOR.iter().count()).expect("few migrations")
}

#[sqlx::test(migrations = false)]
async fn readyz_follows_postgres_redis_and_migrations(pool: PgPool) {
    readiness_follows_the_stores(API, &test_database(&pool), &["migrations"]).await;
    assert_eq!(applied_migrations(&pool).await, known_migrations());
}

#[tokio::test]
async fn unreachable_stores_leave_the_api_alive_but_not_ready() {
    unreachable_stores_mean_not_ready(API).await;
}

#[sqlx::test(migrations = false)]
async fn migrate_applies_the_schema_and_running_it_again_is_harmless(pool: PgPool) {
    let url = database_url(&test_database(&pool), postgres_addr());
    for attempt in 1..=2 {
        let output = run_to_exit(API, &["migrate"], &[("DATABASE_URL", url.clone())]).await;
        assert!(
            output.status.success(),
            "attempt {attempt}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    assert_eq!(applied_migrations(&pool).await, known_migrations());
    let trigram: i64 =
        sqlx::query_scalar("SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'")
            .fetch_one(&pool)
            .await
            .expect("query");
    assert_eq!(trigram, 1, "the first migration installs pg_trgm");
}

#[tokio::test]
async fn migrate_without_postgres_fails_with_one_line() {
    let url = database_url("financetracker", testkit::stores::closed_addr());
    let output = run_to_exit(API, &["migrate"], &[("DATABASE_URL", url)]).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("api: cannot apply database migrations: "),
        "{stderr}"
    );
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
}

#[tokio::test]
async fn an_unparseable_database_url_stops_the_api_naming_the_setting() {
    let env = [(
        "DATABASE_URL",
        "postgres://app:hunter2@db:notaport/x".to_owned(),
    )];
    bad_setting_stops_the_binary(API, &env, "invalid DATABASE_URL (--database-url)").await;
}

#[tokio::test]
async fn a_port_in_use_stops_the_api_naming_the_setting() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let env = [("LISTEN_ADDR", taken.local_addr().expect("addr").to_string())];
    bad_setting_stops_the_binary(API, &env, "invalid LISTEN_ADDR (--listen-addr)").await;
}

/// The import worker waits for jobs with a blocking Redis read. On its own connection that
/// costs nothing; on the shared one, every request's Redis call (readiness, sign-out checks,
/// rate limits) waited behind it for seconds.
#[sqlx::test]
async fn the_import_worker_does_not_hold_up_other_redis_calls(pool: PgPool) {
    let service = testkit::service::Service::spawn(
        API,
        &[
            (
                "DATABASE_URL",
                database_url(&test_database(&pool), postgres_addr()),
            ),
            ("REDIS_URL", testkit::stores::redis_url()),
        ],
    )
    .await;
    testkit::readiness::wait_for_readyz(&service, "ready", |status, _| status == 200).await;
    for attempt in 0..8 {
        let started = std::time::Instant::now();
        let (status, body) = testkit::readiness::get_json(&service.url("/readyz")).await;
        assert_eq!(status, 200, "attempt {attempt}: {body}");
        assert!(
            started.elapsed() < std::time::Duration::from_millis(500),
            "attempt {attempt}: /readyz took {:?}",
            started.elapsed()
        );
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    }
    service.terminate().await;
}
