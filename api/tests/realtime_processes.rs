//! Live updates with the real `api` binary: an event caused through one process reaches a
//! client of another (fan-out through Redis, one relay at a time), SIGTERM closes sockets
//! with 1001, `/readyz` says when live updates are degraded, and a socket survives an idle
//! minute behind the bundled nginx.

mod support;

use std::time::Duration;

use serde_json::json;
use sqlx::PgPool;
use support::ws::{Received, Socket};
use support::{Client, account, test_database};
use testkit::Service;
use testkit::stores::{database_url, postgres_addr};
use uuid::Uuid;

const API: &str = env!("CARGO_BIN_EXE_api");

/// An API process on the test database; every process shares the signing key, as the
/// replicas of one deployment do.
async fn api_process(pool: &PgPool, redis_url: &str, extra: &[(&str, &str)]) -> Service {
    let mut env = vec![
        (
            "DATABASE_URL",
            database_url(&test_database(pool), postgres_addr()),
        ),
        ("REDIS_URL", redis_url.to_owned()),
        (
            "JWT_SECRET",
            "a-signing-key-shared-by-every-replica-0123456789".to_owned(),
        ),
        ("COOKIE_SECURE", "false".to_owned()),
        ("TRUST_FORWARDED_FOR", "true".to_owned()),
        ("SHUTDOWN_GRACE_SECONDS", "5".to_owned()),
    ];
    env.extend(extra.iter().map(|(k, v)| (*k, (*v).to_owned())));
    let service = Service::spawn(API, &env).await;
    testkit::readiness::wait_for_readyz(&service, "ready", |status, _| status == 200).await;
    service
}

/// `client` as seen by another process of the same API (cookies are per host, not port).
fn via(client: &Client, service: &Service) -> Client {
    let mut other = client.clone();
    other.base = service.url("");
    other
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn an_event_caused_through_one_process_reaches_clients_of_every_process_once(pool: PgPool) {
    let redis = testkit::stores::redis_url();
    let a = api_process(&pool, &redis, &[]).await;
    let b = api_process(&pool, &redis, &[]).await;
    let mut alice = Client::new(&a.url(""));
    let ledger = alice.register("Alice").await;
    support::all_published(&pool, ledger).await;
    let on_b = via(&alice, &b);
    let mut socket_a = Socket::open_same_origin(&alice).await;
    socket_a.start(&[]).await;
    let mut socket_b = Socket::open_same_origin(&on_b).await;
    socket_b.start(&[]).await;

    // Writes through both processes, each relaying (one at a time) and serving a socket.
    for n in 0..10 {
        let through = if n % 2 == 0 { &alice } else { &on_b };
        account(through, ledger, &format!("Account {n}")).await;
    }
    for socket in [&mut socket_a, &mut socket_b] {
        let mut names = Vec::new();
        while names.len() < 10 {
            match socket.receive(Duration::from_secs(10)).await {
                Received::Message(m) => {
                    assert_eq!(m["type"], "account.created", "{m}");
                    names.push(m["data"]["name"].as_str().expect("name").to_owned());
                }
                other => panic!("after {names:?}: {other:?}"),
            }
        }
        let expected: Vec<String> = (0..10).map(|n| format!("Account {n}")).collect();
        assert_eq!(names, expected, "every event, in order");
        assert_eq!(
            socket.receive(Duration::from_millis(700)).await,
            Received::Nothing,
            "and once"
        );
    }
    let unpublished: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM event_outbox WHERE ledger_id = $1 AND published_at IS NULL",
    )
    .bind(ledger)
    .fetch_one(&pool)
    .await
    .expect("outbox");
    assert_eq!(unpublished, 0, "all published");

    // SIGTERM: the process's sockets are told to go elsewhere.
    let (status, logs) = b.terminate().await;
    assert!(status.success(), "{logs:?}");
    assert_eq!(
        socket_b.close_code(Duration::from_secs(5)).await,
        Some(1001)
    );
    // The other process takes over relaying.
    account(&alice, ledger, "After").await;
    assert_eq!(
        socket_a.event("account.created").await["data"]["name"],
        "After"
    );
    a.terminate().await;
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn readyz_says_when_live_updates_are_degraded(pool: PgPool) {
    let switch = testkit::TcpSwitch::start(testkit::stores::redis_addr()).await;
    switch.set_on(true);
    let service = api_process(&pool, &format!("redis://{}", switch.addr()), &[]).await;
    let (_, ready) = testkit::readiness::get_json(&service.url("/readyz")).await;
    assert_eq!(
        ready["checks"]["realtime"],
        json!({ "ok": true, "optional": true })
    );

    switch.set_on(false);
    testkit::readiness::wait_for_readyz(&service, "realtime degraded", |_, body| {
        body["checks"]["realtime"]["ok"] == false
            && body["checks"]["realtime"]["error"]
                .as_str()
                .is_some_and(|e| e.starts_with("degraded: "))
    })
    .await;
    switch.set_on(true);
    testkit::readiness::wait_for_readyz(&service, "realtime back", |status, body| {
        status == 200 && body["checks"]["realtime"]["ok"] == true
    })
    .await;
    service.terminate().await;
}

/// nginx from the committed rendering of the operator's template (`docker/nginx.conf`, which
/// a test of the operator keeps equal to it), in front of `api`, on its own port and paths.
struct Nginx {
    child: tokio::process::Child,
    base: String,
    _dir: tempdir::Dir,
}

mod tempdir {
    /// A directory removed when dropped.
    #[derive(Debug)]
    pub struct Dir(pub std::path::PathBuf);

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

impl Nginx {
    async fn start(api: &Service) -> Self {
        let template = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docker/nginx.conf"),
        )
        .expect("docker/nginx.conf");
        let dir = std::env::temp_dir().join(format!("ft-nginx-{}", Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("dir");
        let port = testkit::stores::closed_addr().port();
        let upstream = api.url("").trim_start_matches("http://").to_owned();
        let config = template
            .replace("server api:8080;", &format!("server {upstream};"))
            .replace("listen 8080;", &format!("listen 127.0.0.1:{port};"))
            .replace("/tmp/", &format!("{}/", dir.display()));
        assert!(
            config.contains(&upstream) && config.contains(&port.to_string()),
            "{config}"
        );
        let conf = dir.join("nginx.conf");
        std::fs::write(&conf, config).expect("write config");
        let nginx = ["nginx", "/usr/sbin/nginx"]
            .into_iter()
            .find(|n| std::process::Command::new(n).arg("-v").output().is_ok())
            .expect("nginx (make test installs it)");
        // Its output goes to a file: nginx's workers would hold the test's own pipes open.
        let log = std::fs::File::create(dir.join("nginx.log")).expect("log");
        let child = tokio::process::Command::new(nginx)
            .args(["-g", "daemon off;", "-c"])
            .arg(&conf)
            .arg("-e")
            .arg(dir.join("error.log"))
            .stdin(std::process::Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .expect("start nginx");
        let base = format!("http://127.0.0.1:{port}");
        for _ in 0..100 {
            if reqwest::get(format!("{base}/healthz")).await.is_ok() {
                return Self {
                    child,
                    base,
                    _dir: tempdir::Dir(dir),
                };
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let log = std::fs::read_to_string(dir.join("nginx.log")).unwrap_or_default();
        panic!("nginx did not answer on {base}: {log}");
    }

    /// Stops nginx as its service manager would (SIGQUIT: the workers finish and exit).
    async fn stop(mut self) {
        if let Some(pid) = self.child.id() {
            let _ = std::process::Command::new("kill")
                .args(["-QUIT", &pid.to_string()])
                .status();
        }
        let _ = tokio::time::timeout(Duration::from_secs(10), self.child.wait()).await;
    }
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn a_socket_survives_an_idle_minute_behind_nginx(pool: PgPool) {
    // No pings within the minute: only the proxy's own timeouts could end the socket.
    let service = api_process(
        &pool,
        &testkit::stores::redis_url(),
        &[("WS_PING_SECONDS", "300")],
    )
    .await;
    let nginx = Nginx::start(&service).await;
    // Signed up directly (nginx would give every test the same address to rate-limit),
    // then used through nginx with the same cookies.
    let mut alice = Client::new(&service.url(""));
    let ledger = alice.register("Alice").await;
    support::all_published(&pool, ledger).await;
    alice.base.clone_from(&nginx.base);
    let mut socket = Socket::open_same_origin(&alice).await;
    socket.start(&[]).await;
    assert_eq!(
        socket.receive(Duration::from_secs(65)).await,
        Received::Nothing,
        "a quiet minute"
    );
    account(&alice, ledger, "After a minute").await;
    assert_eq!(
        socket.event("account.created").await["data"]["name"],
        "After a minute"
    );
    nginx.stop().await;
    service.terminate().await;
}
