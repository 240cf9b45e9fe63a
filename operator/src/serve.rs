//! The operator process: the probe and metrics endpoints, the Kubernetes client, the
//! leader election and the controllers, all stopped by one SIGTERM.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use kube::Client;
use service_kit::metrics::Metrics;
use service_kit::probes::{Check, CheckFuture, Readiness};
use service_kit::server;

use crate::config::Config;
use crate::controller::{self, Context, Scope};
use crate::error::Error;
use crate::leader::{self, LeaseSettings};
use crate::metrics::OperatorMetrics;
use crate::shutdown;

pub async fn serve(config: Config) -> Result<(), Error> {
    let listener = server::bind(config.listen_addr).await?;
    let client = Client::try_default().await.map_err(|e| {
        Error::Kubernetes(format!("no usable kubeconfig or in-cluster config: {e}"))
    })?;
    let metrics = Arc::new(Metrics::new("operator"));
    let operator_metrics = OperatorMetrics::new(&metrics);
    let readiness = Arc::new(Readiness::new(
        vec![Box::new(KubernetesApi(client.clone()))],
        Duration::from_secs(3),
    ));
    let identity = config.pod_name.clone().unwrap_or_else(hostname);
    let scope = config
        .watch_namespace
        .clone()
        .map_or(Scope::AllNamespaces, Scope::Namespace);
    let ctx = Arc::new(Context::new(
        client.clone(),
        operator_metrics.clone(),
        Some(identity.clone()),
    ));

    let (trigger, stop) = shutdown::channel();
    let http = server::run(
        listener,
        Router::new(),
        readiness,
        metrics,
        Duration::from_secs(config.shutdown_grace_seconds),
    );
    let controllers = async {
        if config.leader_election {
            let settings = LeaseSettings {
                namespace: config
                    .lease_namespace
                    .clone()
                    .unwrap_or_else(|| client.default_namespace().to_owned()),
                name: config.lease_name.clone(),
                identity,
            };
            leader::while_leading(
                client.clone(),
                &settings,
                &operator_metrics.leader,
                stop.clone(),
                |lost| controller::run(Arc::clone(&ctx), scope.clone(), lost),
            )
            .await
        } else {
            operator_metrics.leader.set(1);
            controller::run(Arc::clone(&ctx), scope.clone(), stop.clone().wait()).await;
            Ok(())
        }
    };
    let signal = async {
        server::shutdown_signal().await;
        trigger.fire();
    };
    let (served, led, ()) = tokio::join!(http, controllers, signal);
    served.map_err(Error::Serve)?;
    led?;
    tracing::info!("shutdown complete");
    Ok(())
}

/// Ready while the Kubernetes API server answers.
struct KubernetesApi(Client);

impl Check for KubernetesApi {
    fn name(&self) -> &'static str {
        "kubernetes"
    }

    fn check(&self) -> CheckFuture<'_> {
        Box::pin(async move {
            self.0
                .apiserver_version()
                .await
                .map(|_| ())
                .map_err(|e| format!("API server does not answer: {e}"))
        })
    }
}

fn hostname() -> String {
    std::env::var("HOSTNAME").unwrap_or_else(|_| "financetracker-operator".to_owned())
}
