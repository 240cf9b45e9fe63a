//! The ML worker's HTTP service. Starts even while Postgres or Redis is down (reporting
//! not-ready) and drains on SIGTERM.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use service_kit::metrics::Metrics;
use service_kit::probes::Readiness;
use service_kit::server;
use service_kit::stores::{PostgresCheck, RedisCheck};

use crate::config::Config;
use crate::error::Error;
use crate::model::embedder::Embedder;

pub async fn serve(config: Config) -> Result<(), Error> {
    let pool = config.stores.postgres_pool()?;
    let redis = config.stores.redis()?;
    let listener = server::bind(config.listen_addr).await?;
    // A missing or damaged model stops the worker here, naming the file.
    let threads = usize::try_from(config.model_threads).unwrap_or(1);
    let (dir, version) = (config.model_dir.clone(), config.model_version.clone());
    let embedder = tokio::task::spawn_blocking(move || Embedder::load(&dir, &version, threads))
        .await
        .map_err(|e| Error::Serve(std::io::Error::other(e)))??;
    tracing::info!(model = %embedder.manifest().version, "model loaded");
    let readiness = Arc::new(Readiness::new(
        vec![
            Box::new(PostgresCheck(pool.clone())),
            Box::new(RedisCheck(redis.clone())),
        ],
        Duration::from_secs(3),
    ));
    let metrics = Arc::new(Metrics::new("ml"));

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
