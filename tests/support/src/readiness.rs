//! Scenarios every service that depends on the stores must pass, shared so that the API and
//! the ML worker are held to the same behaviour.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::service::run_to_exit;
use crate::stores::{closed_addr, database_url, postgres_addr, redis_addr};
use crate::{Service, TcpSwitch};

const SETTLE_TIMEOUT: Duration = Duration::from_secs(45);

/// `GET path`: status code and JSON body.
pub async fn get_json(url: &str) -> (u16, Value) {
    let response = reqwest::get(url)
        .await
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let status = response.status().as_u16();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body)
}

/// Polls `/readyz` until `accept(status, body)` holds, or panics with the last answer.
pub async fn wait_for_readyz(service: &Service, what: &str, accept: impl Fn(u16, &Value) -> bool) {
    let started = Instant::now();
    loop {
        let (status, body) = get_json(&service.url("/readyz")).await;
        if accept(status, &body) {
            return;
        }
        assert!(
            started.elapsed() < SETTLE_TIMEOUT,
            "waited {SETTLE_TIMEOUT:?} for {what}; last /readyz: {status} {body}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn check_ok(body: &Value, name: &str) -> bool {
    body["checks"][name]["ok"] == Value::Bool(true)
}

/// Starts `binary` with Postgres and Redis both down, brings them up one at a time and
/// takes Postgres down again, asserting `/readyz` at each step. `database` must exist.
/// `extra_checks` are readiness checks beyond `postgres` and `redis` that the stores
/// coming up must satisfy (such as `migrations`).
pub async fn readiness_follows_the_stores(binary: &str, database: &str, extra_checks: &[&str]) {
    let postgres = TcpSwitch::start(postgres_addr()).await;
    let redis = TcpSwitch::start(redis_addr()).await;
    let service = Service::spawn(
        binary,
        &[
            ("DATABASE_URL", database_url(database, postgres.addr())),
            ("REDIS_URL", format!("redis://{}", redis.addr())),
        ],
    )
    .await;

    let (status, body) = get_json(&service.url("/healthz")).await;
    assert_eq!(
        (status, &body["status"]),
        (200, &Value::from("ok")),
        "healthz while stores are down"
    );
    let (status, body) = get_json(&service.url("/readyz")).await;
    assert_eq!(status, 503, "readyz while both stores are down: {body}");
    assert_eq!(body["status"], "not_ready");
    for name in ["postgres", "redis"].iter().chain(extra_checks) {
        assert!(!check_ok(&body, name), "{name} cannot be ok yet: {body}");
        assert!(
            body["checks"][name]["error"].is_string(),
            "{name} says why: {body}"
        );
    }

    postgres.set_on(true);
    wait_for_readyz(
        &service,
        "postgres (and what depends on it) to be ok",
        |status, body| {
            status == 503
                && check_ok(body, "postgres")
                && extra_checks.iter().all(|c| check_ok(body, c))
                && !check_ok(body, "redis")
        },
    )
    .await;

    redis.set_on(true);
    wait_for_readyz(&service, "ready with both stores up", |status, body| {
        status == 200 && body["status"] == "ready"
    })
    .await;

    postgres.set_on(false);
    wait_for_readyz(
        &service,
        "not ready after postgres went away",
        |status, body| status == 503 && !check_ok(body, "postgres") && check_ok(body, "redis"),
    )
    .await;

    postgres.set_on(true);
    wait_for_readyz(
        &service,
        "ready again once postgres is back",
        |status, _| status == 200,
    )
    .await;

    let (exit, logs) = service.terminate().await;
    assert!(
        exit.success(),
        "exit after SIGTERM: {exit}; logs: {logs:#?}"
    );
    assert!(
        logs.iter().any(|l| l.contains("shutdown complete")),
        "a clean shutdown is logged: {logs:#?}"
    );
}

/// With both store URLs pointing where nothing listens, the service still starts, is alive,
/// and reports not ready with a reason for each store.
pub async fn unreachable_stores_mean_not_ready(binary: &str) {
    let service = Service::spawn(
        binary,
        &[
            (
                "DATABASE_URL",
                database_url("financetracker", closed_addr()),
            ),
            ("REDIS_URL", format!("redis://{}", closed_addr())),
        ],
    )
    .await;
    assert_eq!(get_json(&service.url("/healthz")).await.0, 200);
    let (status, body) = get_json(&service.url("/readyz")).await;
    assert_eq!(status, 503, "{body}");
    for name in ["postgres", "redis"] {
        assert!(!check_ok(&body, name), "{name}: {body}");
        let error = body["checks"][name]["error"].as_str().unwrap_or_default();
        assert!(!error.is_empty(), "{name} says why: {body}");
    }
}

/// A bad setting stops `binary` at start with exit code 1 and one line on stderr that names
/// the setting (and contains `expected`), never a panic or a secret.
pub async fn bad_setting_stops_the_binary(binary: &str, env: &[(&str, String)], expected: &str) {
    let output = run_to_exit(binary, &[], env).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "exit code; stderr: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr:?}");
    assert!(
        stderr.contains(expected),
        "{stderr:?} should contain {expected:?}"
    );
    assert!(!stderr.contains("panicked"), "{stderr:?}");
    assert!(!stderr.contains("hunter2"), "a password leaked: {stderr:?}");
}
