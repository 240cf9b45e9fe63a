//! The operator process: its probe and metrics endpoints. The controllers join here in the
//! operator issue; until then it has no dependency to wait for and is ready once serving.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use service_kit::metrics::Metrics;
use service_kit::probes::Readiness;
use service_kit::server;

use crate::config::Config;
use crate::error::Error;

pub async fn serve(config: Config) -> Result<(), Error> {
    let listener = server::bind(config.listen_addr).await?;
    let readiness = Arc::new(Readiness::new(vec![], Duration::from_secs(3)));
    let metrics = Arc::new(Metrics::new("operator"));
    server::run(
        listener,
        Router::new(),
        readiness,
        metrics,
        Duration::from_secs(config.shutdown_grace_seconds),
    )
    .await
    .map_err(Error::Serve)?;
    tracing::info!("shutdown complete");
    Ok(())
}
