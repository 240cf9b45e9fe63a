//! The API served in-process on an ephemeral port against a `#[sqlx::test]` database and the
//! real Redis, and an HTTP client that behaves like a browser (cookie jar, CSRF header) or
//! like a script (bearer token).

#![allow(dead_code)]

pub mod ws;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use api::auth::ended_sessions::EndedSessions;
use api::auth::rate_limit::RateLimiter;
use api::auth::tokens::AccessKeys;
use api::events::{Realtime, RealtimeSettings};
use api::http::{AppState, AuthSettings};
use reqwest::Method;
use serde_json::{Value, json};
use service_kit::metrics::Metrics;
use service_kit::probes::Readiness;
use service_kit::stores::LazyRedis;
use sqlx::PgPool;
use uuid::Uuid;

/// The test servers' import limit (small, so the 413 is cheap to provoke).
pub const IMPORT_MAX_BYTES: usize = 2 * 1024 * 1024;
pub const PASSWORD: &str = "correct horse battery staple";
/// The servers' default allowance for a refresh token used twice at once.
pub const REFRESH_REUSE_GRACE_SECONDS: u64 = 30;

#[derive(Debug)]
pub struct TestApi {
    pub base: String,
    pub pool: PgPool,
    pub state: AppState,
    /// This server's own import stream: tests share Redis, and a job worker must never
    /// take another test's import (it would not find it in its own database).
    pub import_stream: String,
}

impl TestApi {
    pub async fn start(pool: PgPool) -> Self {
        Self::start_with_body_limit(pool, 1024 * 1024).await
    }

    pub async fn start_with_body_limit(pool: PgPool, max_body_bytes: usize) -> Self {
        let redis_url = testkit::stores::redis_url();
        Self::start_with(pool, max_body_bytes, &redis_url).await
    }

    /// An API whose Redis is at `redis_url` (an address nothing listens on, for example).
    pub async fn start_with(pool: PgPool, max_body_bytes: usize, redis_url: &str) -> Self {
        Self::start_full(pool, max_body_bytes, redis_url, None, realtime_settings()).await
    }

    /// An API with these real-time settings, its Redis at `redis_url`.
    pub async fn start_realtime(pool: PgPool, redis_url: &str, settings: RealtimeSettings) -> Self {
        Self::start_full(pool, 1024 * 1024, redis_url, None, settings).await
    }

    /// An API that asks the ML worker at `ml_worker_url` to categorise.
    pub async fn start_with_ml(pool: PgPool, ml_worker_url: &str) -> Self {
        let redis_url = testkit::stores::redis_url();
        Self::start_full(
            pool,
            1024 * 1024,
            &redis_url,
            Some(ml_worker_url.to_owned()),
            realtime_settings(),
        )
        .await
    }

    async fn start_full(
        pool: PgPool,
        max_body_bytes: usize,
        redis_url: &str,
        ml_worker_url: Option<String>,
        settings: RealtimeSettings,
    ) -> Self {
        let redis = LazyRedis::new(redis::Client::open(redis_url).expect("REDIS_URL"));
        let import_stream = format!("ft:test:imports:{}", Uuid::new_v4().simple());
        let metrics = Arc::new(Metrics::new("api"));
        let realtime = Realtime::start(&pool, redis.clone(), settings, &metrics);
        let state = AppState {
            db: pool.clone(),
            limiter: RateLimiter::new(redis.clone()),
            ended_sessions: EndedSessions::new(redis.clone(), Duration::from_mins(15)),
            ml: api::ml::MlClient::new(ml_worker_url, Duration::from_secs(2), redis.clone()),
            realtime,
            imports: api::imports::job::ImportSettings {
                max_bytes: IMPORT_MAX_BYTES,
                queue: api::imports::job::ImportQueue::new(redis, import_stream.clone()),
            },
            auth: Arc::new(AuthSettings {
                keys: AccessKeys::new(b"integration-test-signing-key-0123456789"),
                access_ttl: Duration::from_mins(15),
                refresh_ttl: Duration::from_hours(30 * 24),
                refresh_reuse_grace: Duration::from_secs(REFRESH_REUSE_GRACE_SECONDS),
                secure_cookies: false,
                // Every test client sends its own random address, so rate-limit counters
                // in the shared Redis never collide between tests or runs.
                trust_forwarded_for: true,
            }),
        };
        let app = service_kit::server::with_standard_routes(
            api::http::router(state.clone(), max_body_bytes),
            Arc::new(Readiness::new(vec![], Duration::from_secs(1))),
            metrics,
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await
            .expect("serve");
        });
        Self {
            base: format!("http://{addr}"),
            pool,
            state,
            import_stream,
        }
    }

    /// An import job worker on this server's stream and database, as `api serve` runs one.
    pub fn import_worker(
        &self,
        name: &str,
        min_idle: Duration,
        chunk_rows: usize,
    ) -> api::imports::job::ImportWorker {
        let redis =
            LazyRedis::new(redis::Client::open(testkit::stores::redis_url()).expect("REDIS_URL"));
        api::imports::job::ImportWorker {
            state: self.state.clone(),
            reader: service_kit::streams::GroupReader {
                redis,
                stream: self.import_stream.clone(),
                group: api::imports::job::GROUP.to_owned(),
                name: name.to_owned(),
                min_idle,
            },
            chunk_rows,
            writers: 2,
        }
    }

    /// The id of the ledger's category called `name` (one of the defaults).
    pub async fn category(&self, ledger: Uuid, name: &str) -> String {
        let id: Uuid =
            sqlx::query_scalar("SELECT id FROM categories WHERE ledger_id = $1 AND name = $2")
                .bind(ledger)
                .bind(name)
                .fetch_one(&self.pool)
                .await
                .unwrap_or_else(|e| panic!("category {name}: {e}"));
        id.to_string()
    }

    /// A browser-like client with its own cookie jar and client address.
    pub fn client(&self) -> Client {
        Client::new(&self.base)
    }

    /// Registers a fresh user and returns their signed-in client and personal ledger id.
    pub async fn user(&self, name: &str) -> (Client, Uuid) {
        let mut client = self.client();
        let ledger = client.register(name).await;
        (client, ledger)
    }
}

/// The ML worker's HTTP API on `pool`, at the returned base URL.
pub async fn ml_worker(pool: PgPool) -> String {
    ml_worker_of(pool, "minilm-l6-v2-int8").await.0
}

/// A real ML worker (router in this process, real model) serving `version`, and its metrics.
pub async fn ml_worker_of(pool: PgPool, version: &str) -> (String, ml_worker::metrics::MlMetrics) {
    let embedder = ml_worker::model::embedder::Embedder::load(&testkit::model_dir(), version, 2)
        .expect("model (run `make model`)");
    let ledgers = Arc::new(ml_worker::ledgers::Ledgers::new(pool, Arc::new(embedder)));
    // As the worker does when it starts: the first request must not wait for the seeds.
    ledgers.warm_up().expect("embed the seed lines");
    let metrics = service_kit::metrics::Metrics::new("ml");
    let ml_metrics = ml_worker::metrics::MlMetrics::register(&metrics);
    let app = ml_worker::routes::router(ml_worker::routes::WorkerState {
        ledgers,
        metrics: ml_metrics.clone(),
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    (base, ml_metrics)
}

/// The servers' real-time settings: `api serve`'s defaults, with pings and the membership
/// check quicker so tests need not wait for them.
pub fn realtime_settings() -> RealtimeSettings {
    RealtimeSettings {
        public_origins: Vec::new(),
        replay_window: Duration::from_hours(24),
        ping_interval: Duration::from_secs(30),
        client_buffer: 256,
        ticket_ttl: Duration::from_secs(30),
        recheck_every: Duration::from_secs(2),
    }
}

fn random_ip() -> String {
    let b = Uuid::new_v4().into_bytes();
    format!("10.{}.{}.{}", b[0], b[1], b[2])
}

#[derive(Debug, Clone)]
pub struct Client {
    pub http: reqwest::Client,
    /// The client's cookies (the session's, once signed in).
    pub jar: Arc<reqwest::cookie::Jar>,
    pub base: String,
    /// Sent as `X-CSRF-Token` on state-changing requests when set.
    pub csrf: Option<String>,
    /// Sent as `Authorization: Bearer` when set.
    pub bearer: Option<String>,
    pub ip: String,
    pub email: String,
}

impl Client {
    /// A browser-like client of the API at `base`, with its own cookie jar and address.
    pub fn new(base: &str) -> Self {
        let jar = Arc::new(reqwest::cookie::Jar::default());
        Self {
            http: reqwest::Client::builder()
                .cookie_provider(Arc::clone(&jar))
                .build()
                .expect("client"),
            jar,
            base: base.to_owned(),
            csrf: None,
            bearer: None,
            ip: random_ip(),
            email: String::new(),
        }
    }

    /// Registers a fresh user named `name` and signs in as them; returns their personal
    /// ledger's id.
    pub async fn register(&mut self, name: &str) -> Uuid {
        let email = format!("{name}.{}@example.org", Uuid::new_v4().simple());
        let (status, body) = self
            .send(
                Method::POST,
                "/api/v1/auth/register",
                Some(json!({
                    "email": email, "password": PASSWORD, "display_name": name, "currency": "EUR"
                })),
            )
            .await;
        assert_eq!(status, 201, "register: {body}");
        self.csrf = body["csrf_token"].as_str().map(str::to_owned);
        self.email = email;
        let (_, ledgers) = self.get("/api/v1/ledgers").await;
        ledgers[0]["id"]
            .as_str()
            .expect("a personal ledger")
            .parse()
            .expect("uuid")
    }

    /// The `Cookie` header the client would send to the API.
    pub fn cookie_header(&self) -> Option<String> {
        use reqwest::cookie::CookieStore;
        let url = reqwest::Url::parse(&self.base).expect("base URL");
        self.jar
            .cookies(&url)
            .and_then(|v| v.to_str().ok().map(str::to_owned))
    }

    pub async fn request(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> reqwest::Response {
        let mut request = self
            .http
            .request(method.clone(), format!("{}{path}", self.base))
            .header("x-forwarded-for", &self.ip);
        if method != Method::GET
            && method != Method::HEAD
            && let Some(csrf) = &self.csrf
        {
            request = request.header("x-csrf-token", csrf);
        }
        if let Some(token) = &self.bearer {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.expect("request")
    }

    pub async fn send(&self, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let response = self.request(method, path, body).await;
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        (status, value)
    }

    /// Joins `owner`'s ledger with `role`, by an invitation code as a person would.
    pub async fn join(&self, owner: &Client, ledger: Uuid, role: &str) {
        let (status, invite) = owner
            .post(
                &format!("/api/v1/ledgers/{ledger}/invites"),
                json!({ "role": role }),
            )
            .await;
        assert_eq!(status, 201, "invite: {invite}");
        let (status, body) = self
            .post("/api/v1/invites/accept", json!({ "code": invite["code"] }))
            .await;
        assert_eq!(status, 200, "accept: {body}");
    }

    /// Sends `bytes` as a raw body (a file upload).
    pub async fn upload(&self, path: &str, bytes: Vec<u8>) -> (u16, Value) {
        let mut request = self
            .http
            .post(format!("{}{path}", self.base))
            .header("x-forwarded-for", &self.ip)
            .header("content-type", "application/octet-stream")
            .body(bytes);
        if let Some(csrf) = &self.csrf {
            request = request.header("x-csrf-token", csrf);
        }
        if let Some(token) = &self.bearer {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("upload");
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.send(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.send(Method::POST, path, Some(body)).await
    }
}

/// The data of every `kind` event recorded for `ledger`, oldest first.
pub async fn events(pool: &PgPool, ledger: Uuid, kind: &str) -> Vec<Value> {
    sqlx::query_scalar::<_, sqlx::types::Json<Value>>(
        "SELECT data FROM event_outbox WHERE ledger_id = $1 AND type = $2 ORDER BY seq",
    )
    .bind(ledger)
    .bind(kind)
    .fetch_all(pool)
    .await
    .expect("events")
    .into_iter()
    .map(|data| data.0)
    .collect()
}

/// A checking account in EUR named `name`; its id.
pub async fn account(client: &Client, ledger: Uuid, name: &str) -> String {
    let (status, body) = client
        .post(
            &format!("/api/v1/ledgers/{ledger}/accounts"),
            json!({ "name": name, "kind": "checking", "currency": "EUR" }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_str().expect("id").to_owned()
}

/// The name of the database `#[sqlx::test]` made for this test.
pub fn test_database(pool: &PgPool) -> String {
    pool.connect_options()
        .get_database()
        .expect("sqlx::test names its database")
        .to_owned()
}

/// Waits until the relay has published every event of `ledger` recorded so far.
pub async fn all_published(pool: &PgPool, ledger: Uuid) {
    for _ in 0..100 {
        let waiting: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM event_outbox WHERE ledger_id = $1 AND published_at IS NULL",
        )
        .bind(ledger)
        .fetch_one(pool)
        .await
        .expect("count");
        if waiting == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the relay did not publish within 5 s");
}

/// The transactions of `ledger` queued for the ML worker, among the newest 10,000 entries of
/// its Redis stream (shared by every test, each with its own ledger).
pub async fn ml_queued(ledger: Uuid) -> Vec<String> {
    ml_queued_on(api::ml::QUEUE, ledger).await
}

/// The transaction ids of `ledger` queued on `stream`, newest first.
pub async fn ml_queued_on(stream: &str, ledger: Uuid) -> Vec<String> {
    let client = redis::Client::open(testkit::stores::redis_url()).expect("redis url");
    let mut redis = client
        .get_multiplexed_async_connection()
        .await
        .expect("redis");
    // Newest first: [id, [field, value, ...]] per entry.
    let entries: Vec<(String, Vec<String>)> = redis::cmd("XREVRANGE")
        .arg(stream)
        .arg("+")
        .arg("-")
        .arg("COUNT")
        .arg(10_000)
        .query_async(&mut redis)
        .await
        .expect("xrevrange");
    let ledger = ledger.to_string();
    entries
        .into_iter()
        .filter_map(|(_, flat)| {
            let field = |name: &str| {
                flat.chunks(2)
                    .find(|p| p.len() == 2 && p[0] == name)
                    .map(|p| p[1].clone())
            };
            let ids = field("transaction_ids")?;
            (field("ledger_id")? == ledger).then_some(ids)
        })
        .flat_map(|ids| {
            // Read as the worker reads an entry; newest first within an entry too.
            let ids = contracts::categorization::queue_entry_ids(&ids).expect("queued ids");
            ids.into_iter().rev().map(|id| id.to_string())
        })
        .collect()
}

/// Asserts the error shape and code.
pub fn assert_error(status: u16, body: &Value, expected_status: u16, code: &str) {
    assert_eq!(status, expected_status, "{body}");
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{body}"
    );
}
