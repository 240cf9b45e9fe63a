//! Errors of the operator: those that stop the process, and those that fail one reconcile
//! (retried with backoff; the FinanceTracker's Degraded condition carries the message).

use service_kit::ConfigError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("HTTP server failed")]
    Serve(#[source] std::io::Error),
    #[error("cannot reach Kubernetes: {0}")]
    Kubernetes(String),
    #[error("leader election failed")]
    Lease(#[source] kube_lease_manager::LeaseManagerError),
}

#[derive(Debug, thiserror::Error)]
pub enum ReconcileError {
    /// A Kubernetes API call failed; `action` says which (`apply Deployment home-api`).
    #[error("{action}: {source}")]
    Kube {
        action: String,
        #[source]
        source: kube::Error,
    },
}

impl ReconcileError {
    pub fn kube(action: impl Into<String>, source: kube::Error) -> Self {
        Self::Kube {
            action: action.into(),
            source,
        }
    }

    /// The `error` label of the reconcile error metric: bounded, one value per cause.
    pub fn metric_label(&self) -> &'static str {
        match self {
            Self::Kube { source, .. } => match source {
                kube::Error::Api(status) if status.code == 409 => "conflict",
                kube::Error::Api(status) if status.code == 403 => "forbidden",
                kube::Error::Api(status) if status.code == 422 || status.code == 400 => "invalid",
                kube::Error::Api(_) => "api",
                _ => "transport",
            },
        }
    }
}
