//! The ML worker binary started against the real Postgres and Redis: readiness, graceful
//! shutdown and configuration errors.

mod support;

use sqlx::PgPool;
use testkit::readiness::{
    bad_setting_stops_the_binary, readiness_follows_the_stores, unreachable_stores_mean_not_ready,
};

const WORKER: &str = env!("CARGO_BIN_EXE_ml-worker");

#[sqlx::test(migrations = false)]
async fn readyz_follows_postgres_and_redis(pool: PgPool) {
    let database = support::database_of(&pool);
    readiness_follows_the_stores(WORKER, &database, &[]).await;
}

#[tokio::test]
async fn unreachable_stores_leave_the_worker_alive_but_not_ready() {
    unreachable_stores_mean_not_ready(WORKER).await;
}

#[tokio::test]
async fn an_unparseable_redis_url_stops_the_worker_naming_the_setting() {
    let env = [("REDIS_URL", "http://not-redis:hunter2@x".to_owned())];
    bad_setting_stops_the_binary(WORKER, &env, "invalid REDIS_URL (--redis-url)").await;
}

#[tokio::test]
async fn a_port_in_use_stops_the_worker_naming_the_setting() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let env = [("LISTEN_ADDR", taken.local_addr().expect("addr").to_string())];
    bad_setting_stops_the_binary(WORKER, &env, "invalid LISTEN_ADDR (--listen-addr)").await;
}

#[tokio::test]
async fn a_missing_model_stops_the_worker_naming_the_file_and_the_fix() {
    let env = [("MODEL_DIR", "/nonexistent/models".to_owned())];
    bad_setting_stops_the_binary(
        WORKER,
        &env,
        "cannot load the model: /nonexistent/models/minilm-l6-v2-int8/manifest.json: cannot be read",
    )
    .await;
    let env = [("MODEL_VERSION", "no-such-version".to_owned())];
    bad_setting_stops_the_binary(WORKER, &env, "rebuild the model files with `make model`").await;
}

#[sqlx::test(migrations = false)]
async fn the_worker_is_ready_only_once_the_seed_lines_are_embedded(pool: PgPool) {
    let database = support::database_of(&pool);
    let worker = testkit::Service::spawn(WORKER, &support::worker_env(&database)).await;
    testkit::readiness::wait_for_readyz(&worker, "ready", |status, body| {
        // Never ready with the seeds still pending.
        assert!(
            status != 200 || body["checks"]["seed_examples"]["ok"] == true,
            "ready before the seeds: {body}"
        );
        status == 200
    })
    .await;
    let (status, _) = worker.terminate().await;
    assert!(status.success());
}
