//! `api serve`: the HTTP service. Starts even while Postgres or Redis is down (reporting
//! not-ready), applies migrations as soon as Postgres answers, and drains on SIGTERM.

use std::sync::Arc;
use std::time::Duration;

use service_kit::metrics::Metrics;
use service_kit::probes::{Condition, Readiness};
use service_kit::stores::{PostgresCheck, RedisCheck};
use service_kit::streams::GroupReader;
use service_kit::{ConfigError, schema, server};

use crate::auth::ended_sessions::EndedSessions;
use crate::auth::rate_limit::RateLimiter;
use crate::auth::tokens::{AccessKeys, random_token};
use crate::config::{AuthArgs, Config, RealtimeArgs};
use crate::error::Error;
use crate::events::{Realtime, RealtimeCheck, RealtimeSettings};
use crate::http::{self, AppState, AuthSettings};
use crate::imports::job::{self as import_job, ImportQueue, ImportSettings, ImportWorker};

/// The settings `AuthArgs` describe, checked.
pub fn auth_settings(args: &AuthArgs) -> Result<AuthSettings, ConfigError> {
    let keys = match &args.jwt_secret {
        Some(secret) if secret.expose().len() >= 32 => AccessKeys::new(secret.expose().as_bytes()),
        Some(_) => {
            return Err(ConfigError::new(
                "JWT_SECRET",
                "--jwt-secret",
                "must be at least 32 bytes (try `openssl rand -base64 48`)",
            ));
        }
        None => {
            tracing::warn!("JWT_SECRET is not set: using a random key, so sessions end at restart");
            AccessKeys::new(random_token("").as_bytes())
        }
    };
    Ok(AuthSettings {
        keys,
        access_ttl: Duration::from_secs(args.access_token_ttl_seconds),
        refresh_ttl: Duration::from_secs(args.refresh_token_ttl_days * 86_400),
        refresh_reuse_grace: Duration::from_secs(args.refresh_reuse_grace_seconds),
        secure_cookies: args.cookie_secure,
        trust_forwarded_for: args.trust_forwarded_for,
    })
}

/// The settings `RealtimeArgs` describe, checked.
pub fn realtime_settings(args: &RealtimeArgs) -> Result<RealtimeSettings, ConfigError> {
    let mut origins = Vec::new();
    for origin in &args.public_origins {
        let origin = origin.trim().trim_end_matches('/');
        if origin.is_empty() {
            continue;
        }
        let parsed = url::Url::parse(origin).ok().filter(|u| {
            matches!(u.scheme(), "http" | "https")
                && u.host_str().is_some()
                && u.path() == "/"
                && u.query().is_none()
                && u.username().is_empty()
        });
        if parsed.is_none() {
            return Err(ConfigError::new(
                "PUBLIC_ORIGINS",
                "--public-origins",
                format!(
                    "{origin:?} is not an origin: give scheme, host and port only, like https://money.example.com"
                ),
            ));
        }
        origins.push(origin.to_owned());
    }
    Ok(RealtimeSettings {
        public_origins: origins,
        replay_window: Duration::from_secs(args.events_replay_seconds),
        ping_interval: Duration::from_secs(args.ws_ping_seconds),
        client_buffer: usize::try_from(args.ws_client_buffer).unwrap_or(usize::MAX),
        ticket_ttl: Duration::from_secs(args.ws_ticket_ttl_seconds),
        recheck_every: Duration::from_secs(args.ws_recheck_seconds),
    })
}

pub async fn serve(config: Config) -> Result<(), Error> {
    let pool = config.stores.postgres_pool()?;
    let redis = config.stores.redis()?;
    let auth = auth_settings(&config.auth)?;
    let realtime_settings = realtime_settings(&config.realtime)?;
    let listener = server::bind(config.listen_addr).await?;

    let migrations = Condition::new("migrations");
    tokio::spawn(schema::apply_until_done(
        pool.clone(),
        Arc::clone(&migrations),
    ));
    let metrics = Arc::new(Metrics::new("api"));
    let realtime = Realtime::start(&pool, redis.clone(), realtime_settings, &metrics);
    let readiness = Arc::new(Readiness::new(
        vec![
            Box::new(PostgresCheck(pool.clone())),
            Box::new(RedisCheck(redis.clone())),
            Box::new(migrations),
            Box::new(RealtimeCheck {
                realtime: Arc::clone(&realtime),
                db: pool.clone(),
            }),
        ],
        Duration::from_secs(3),
    ));
    tokio::spawn(Arc::clone(&realtime).close_when(readiness.draining()));
    let ml = crate::ml::MlClient::new(
        config.ml_worker_url.as_ref().map(url::Url::to_string),
        Duration::from_millis(config.ml_timeout_ms),
        redis.clone(),
    );
    if let Some(file) = &config.ml_routing_file {
        ml.follow_routing(
            file.clone(),
            Duration::from_secs(config.ml_routing_poll_seconds),
            Duration::from_secs(config.ml_queue_settle_seconds),
        );
    }
    let state = AppState {
        db: pool.clone(),
        limiter: RateLimiter::new(redis.clone()),
        ended_sessions: EndedSessions::new(redis.clone(), auth.access_ttl),
        ml,
        realtime: Arc::clone(&realtime),
        imports: ImportSettings {
            max_bytes: config.imports.import_max_bytes,
            queue: ImportQueue::new(redis, import_job::STREAM),
        },
        auth: Arc::new(auth),
    };
    let worker = ImportWorker {
        state: state.clone(),
        reader: GroupReader {
            // Its own connection: XREADGROUP BLOCK holds a connection until an entry comes,
            // and on the shared one every request's Redis call would wait behind it.
            redis: config.stores.redis()?,
            stream: import_job::STREAM.to_owned(),
            group: import_job::GROUP.to_owned(),
            name: format!(
                "{}-{}",
                std::env::var("HOSTNAME").unwrap_or_else(|_| "api".to_owned()),
                std::process::id()
            ),
            min_idle: Duration::from_secs(config.imports.import_min_idle_seconds),
        },
        chunk_rows: config.imports.import_chunk_rows as usize,
        writers: config.imports.import_writers as usize,
    };
    // Stops with the process; a job cut off mid-chunk rolls back and resumes elsewhere.
    tokio::spawn(worker.run());

    server::run(
        listener,
        http::router(state, config.max_body_bytes),
        readiness,
        metrics,
        Duration::from_secs(config.shutdown_grace_seconds),
    )
    .await
    .map_err(Error::Serve)?;
    // The HTTP drain does not follow upgraded connections: the sockets, told to close at
    // its start, get a moment to send their close frames.
    realtime.closed(Duration::from_secs(2)).await;
    pool.close().await;
    tracing::info!("shutdown complete");
    Ok(())
}

/// `api migrate`: applies pending migrations once and reports the schema version.
pub async fn migrate(config: Config) -> Result<(), Error> {
    let pool = config.stores.postgres_pool()?;
    schema::MIGRATOR.run(&pool).await.map_err(Error::Migrate)?;
    let latest = schema::MIGRATOR
        .iter()
        .map(|m| m.version)
        .max()
        .unwrap_or_default();
    tracing::info!(version = latest, "database schema is up to date");
    pool.close().await;
    Ok(())
}

/// `api seed-demo`: migrations, then the demo data (once).
pub async fn seed_demo(config: Config) -> Result<(), Error> {
    let pool = config.stores.postgres_pool()?;
    schema::MIGRATOR.run(&pool).await.map_err(Error::Migrate)?;
    let created = crate::demo::seed(&pool)
        .await
        .map_err(|e| Error::Seed(e.to_string()))?;
    if created {
        tracing::info!(email = crate::demo::DEMO_EMAIL, "demo user created");
    } else {
        tracing::info!(
            email = crate::demo::DEMO_EMAIL,
            "demo user exists: nothing to do"
        );
    }
    pool.close().await;
    Ok(())
}
