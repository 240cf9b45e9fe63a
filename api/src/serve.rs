//! `api serve`: the HTTP service. Starts even while Postgres or Redis is down (reporting
//! not-ready), applies migrations as soon as Postgres answers, and drains on SIGTERM.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use service_kit::metrics::Metrics;
use service_kit::probes::{Condition, Readiness};
use service_kit::stores::{PostgresCheck, RedisCheck};
use service_kit::{schema, server};

use crate::config::Config;
use crate::error::Error;

pub async fn serve(config: Config) -> Result<(), Error> {
    let pool = config.stores.postgres_pool()?;
    let redis = config.stores.redis_client()?;
    let listener = server::bind(config.listen_addr).await?;

    let migrations = Condition::new("migrations");
    tokio::spawn(schema::apply_until_done(
        pool.clone(),
        Arc::clone(&migrations),
    ));
    let readiness = Arc::new(Readiness::new(
        vec![
            Box::new(PostgresCheck(pool.clone())),
            Box::new(RedisCheck::new(redis)),
            Box::new(migrations),
        ],
        Duration::from_secs(3),
    ));
    let metrics = Arc::new(Metrics::new("api"));

    server::run(
        listener,
        Router::new(),
        readiness,
        metrics,
        Duration::from_secs(config.shutdown_grace_seconds),
    )
    .await
    .map_err(Error::Serve)?;
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
