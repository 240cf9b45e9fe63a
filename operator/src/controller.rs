//! The controller runtime: watches FinanceTrackers, every kind of child (labelled as
//! ours) and the ModelExperiments naming them, and ModelExperiments on their own; runs the
//! reconcile for each change, counts and times it, and retries a failed one with
//! exponential backoff per object.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt as _;
use k8s_openapi::api::apps::v1::{Deployment, StatefulSet};
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::{ConfigMap, Secret, Service};
use k8s_openapi::api::networking::v1::{Ingress, NetworkPolicy};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use kube::api::Api;
use kube::core::{ObjectMeta, PartialObjectMeta};
use kube::runtime::controller::{self, Action, Controller};
use kube::runtime::events::{Recorder, Reporter};
use kube::runtime::reflector::ObjectRef;
use kube::runtime::watcher;
use kube::{Client, ResourceExt};

use crate::crd::{FinanceTracker, ModelExperiment};
use crate::error::ReconcileError;
use crate::finance_tracker::credentials;
use crate::finance_tracker::names::{MANAGER, Names, managed_selector};
use crate::finance_tracker::reconcile;
use crate::metrics::OperatorMetrics;

/// What every reconcile shares.
pub struct Context {
    pub client: Client,
    pub recorder: Recorder,
    pub metrics: OperatorMetrics,
    /// Consecutive failures per object, for its backoff; cleared by a success.
    failures: Mutex<HashMap<String, u32>>,
}

impl std::fmt::Debug for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context").finish_non_exhaustive()
    }
}

impl Context {
    /// `instance` names this replica in the events it publishes (its pod name).
    pub fn new(client: Client, metrics: OperatorMetrics, instance: Option<String>) -> Self {
        let reporter = Reporter {
            controller: MANAGER.to_owned(),
            instance,
        };
        Self {
            recorder: Recorder::new(client.clone(), reporter),
            client,
            metrics,
            failures: Mutex::new(HashMap::new()),
        }
    }

    fn failed(&self, key: &str) -> u32 {
        let mut failures = self.failures.lock().expect("never poisoned");
        let n = failures.entry(key.to_owned()).or_insert(0);
        *n += 1;
        *n
    }

    fn succeeded(&self, key: &str) {
        self.failures.lock().expect("never poisoned").remove(key);
    }
}

/// Where the operator looks for FinanceTrackers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    AllNamespaces,
    Namespace(String),
}

impl Scope {
    fn api<K>(&self, client: &Client) -> Api<K>
    where
        K: kube::Resource<Scope = k8s_openapi::NamespaceResourceScope, DynamicType = ()>,
    {
        match self {
            Self::AllNamespaces => Api::all(client.clone()),
            Self::Namespace(ns) => Api::namespaced(client.clone(), ns),
        }
    }
}

/// Pure: the wait before retry `attempt` (1, 2, …) of a failed reconcile: 5 s doubling,
/// at most 5 minutes, so a broken object never hot-loops and a blip heals fast.
pub fn backoff(attempt: u32) -> Duration {
    let seconds = 5u64.saturating_mul(1u64 << attempt.saturating_sub(1).min(16));
    Duration::from_secs(seconds.min(300))
}

/// Runs the FinanceTracker and ModelExperiment controllers until `shutdown` completes,
/// then lets in-flight reconciles finish.
pub async fn run(
    ctx: Arc<Context>,
    scope: Scope,
    shutdown: impl Future<Output = ()> + Send + Sync + 'static,
) {
    let shutdown = futures_util::FutureExt::shared(shutdown);
    tokio::join!(
        finance_trackers(Arc::clone(&ctx), scope.clone(), shutdown.clone()),
        experiments(ctx, scope, shutdown),
    );
    tracing::info!("controllers stopped");
}

async fn experiments(
    ctx: Arc<Context>,
    scope: Scope,
    shutdown: impl Future<Output = ()> + Send + Sync + 'static,
) {
    Controller::new(
        scope.api::<ModelExperiment>(&ctx.client),
        watcher::Config::default(),
    )
    .graceful_shutdown_on(shutdown)
    .run(reconcile_experiment, experiment_error_policy, ctx)
    .for_each(|result| async move {
        match result {
            Ok((object, _)) => tracing::debug!(%object, "reconciled"),
            Err(controller::Error::ReconcilerFailed(e, object)) => {
                tracing::warn!(%object, error = %service_kit::exit::one_line(&e), "reconcile failed");
            }
            Err(e) => tracing::warn!(error = %e, "ModelExperiment controller"),
        }
    })
    .await;
}

async fn finance_trackers(
    ctx: Arc<Context>,
    scope: Scope,
    shutdown: impl Future<Output = ()> + Send + Sync + 'static,
) {
    let client = ctx.client.clone();
    let ours = watcher::Config::default().labels(&managed_selector());
    let controller = Controller::new(
        scope.api::<FinanceTracker>(&client),
        watcher::Config::default(),
    );
    let store = controller.store();
    controller
        // A Secret a FinanceTracker names (the user's own, such as an external database
        // URL, or one it generated) reconciles that FinanceTracker when it appears, changes
        // or goes. Watched by metadata only: the values of every Secret in the cluster have
        // no business in the operator's memory.
        .watches(
            scope.api::<PartialObjectMeta<Secret>>(&client),
            watcher::Config::default(),
            move |secret| referring(&store.state(), &secret.metadata),
        )
        .owns(scope.api::<Secret>(&client), ours.clone())
        .owns(scope.api::<ConfigMap>(&client), ours.clone())
        .owns(scope.api::<Service>(&client), ours.clone())
        .owns(scope.api::<StatefulSet>(&client), ours.clone())
        .owns(scope.api::<Job>(&client), ours.clone())
        .owns(scope.api::<Deployment>(&client), ours.clone())
        .owns(scope.api::<PodDisruptionBudget>(&client), ours.clone())
        .owns(scope.api::<NetworkPolicy>(&client), ours.clone())
        .owns(scope.api::<Ingress>(&client), ours)
        // An experiment's phase and weight decide the candidate's workers and the routing.
        .watches(
            scope.api::<ModelExperiment>(&client),
            watcher::Config::default(),
            |me| {
                let namespace = me.namespace()?;
                Some(ObjectRef::new(&me.spec.finance_tracker).within(&namespace))
            },
        )
        // A burst of child changes (a rollout) becomes one reconcile, not one per change.
        .with_config(controller::Config::default().debounce(Duration::from_millis(500)))
        .graceful_shutdown_on(shutdown)
        .run(reconcile_timed, error_policy, ctx)
        .for_each(|result| async move {
            match result {
                Ok((object, _)) => tracing::debug!(%object, "reconciled"),
                Err(controller::Error::ReconcilerFailed(e, object)) => {
                    tracing::warn!(%object, error = %service_kit::exit::one_line(&e), "reconcile failed");
                }
                Err(e) => tracing::warn!(error = %e, "controller"),
            }
        })
        .await;
}

/// Pure: the FinanceTrackers in the Secret's namespace that read it: one of the user's
/// own their spec names, or one the operator generated for them.
pub fn referring(
    all: &[Arc<FinanceTracker>],
    secret: &ObjectMeta,
) -> Vec<ObjectRef<FinanceTracker>> {
    let name = secret.name.clone().unwrap_or_default();
    all.iter()
        .filter(|ft| ft.namespace() == secret.namespace)
        .filter(|ft| {
            let names = Names::new(ft);
            let generated = [
                names.postgres_secret(),
                names.redis_secret(),
                names.jwt_secret(),
            ];
            generated.contains(&name)
                || credentials::references(&ft.spec)
                    .iter()
                    .any(|(_, r)| r.name == name)
        })
        .map(|ft| ObjectRef::from_obj(ft.as_ref()))
        .collect()
}

async fn reconcile_timed(
    ft: Arc<FinanceTracker>,
    ctx: Arc<Context>,
) -> Result<Action, ReconcileError> {
    let started = Instant::now();
    let result = reconcile::reconcile(Arc::clone(&ft), Arc::clone(&ctx)).await;
    count(&ctx, "FinanceTracker", started, result.is_ok());
    if result.is_ok() {
        ctx.succeeded(&key(ft.as_ref()));
    }
    result
}

async fn reconcile_experiment(
    me: Arc<ModelExperiment>,
    ctx: Arc<Context>,
) -> Result<Action, ReconcileError> {
    let started = Instant::now();
    let result =
        crate::model_experiment::reconcile::reconcile(Arc::clone(&me), Arc::clone(&ctx)).await;
    count(&ctx, "ModelExperiment", started, result.is_ok());
    if result.is_ok() {
        ctx.succeeded(&key(me.as_ref()));
    }
    result
}

#[allow(clippy::needless_pass_by_value)] // the signature kube-runtime calls
fn experiment_error_policy(
    me: Arc<ModelExperiment>,
    error: &ReconcileError,
    ctx: Arc<Context>,
) -> Action {
    ctx.metrics
        .errors
        .with_label_values(&["ModelExperiment", error.metric_label()])
        .inc();
    Action::requeue(backoff(ctx.failed(&key(me.as_ref()))))
}

fn count(ctx: &Context, kind: &str, started: Instant, ok: bool) {
    ctx.metrics
        .duration
        .with_label_values(&[kind])
        .observe(started.elapsed().as_secs_f64());
    let outcome = if ok { "ok" } else { "error" };
    ctx.metrics
        .reconciles
        .with_label_values(&[kind, outcome])
        .inc();
}

#[allow(clippy::needless_pass_by_value)] // the signature kube-runtime calls
fn error_policy(ft: Arc<FinanceTracker>, error: &ReconcileError, ctx: Arc<Context>) -> Action {
    ctx.metrics
        .errors
        .with_label_values(&["FinanceTracker", error.metric_label()])
        .inc();
    let attempt = ctx.failed(&key(ft.as_ref()));
    Action::requeue(backoff(attempt))
}

/// The backoff key of an object: its kind, namespace and name.
fn key<K: kube::Resource<DynamicType = ()>>(object: &K) -> String {
    format!(
        "{}/{}/{}",
        K::kind(&()),
        object.namespace().unwrap_or_default(),
        object.name_any()
    )
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use kube::core::ObjectMeta;

    use super::{backoff, referring};
    use crate::crd::finance_tracker::{SecretKeyRef, StoreMode};
    use crate::crd::{FinanceTracker, FinanceTrackerSpec};

    #[test]
    fn a_secret_wakes_the_finance_trackers_of_its_namespace_that_read_it() {
        let ft = |name: &str, namespace: &str, secret: Option<&str>| {
            let mut spec = FinanceTrackerSpec::default();
            if let Some(secret) = secret {
                spec.postgres.mode = StoreMode::External;
                spec.postgres.external_secret_ref = Some(SecretKeyRef {
                    name: secret.to_owned(),
                    key: "url".to_owned(),
                });
            }
            let mut ft = FinanceTracker::new(name, spec);
            ft.metadata.namespace = Some(namespace.to_owned());
            Arc::new(ft)
        };
        let all = [
            ft("home", "money", Some("db")),
            ft("other", "money", None),
            ft("away", "elsewhere", Some("db")),
        ];
        let secret = |name: &str| ObjectMeta {
            name: Some(name.to_owned()),
            namespace: Some("money".to_owned()),
            ..ObjectMeta::default()
        };
        let woken = |name: &str| -> Vec<String> {
            referring(&all, &secret(name))
                .into_iter()
                .map(|r| r.name)
                .collect()
        };
        assert_eq!(woken("db"), ["home"]);
        assert_eq!(woken("other-postgres"), ["other"], "a generated one");
        assert!(woken("unrelated").is_empty());
    }

    #[test]
    fn retries_back_off_exponentially_up_to_five_minutes() {
        let waits: Vec<u64> = (1..=8).map(|n| backoff(n).as_secs()).collect();
        assert_eq!(waits, [5, 10, 20, 40, 80, 160, 300, 300]);
        assert_eq!(backoff(u32::MAX), Duration::from_mins(5));
    }
}
