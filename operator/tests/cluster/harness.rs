//! Runs the real FinanceTracker controller against the fake cluster, and plays the parts
//! of the cluster's own controllers that the fake lacks (pods becoming ready, Jobs
//! finishing, StatefulSets making their volume claims).

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use k8s_openapi::api::apps::v1::{Deployment, StatefulSet};
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::PersistentVolumeClaim;
use kube::api::{Api, ListParams, Patch, PatchParams, PostParams};
use kube::{Client, ResourceExt};
use operator::controller::{self, Context, Scope};
use operator::crd::{FinanceTracker, FinanceTrackerSpec};
use operator::metrics::OperatorMetrics;
use operator::shutdown::{self, Trigger};
use serde_json::json;

use crate::fake::FakeCluster;

pub const NAMESPACE: &str = "money";

pub struct Running {
    pub cluster: FakeCluster,
    pub client: Client,
    pub metrics: OperatorMetrics,
    stop: Trigger,
    task: tokio::task::JoinHandle<()>,
}

impl Running {
    /// A fake cluster with the controller running in `NAMESPACE`.
    pub async fn start() -> Self {
        let cluster = FakeCluster::new().await;
        Self::start_on(cluster)
    }

    /// The controller on an existing fake cluster (as after an operator restart).
    pub fn start_on(cluster: FakeCluster) -> Self {
        let client = cluster.client();
        let registry = service_kit::metrics::Metrics::new("operator");
        let metrics = OperatorMetrics::new(&registry);
        let ctx = Arc::new(Context::new(
            client.clone(),
            metrics.clone(),
            Some("test".to_owned()),
        ));
        let (stop, stopped) = shutdown::channel();
        let task = tokio::spawn(controller::run(
            ctx,
            Scope::Namespace(NAMESPACE.to_owned()),
            stopped.wait(),
        ));
        Self {
            cluster,
            client,
            metrics,
            stop,
            task,
        }
    }

    /// Stops the controller, letting in-flight reconciles finish.
    pub async fn stop(self) -> FakeCluster {
        self.stop.fire();
        tokio::time::timeout(Duration::from_secs(10), self.task)
            .await
            .expect("controller stops within 10 s")
            .expect("controller task");
        self.cluster
    }

    pub fn api<K>(&self) -> Api<K>
    where
        K: kube::Resource<Scope = k8s_openapi::NamespaceResourceScope, DynamicType = ()>,
    {
        Api::namespaced(self.client.clone(), NAMESPACE)
    }

    pub async fn create(&self, name: &str, spec: FinanceTrackerSpec) -> FinanceTracker {
        self.api::<FinanceTracker>()
            .create(&PostParams::default(), &FinanceTracker::new(name, spec))
            .await
            .expect("create FinanceTracker")
    }

    /// Deletes a FinanceTracker as `kubectl delete` does, and waits until it is gone.
    pub async fn delete(&self, name: &str) {
        self.api::<FinanceTracker>()
            .delete(name, &kube::api::DeleteParams::default())
            .await
            .expect("delete");
        eventually("the FinanceTracker is gone", || async {
            self.finance_tracker(name).await.is_none().then_some(())
        })
        .await;
    }

    pub async fn finance_tracker(&self, name: &str) -> Option<FinanceTracker> {
        self.api::<FinanceTracker>()
            .get_opt(name)
            .await
            .expect("get FinanceTracker")
    }

    /// Reconciles finished so far (successful or not).
    pub fn reconciles(&self) -> u64 {
        ["ok", "error"]
            .iter()
            .map(|r| {
                self.metrics
                    .reconciles
                    .with_label_values(&["FinanceTracker", r])
                    .get()
            })
            .sum()
    }

    /// Plays the StatefulSet controller: every StatefulSet ready, with its data claim.
    pub async fn stateful_sets_ready(&self) {
        for set in self
            .api::<StatefulSet>()
            .list(&ListParams::default())
            .await
            .expect("list")
            .items
        {
            let template = &set
                .spec
                .as_ref()
                .expect("spec")
                .volume_claim_templates
                .as_ref()
                .expect("claims")[0];
            let claim = PersistentVolumeClaim {
                metadata: kube::core::ObjectMeta {
                    name: Some(format!("data-{}-0", set.name_any())),
                    labels: template.metadata.labels.clone(),
                    ..Default::default()
                },
                spec: template.spec.clone(),
                status: None,
            };
            let _ = self
                .api::<PersistentVolumeClaim>()
                .create(&PostParams::default(), &claim)
                .await;
            set_status(
                &self.api::<StatefulSet>(),
                &set.name_any(),
                json!({"replicas": 1, "readyReplicas": 1, "currentReplicas": 1, "updatedReplicas": 1,
                       "observedGeneration": set.metadata.generation}),
            )
            .await;
        }
    }

    /// Plays the Deployment controller: every Deployment's pods ready in its current version.
    pub async fn deployments_ready(&self) {
        deployments_ready(&self.client).await;
    }

    /// Plays the Job controller: every Job finished with `condition` (`Complete`, `Failed`).
    pub async fn jobs_finish(&self, condition: &str) {
        for job in self
            .api::<Job>()
            .list(&ListParams::default())
            .await
            .expect("list")
            .items
        {
            let now = k8s_openapi::jiff::Timestamp::now().to_string();
            set_status(
                &self.api::<Job>(),
                &job.name_any(),
                json!({"conditions": [{"type": condition, "status": "True", "reason": "BackoffLimitExceeded",
                       "lastTransitionTime": now, "lastProbeTime": now}]}),
            )
            .await;
        }
    }

    /// Creates a Secret of the user's own, as `kubectl create secret generic` would.
    pub async fn user_secret(&self, name: &str, key: &str, value: &str) {
        let mut secret = k8s_openapi::api::core::v1::Secret::default();
        secret.metadata.name = Some(name.to_owned());
        // `data`, not `stringData`: the fake store does not fold one into the other.
        secret.data = Some(
            [(
                key.to_owned(),
                k8s_openapi::ByteString(value.as_bytes().to_vec()),
            )]
            .into(),
        );
        self.api::<k8s_openapi::api::core::v1::Secret>()
            .create(&PostParams::default(), &secret)
            .await
            .expect("create secret");
    }

    /// Waits until the operator made both managed stores.
    pub async fn stores_created(&self) {
        eventually("the StatefulSets exist", || async {
            let sets = self
                .api::<StatefulSet>()
                .list(&ListParams::default())
                .await
                .ok()?;
            (sets.items.len() >= 2).then_some(())
        })
        .await;
    }

    /// Waits until the operator started a migration Job, and returns it.
    pub async fn migration_job(&self) -> Job {
        eventually("the migration Job exists", || async {
            let jobs = self.api::<Job>().list(&ListParams::default()).await.ok()?;
            jobs.items.into_iter().next()
        })
        .await
    }

    /// The whole platform up: stores ready, migration done, every Deployment ready.
    pub async fn bring_up(&self, name: &str) {
        // This FinanceTracker's own: another one's stores and Job may be there already.
        eventually("its StatefulSets exist", || async {
            let sets = self
                .api::<StatefulSet>()
                .list(&ListParams::default())
                .await
                .ok()?;
            let mine = sets
                .items
                .iter()
                .filter(|s| s.name_any().starts_with(&format!("{name}-")))
                .count();
            (mine >= 2).then_some(())
        })
        .await;
        self.stateful_sets_ready().await;
        eventually("its migration Job exists", || async {
            let jobs = self.api::<Job>().list(&ListParams::default()).await.ok()?;
            jobs.items
                .into_iter()
                .find(|j| j.name_any().starts_with(&format!("{name}-migrate-")))
        })
        .await;
        self.jobs_finish("Complete").await;
        eventually("the API Deployment exists", || async {
            self.api::<Deployment>()
                .get_opt(&format!("{name}-api"))
                .await
                .ok()?
        })
        .await;
        self.deployments_ready().await;
        eventually("the FinanceTracker is Ready", || async {
            let ft = self.finance_tracker(name).await?;
            (ft.status?.phase? == operator::crd::finance_tracker::Phase::Ready).then_some(())
        })
        .await;
    }
}

async fn set_status<K>(api: &Api<K>, name: &str, status: serde_json::Value)
where
    K: Clone + serde::de::DeserializeOwned + std::fmt::Debug,
{
    api.patch_status(
        name,
        &PatchParams::default(),
        &Patch::Merge(json!({"status": status})),
    )
    .await
    .expect("patch status");
}

/// Plays the Deployment controller: every Deployment's pods ready in its current version.
pub async fn deployments_ready(client: &Client) {
    let api: Api<Deployment> = Api::namespaced(client.clone(), NAMESPACE);
    for d in api.list(&ListParams::default()).await.expect("list").items {
        let replicas = d.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1);
        let status = json!({"status": {"replicas": replicas, "readyReplicas": replicas,
            "updatedReplicas": replicas, "availableReplicas": replicas,
            "observedGeneration": d.metadata.generation}});
        let patched = api
            .patch_status(
                &d.name_any(),
                &PatchParams::default(),
                &Patch::Merge(status),
            )
            .await;
        match patched {
            // Deleted since the list (the operator swept it): nothing to make ready.
            Ok(_) => {}
            Err(kube::Error::Api(status)) if status.code == 404 => {}
            Err(e) => panic!("patch status: {e}"),
        }
    }
}

/// Polls `probe` until it gives a value, for at most 20 s.
pub async fn eventually<T, F, Fut>(what: &str, probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    eventually_within(what, Duration::from_secs(20), probe).await
}

/// Polls `probe` until it gives a value, for at most `limit`.
pub async fn eventually_within<T, F, Fut>(what: &str, limit: Duration, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + limit;
    loop {
        if let Some(value) = probe().await {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The Secret (name, key) a pod template's `variable` is read from.
pub fn secret_source(
    template: &k8s_openapi::api::core::v1::PodTemplateSpec,
    variable: &str,
) -> (String, String) {
    let container = &template.spec.as_ref().expect("pod").containers[0];
    let env = container.env.as_ref().expect("env");
    let entry = env
        .iter()
        .find(|e| e.name == variable)
        .unwrap_or_else(|| panic!("no {variable}"));
    let from = entry
        .value_from
        .as_ref()
        .and_then(|v| v.secret_key_ref.as_ref())
        .unwrap_or_else(|| panic!("{variable} is not read from a Secret"));
    (from.name.clone(), from.key.clone())
}
