//! Liveness and readiness. `/healthz` answers 200 while the process serves requests at all;
//! `/readyz` answers 200 only when every required dependency check passes (and the process
//! is not draining for shutdown), else 503 with each check's result so a human sees what is
//! down. An optional check (a degraded feature the service still serves without) is
//! reported in the details but does not make the service unready.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::Serialize;
use tokio::sync::watch;

pub type CheckFuture<'a> = Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>>;

/// One dependency the service needs before it can take traffic.
pub trait Check: Send + Sync {
    fn name(&self) -> &'static str;
    /// `Err` carries a short human-readable reason.
    fn check(&self) -> CheckFuture<'_>;
    /// Whether the service is unready while this check fails. An optional check names a
    /// degraded feature: it shows in the details only.
    fn required(&self) -> bool {
        true
    }
}

/// A readiness condition set by the service itself, such as "migrations applied".
/// Starts pending; `succeed` and `fail` change it.
#[derive(Debug)]
pub struct Condition {
    name: &'static str,
    state: Mutex<Result<(), String>>,
}

impl Condition {
    pub fn new(name: &'static str) -> Arc<Self> {
        Arc::new(Self {
            name,
            state: Mutex::new(Err("pending".to_owned())),
        })
    }

    pub fn succeed(&self) {
        *self.state.lock().expect("condition lock is never poisoned") = Ok(());
    }

    pub fn fail(&self, reason: impl Into<String>) {
        *self.state.lock().expect("condition lock is never poisoned") = Err(reason.into());
    }
}

// Implemented on the `Arc` because the service keeps one handle to set it and the
// readiness list holds the other.
impl Check for Arc<Condition> {
    fn name(&self) -> &'static str {
        self.name
    }

    fn check(&self) -> CheckFuture<'_> {
        let state = self
            .state
            .lock()
            .expect("condition lock is never poisoned")
            .clone();
        Box::pin(async move { state })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckResult {
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Set on optional checks: their failure leaves the service ready, degraded.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub optional: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub status: &'static str,
    pub checks: BTreeMap<&'static str, CheckResult>,
}

impl Report {
    pub fn is_ready(&self) -> bool {
        self.status == "ready"
    }
}

pub struct Readiness {
    checks: Vec<Box<dyn Check>>,
    timeout: Duration,
    draining: watch::Sender<bool>,
}

impl std::fmt::Debug for Readiness {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<_> = self.checks.iter().map(|c| c.name()).collect();
        f.debug_struct("Readiness")
            .field("checks", &names)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl Readiness {
    /// Each check gets `timeout`; one that takes longer counts as failed.
    pub fn new(checks: Vec<Box<dyn Check>>, timeout: Duration) -> Self {
        Self {
            checks,
            timeout,
            draining: watch::channel(false).0,
        }
    }

    /// From now on the service reports not ready, so load balancers stop sending new work.
    pub fn start_draining(&self) {
        self.draining.send_replace(true);
    }

    /// Turns `true` when the service starts draining: long-lived WebSocket connections
    /// that the HTTP server's drain does not follow close themselves on it.
    pub fn draining(&self) -> watch::Receiver<bool> {
        self.draining.subscribe()
    }

    /// Runs every check concurrently.
    pub async fn report(&self) -> Report {
        let results = futures_util::future::join_all(self.checks.iter().map(|check| async {
            let error = match tokio::time::timeout(self.timeout, check.check()).await {
                Ok(Ok(())) => None,
                Ok(Err(reason)) => Some(reason),
                Err(_) => Some(format!("no answer within {:?}", self.timeout)),
            };
            let result = CheckResult {
                ok: error.is_none(),
                error,
                optional: !check.required(),
            };
            (check.name(), result)
        }))
        .await;
        let checks: BTreeMap<_, _> = results.into_iter().collect();
        let status = if *self.draining.borrow() {
            "shutting_down"
        } else if checks.values().all(|c| c.ok || c.optional) {
            "ready"
        } else {
            "not_ready"
        };
        Report { status, checks }
    }
}

/// `GET /healthz`.
pub async fn healthz() -> impl IntoResponse {
    Json(serde_json::json!({ "status": "ok" }))
}

/// `GET /readyz`.
pub async fn readyz(State(readiness): State<Arc<Readiness>>) -> impl IntoResponse {
    let report = readiness.report().await;
    let code = if report.is_ready() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (code, Json(report))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Slow;

    impl Check for Slow {
        fn name(&self) -> &'static str {
            "slow"
        }

        fn check(&self) -> CheckFuture<'_> {
            Box::pin(async {
                tokio::time::sleep(Duration::from_mins(1)).await;
                Ok(())
            })
        }
    }

    #[tokio::test]
    async fn ready_only_when_every_check_passes() {
        let migrations = Condition::new("migrations");
        let readiness = Readiness::new(
            vec![Box::new(Arc::clone(&migrations))],
            Duration::from_secs(1),
        );
        let report = readiness.report().await;
        assert_eq!(report.status, "not_ready");
        assert_eq!(
            report.checks["migrations"].error.as_deref(),
            Some("pending")
        );

        migrations.succeed();
        assert!(readiness.report().await.is_ready());

        migrations.fail("checksum mismatch in 0001");
        let report = readiness.report().await;
        assert!(!report.is_ready());
        assert_eq!(
            report.checks["migrations"].error.as_deref(),
            Some("checksum mismatch in 0001")
        );
    }

    #[tokio::test]
    async fn a_hanging_check_fails_after_the_timeout() {
        let readiness = Readiness::new(vec![Box::new(Slow)], Duration::from_millis(50));
        let report = readiness.report().await;
        assert!(!report.is_ready());
        assert!(
            report.checks["slow"]
                .error
                .as_deref()
                .is_some_and(|e| e.contains("no answer"))
        );
    }

    #[tokio::test]
    async fn draining_reports_not_ready_even_when_checks_pass() {
        let readiness = Readiness::new(vec![], Duration::from_secs(1));
        let mut draining = readiness.draining();
        assert!(readiness.report().await.is_ready());
        assert!(!*draining.borrow_and_update());
        readiness.start_draining();
        assert_eq!(readiness.report().await.status, "shutting_down");
        assert!(draining.has_changed().expect("sender alive") && *draining.borrow());
    }

    struct Degraded;

    impl Check for Degraded {
        fn name(&self) -> &'static str {
            "realtime"
        }

        fn check(&self) -> CheckFuture<'_> {
            Box::pin(async { Err("degraded: Redis unreachable".to_owned()) })
        }

        fn required(&self) -> bool {
            false
        }
    }

    #[tokio::test]
    async fn a_failing_optional_check_is_reported_but_leaves_the_service_ready() {
        let readiness = Readiness::new(vec![Box::new(Degraded)], Duration::from_secs(1));
        let report = readiness.report().await;
        assert!(report.is_ready());
        let json = serde_json::to_value(&report).expect("json");
        assert_eq!(
            json["checks"]["realtime"],
            serde_json::json!({"ok": false, "error": "degraded: Redis unreachable", "optional": true})
        );
    }
}
