//! The `FinanceTracker` resource: one household's whole platform (API, ML worker, web app,
//! PostgreSQL, Redis, ingress). Every field has a default, so `spec: {}` is a working
//! install; the field docs are what `kubectl explain financetracker.spec` shows.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::ResourceRequirements;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Condition;
use kube::{CustomResource, KubeSchema};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The operator's version, the default tag of the FinanceTracker images it deploys.
pub const OPERATOR_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The longest `metadata.name`: the migration Job's name adds 25 characters
/// (`-migrate-0123456789abcdef`) and must stay a valid label value (63) on its pods.
pub const MAX_NAME_LEN: usize = 38;

/// The FinanceTracker platform for one household: the API, the ML worker, the web app
/// behind nginx, PostgreSQL and Redis, and optionally an Ingress. The operator creates
/// every part and keeps it as this spec says.
#[derive(CustomResource, KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[kube(
    group = "finance.financetracker.dev",
    version = "v1alpha1",
    kind = "FinanceTracker",
    plural = "financetrackers",
    shortname = "ft",
    category = "financetracker",
    namespaced,
    status = "FinanceTrackerStatus",
    derive = "PartialEq",
    derive = "Default",
    doc = "A FinanceTracker platform: API, ML worker, web app, PostgreSQL, Redis and ingress, kept by the operator as the spec says.",
    validation = Rule::new("size(self.metadata.name) <= 38").message("metadata.name: at most 38 characters (the names of the parts add a suffix)"),
    printcolumn(name = "Phase", type_ = "string", json_path = ".status.phase"),
    printcolumn(name = "Ready", type_ = "string", json_path = ".status.readyComponents", description = "components ready / components"),
    printcolumn(name = "Model", type_ = "string", json_path = ".status.activeModelVersion"),
    printcolumn(name = "URL", type_ = "string", json_path = ".status.url"),
    printcolumn(name = "Age", type_ = "date", json_path = ".metadata.creationTimestamp")
)]
#[serde(rename_all = "camelCase")]
pub struct FinanceTrackerSpec {
    /// Where the FinanceTracker images (api, ml-worker, web, operator) come from.
    #[serde(default)]
    pub images: ImagesSpec,
    /// The REST and WebSocket API.
    #[serde(default)]
    pub api: ApiSpec,
    /// The categorisation service (local ONNX model; no data leaves the cluster).
    #[serde(default)]
    pub ml_worker: MlWorkerSpec,
    /// nginx serving the web app and proxying `/api` (WebSocket included) to the API.
    #[serde(default)]
    pub web: WebSpec,
    /// PostgreSQL, where all durable data lives.
    #[serde(default)]
    pub postgres: PostgresSpec,
    /// Redis: event fan-out, job streams, rate limits. Nothing in it is the only copy.
    #[serde(default)]
    pub redis: RedisSpec,
    /// An Ingress in front of the web app. Without it, reach the `<name>-web` Service
    /// another way (for example `kubectl port-forward`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress: Option<IngressSpec>,
    /// Prometheus scraping.
    #[serde(default)]
    pub monitoring: MonitoringSpec,
    /// Sign-in settings of the API.
    #[serde(default)]
    pub auth: AuthSpec,
}

/// Defaults for the FinanceTracker images; each component may override any part.
#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ImagesSpec {
    /// Registry (and path) of the FinanceTracker images, e.g. `ghcr.io/financetracker`.
    #[serde(default = "default_registry")]
    #[schemars(length(min = 1, max = 200))]
    pub registry: String,
    /// Tag of the FinanceTracker images. Unset: the version of the operator reconciling it,
    /// so upgrading the operator upgrades the platform (no schema default: the API server
    /// would write today's version into the object and pin it there).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 128))]
    pub tag: Option<String>,
    /// When the kubelet pulls the FinanceTracker images (PostgreSQL and Redis, pinned
    /// third-party releases, are always pulled if not present).
    #[serde(default)]
    pub pull_policy: PullPolicy,
    /// Names of Secrets (type `kubernetes.io/dockerconfigjson`) for a private registry.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pull_secrets: Vec<String>,
}

impl Default for ImagesSpec {
    fn default() -> Self {
        Self {
            registry: default_registry(),
            tag: None,
            pull_policy: PullPolicy::default(),
            pull_secrets: Vec::new(),
        }
    }
}

#[derive(JsonSchema, Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum PullPolicy {
    Always,
    #[default]
    IfNotPresent,
    Never,
}

impl PullPolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Always => "Always",
            Self::IfNotPresent => "IfNotPresent",
            Self::Never => "Never",
        }
    }
}

/// Overrides for one component's image. Unset parts come from `spec.images` (FinanceTracker
/// components) or from the operator's pinned default (PostgreSQL, Redis).
#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct ImageOverride {
    /// Registry (and path), e.g. `registry.example.com/mirror`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry: Option<String>,
    /// Repository under the registry, e.g. `financetracker-api`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    /// Tag, e.g. `0.1.0`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
}

/// The API Deployment.
#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ApiSpec {
    /// Pods serving the API. Two keep it up through a node drain.
    #[serde(default = "two")]
    #[schemars(range(min = 1, max = 20))]
    pub replicas: i32,
    /// Image overrides (default `<images.registry>/financetracker-api:<images.tag>`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<ImageOverride>,
    /// CPU and memory per pod. Default: requests 100m / 128Mi, memory limit 512Mi.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "super::schema::resources")]
    pub resources: Option<ResourceRequirements>,
    /// Log filter, e.g. `info` or `info,sqlx=warn`.
    #[serde(default = "default_log_level")]
    #[schemars(length(min = 1, max = 200))]
    pub log_level: String,
}

impl Default for ApiSpec {
    fn default() -> Self {
        Self {
            replicas: two(),
            image: None,
            resources: None,
            log_level: default_log_level(),
        }
    }
}

/// The ML worker Deployment.
#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MlWorkerSpec {
    /// Pods categorising transactions; they share one Redis queue.
    #[serde(default = "one")]
    #[schemars(range(min = 1, max = 20))]
    pub replicas: i32,
    /// The model version the worker serves unless a ModelExperiment routes traffic
    /// elsewhere: a folder name under the image's `/models` (e.g. `minilm-l6-v2-int8`).
    #[serde(default = "default_model_version")]
    #[schemars(
        length(min = 1, max = 63),
        regex(pattern = r"^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$")
    )]
    pub model_version: String,
    /// Inference threads per pod.
    #[serde(default = "two")]
    #[schemars(range(min = 1, max = 16))]
    pub threads: i32,
    /// Image overrides (default `<images.registry>/financetracker-ml-worker:<images.tag>`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<ImageOverride>,
    /// CPU and memory per pod. Default: requests 500m / 256Mi, memory limit 768Mi.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "super::schema::resources")]
    pub resources: Option<ResourceRequirements>,
}

impl Default for MlWorkerSpec {
    fn default() -> Self {
        Self {
            replicas: one(),
            model_version: default_model_version(),
            threads: two(),
            image: None,
            resources: None,
        }
    }
}

/// The nginx Deployment that serves the web app.
#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct WebSpec {
    /// nginx pods.
    #[serde(default = "one")]
    #[schemars(range(min = 1, max = 20))]
    pub replicas: i32,
    /// Image overrides (default `<images.registry>/financetracker-web:<images.tag>`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<ImageOverride>,
    /// CPU and memory per pod. Default: requests 50m / 32Mi, memory limit 128Mi.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "super::schema::resources")]
    pub resources: Option<ResourceRequirements>,
    /// Largest request body nginx passes on (bank file imports), in MiB.
    #[serde(default = "default_max_body_mib")]
    #[schemars(range(min = 1, max = 1024))]
    pub max_body_mib: i32,
}

impl Default for WebSpec {
    fn default() -> Self {
        Self {
            replicas: one(),
            image: None,
            resources: None,
            max_body_mib: default_max_body_mib(),
        }
    }
}

/// Whether the operator runs a store itself or the platform uses one you run.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum StoreMode {
    /// A StatefulSet with a PersistentVolumeClaim, created by the operator.
    #[default]
    Managed,
    /// Your own server; `externalSecretRef` names the Secret holding its URL.
    External,
}

/// What happens to the PostgreSQL volume when the FinanceTracker is deleted.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DeletionPolicy {
    /// Keep the volume and its credentials Secret; a FinanceTracker re-created with the
    /// same name in the same namespace finds its data again.
    #[default]
    Retain,
    /// Delete the volume with everything else. The data is gone.
    Delete,
}

/// A key in a Secret in the FinanceTracker's namespace.
#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SecretKeyRef {
    /// The Secret's name.
    #[schemars(length(min = 1, max = 253))]
    pub name: String,
    /// The key whose value is used.
    #[serde(default = "default_url_key")]
    #[schemars(length(min = 1, max = 253))]
    pub key: String,
}

/// A key in a Secret holding a token-signing key.
#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SigningKeyRef {
    /// The Secret's name.
    #[schemars(length(min = 1, max = 253))]
    pub name: String,
    /// The key whose value is the signing key.
    #[serde(default = "default_signing_key")]
    #[schemars(length(min = 1, max = 253))]
    pub key: String,
}

impl SigningKeyRef {
    pub fn secret_key(&self) -> SecretKeyRef {
        SecretKeyRef {
            name: self.name.clone(),
            key: self.key.clone(),
        }
    }
}

/// A volume for a managed store.
#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct StorageSpec {
    /// Size of the volume, e.g. `10Gi`. A bigger size later grows the volume (its storage
    /// class must allow expansion); it cannot shrink.
    #[schemars(schema_with = "super::schema::quantity")]
    pub size: Quantity,
    /// Storage class; unset uses the cluster's default class. It cannot change once the
    /// volume exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_class_name: Option<String>,
}

/// PostgreSQL: managed by the operator (default) or external.
#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
#[x_kube(validation = Rule::new("self.mode != 'External' || has(self.externalSecretRef)").message("postgres.externalSecretRef: required when postgres.mode is External"))]
pub struct PostgresSpec {
    /// `Managed` runs PostgreSQL in a StatefulSet with a volume; `External` uses your
    /// server, whose URL `externalSecretRef` names.
    #[serde(default)]
    pub mode: StoreMode,
    /// The volume of a managed server.
    #[serde(default = "default_postgres_storage")]
    pub storage: StorageSpec,
    /// What deleting the FinanceTracker does to a managed server's data: `Retain` keeps
    /// its volume and its credentials Secret, so a FinanceTracker re-created with the same
    /// name in the same namespace finds its data again; `Delete` removes both.
    #[serde(default)]
    pub deletion_policy: DeletionPolicy,
    /// For `External`: the Secret key holding the connection URL
    /// (`postgres://user:password@host:5432/database`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_secret_ref: Option<SecretKeyRef>,
    /// Image overrides for a managed server (default `docker.io/library/postgres:17.6-alpine`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<ImageOverride>,
    /// CPU and memory of a managed server. Default: requests 250m / 256Mi, memory limit 1Gi.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "super::schema::resources")]
    pub resources: Option<ResourceRequirements>,
}

impl Default for PostgresSpec {
    fn default() -> Self {
        Self {
            mode: StoreMode::Managed,
            storage: default_postgres_storage(),
            deletion_policy: DeletionPolicy::Retain,
            external_secret_ref: None,
            image: None,
            resources: None,
        }
    }
}

/// Redis: managed by the operator with append-only persistence (default) or external.
#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
#[x_kube(validation = Rule::new("self.mode != 'External' || has(self.externalSecretRef)").message("redis.externalSecretRef: required when redis.mode is External"))]
pub struct RedisSpec {
    /// `Managed` runs Redis in a StatefulSet with a volume; `External` uses your server,
    /// whose URL `externalSecretRef` names.
    #[serde(default)]
    pub mode: StoreMode,
    /// The volume of a managed server (its append-only file).
    #[serde(default = "default_redis_storage")]
    pub storage: StorageSpec,
    /// For `External`: the Secret key holding the connection URL (`redis://host:6379`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_secret_ref: Option<SecretKeyRef>,
    /// Image overrides for a managed server (default `docker.io/library/redis:7.4.2-alpine`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<ImageOverride>,
    /// CPU and memory of a managed server. Default: requests 50m / 64Mi, memory limit 256Mi.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "super::schema::resources")]
    pub resources: Option<ResourceRequirements>,
}

impl Default for RedisSpec {
    fn default() -> Self {
        Self {
            mode: StoreMode::Managed,
            storage: default_redis_storage(),
            external_secret_ref: None,
            image: None,
            resources: None,
        }
    }
}

/// The Ingress that publishes the web app.
#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct IngressSpec {
    /// The host name people open, e.g. `money.example.com`.
    #[schemars(
        length(min = 1, max = 253),
        regex(pattern = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    )]
    pub host: String,
    /// The IngressClass; unset uses the cluster's default class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class_name: Option<String>,
    /// A `kubernetes.io/tls` Secret for the host. With it the URL is `https://`, and
    /// session cookies are marked Secure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_secret_name: Option<String>,
    /// Extra annotations for the Ingress (for example for cert-manager).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

/// Whether the operator creates a Prometheus Operator object (ServiceMonitor,
/// PrometheusRule).
#[derive(JsonSchema, Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum MonitorMode {
    /// Create one when the cluster serves that kind (`monitoring.coreos.com/v1`).
    #[default]
    Auto,
    /// Always create one; the FinanceTracker is Degraded if the API does not exist.
    Enabled,
    /// Never create one.
    Disabled,
}

/// Prometheus scraping of the API and ML worker metrics (the ModelExperiment analysis
/// reads the ML worker's accuracy from there).
#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MonitoringSpec {
    /// The Prometheus server that holds these metrics, e.g.
    /// `http://prometheus.monitoring:9090`; ModelExperiments of this FinanceTracker query it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^https?://[^\s/]+(/\S*)?$"))]
    pub prometheus_url: Option<String>,
    /// Put `prometheus.io/scrape` annotations on the API and ML worker pods.
    #[serde(default = "yes")]
    pub pod_annotations: bool,
    /// Create a Prometheus Operator ServiceMonitor for the API and ML worker: `Auto` when
    /// the cluster has that API, `Enabled` always (Degraded without the API), `Disabled` never.
    #[serde(default)]
    pub service_monitor: MonitorMode,
    /// Labels on that ServiceMonitor, e.g. `release: kube-prometheus-stack`: what your
    /// Prometheus' `serviceMonitorSelector` picks ServiceMonitors by.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub service_monitor_labels: BTreeMap<String, String>,
    /// Create a PrometheusRule with the platform's alerts (API errors and latency, the ML
    /// queue, accuracy below the last promoted model's, a stuck experiment, PostgreSQL and
    /// Redis down; the README has a runbook for each): `Auto` when the cluster has that API,
    /// `Enabled` always (Degraded without the API), `Disabled` never. It carries
    /// `serviceMonitorLabels` too, for your Prometheus' `ruleSelector`.
    #[serde(default)]
    pub prometheus_rule: MonitorMode,
    /// Namespace whose pods may scrape the API and ML worker through the NetworkPolicies.
    #[serde(default = "default_scrape_namespace")]
    #[schemars(length(min = 1, max = 63))]
    pub scrape_namespace: String,
}

impl Default for MonitoringSpec {
    fn default() -> Self {
        Self {
            prometheus_url: None,
            pod_annotations: true,
            service_monitor: MonitorMode::Auto,
            service_monitor_labels: BTreeMap::new(),
            prometheus_rule: MonitorMode::Auto,
            scrape_namespace: default_scrape_namespace(),
        }
    }
}

/// Sign-in settings of the API.
#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AuthSpec {
    /// Lifetime of an access token, in seconds.
    #[serde(default = "default_access_ttl")]
    #[schemars(range(min = 30, max = 86_400))]
    pub access_token_ttl_seconds: i64,
    /// Lifetime of a sign-in (its refresh token), in days.
    #[serde(default = "default_refresh_ttl")]
    #[schemars(range(min = 1, max = 365))]
    pub refresh_token_ttl_days: i64,
    /// Mark session cookies Secure (sent over HTTPS only). Default: true when the ingress
    /// has a TLS secret, false otherwise (plain HTTP would lose the cookies).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cookie_secure: Option<bool>,
    /// Your own token-signing key (at least 32 bytes). Unset: the operator generates one
    /// once and keeps it in the `<name>-jwt` Secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwt_secret_ref: Option<SigningKeyRef>,
}

impl Default for AuthSpec {
    fn default() -> Self {
        Self {
            access_token_ttl_seconds: default_access_ttl(),
            refresh_token_ttl_days: default_refresh_ttl(),
            cookie_secure: None,
            jwt_secret_ref: None,
        }
    }
}

/// What the operator last saw of the platform.
#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct FinanceTrackerStatus {
    /// `Progressing` while parts start or roll, `Ready` when every part serves,
    /// `Degraded` when something needs a person (the Degraded condition says what).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<Phase>,
    /// `Ready`, `Progressing` and `Degraded`, each with the generation it describes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
    /// The spec generation this status describes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    /// Ready pods per component.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub components: BTreeMap<String, ComponentStatus>,
    /// Components ready out of components, e.g. `5/5`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ready_components: Option<String>,
    /// Where people open the platform (from the ingress host).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The model version the ML worker serves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_model_version: Option<String>,
    /// The API image whose database migration has completed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub migrated_image: Option<String>,
}

#[derive(JsonSchema, Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Progressing,
    Ready,
    Degraded,
    Terminating,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Progressing => "Progressing",
            Self::Ready => "Ready",
            Self::Degraded => "Degraded",
            Self::Terminating => "Terminating",
        }
    }
}

/// Ready and wanted pods of one component.
#[derive(KubeSchema, Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "camelCase")]
pub struct ComponentStatus {
    pub ready: i32,
    pub desired: i32,
}

#[cfg(test)]
impl FinanceTracker {
    /// For unit tests: a FinanceTracker as the API server hands it over, in namespace
    /// `money` and with a uid (which its children's owner references name).
    pub fn stored(name: &str, spec: FinanceTrackerSpec) -> Self {
        let mut ft = Self::new(name, spec);
        ft.metadata.namespace = Some("money".to_owned());
        ft.metadata.uid = Some("0f1e2d3c-0000-4000-8000-000000000001".to_owned());
        ft
    }
}

fn default_registry() -> String {
    "ghcr.io/financetracker".to_owned()
}
fn default_log_level() -> String {
    "info".to_owned()
}
fn default_model_version() -> String {
    "minilm-l6-v2-int8".to_owned()
}
fn default_url_key() -> String {
    "url".to_owned()
}
fn default_signing_key() -> String {
    "signing-key".to_owned()
}
fn default_scrape_namespace() -> String {
    "monitoring".to_owned()
}
fn default_max_body_mib() -> i32 {
    51
}
fn default_access_ttl() -> i64 {
    900
}
fn default_refresh_ttl() -> i64 {
    30
}
fn default_postgres_storage() -> StorageSpec {
    StorageSpec {
        size: Quantity("10Gi".to_owned()),
        storage_class_name: None,
    }
}
fn default_redis_storage() -> StorageSpec {
    StorageSpec {
        size: Quantity("1Gi".to_owned()),
        storage_class_name: None,
    }
}
fn one() -> i32 {
    1
}
fn two() -> i32 {
    2
}
fn yes() -> bool {
    true
}
