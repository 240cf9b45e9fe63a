//! Names, labels and owner references of a FinanceTracker's children: one place, so every
//! builder, the orphan sweep and the deletion cleanup agree on what belongs to whom.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};
use kube::{Resource, ResourceExt};

use crate::crd::FinanceTracker;
use crate::crd::finance_tracker::OPERATOR_VERSION;

/// The operator's field manager for server-side apply, and its `managed-by` label value.
pub const MANAGER: &str = "financetracker-operator";

pub const LABEL_NAME: &str = "app.kubernetes.io/name";
pub const LABEL_INSTANCE: &str = "app.kubernetes.io/instance";
pub const LABEL_COMPONENT: &str = "app.kubernetes.io/component";
pub const LABEL_PART_OF: &str = "app.kubernetes.io/part-of";
pub const LABEL_MANAGED_BY: &str = "app.kubernetes.io/managed-by";
pub const LABEL_VERSION: &str = "app.kubernetes.io/version";

/// The label selector of everything this operator manages, for its watches.
pub fn managed_selector() -> String {
    format!("{LABEL_MANAGED_BY}={MANAGER}")
}

/// The parts of the platform; each one's pods carry its name as the component label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Component {
    Api,
    MlWorker,
    /// A ModelExperiment's candidate workers, beside the serving ones.
    MlCandidate,
    Web,
    Postgres,
    Redis,
    Migration,
}

impl Component {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Api => "api",
            Self::MlWorker => "ml-worker",
            Self::MlCandidate => "ml-candidate",
            Self::Web => "web",
            Self::Postgres => "postgres",
            Self::Redis => "redis",
            Self::Migration => "migration",
        }
    }
}

/// Child names for one FinanceTracker, all `<name>-<part>`.
#[derive(Debug, Clone)]
pub struct Names {
    pub instance: String,
    pub namespace: String,
    owner: Option<OwnerReference>,
}

impl Names {
    pub fn new(ft: &FinanceTracker) -> Self {
        Self {
            instance: ft.name_any(),
            namespace: ft.namespace().unwrap_or_else(|| "default".to_owned()),
            // Blocking: a foreground deletion of the FinanceTracker waits for its children.
            owner: ft.controller_owner_ref(&()).map(|owner| OwnerReference {
                block_owner_deletion: Some(true),
                ..owner
            }),
        }
    }

    pub fn of(&self, component: Component) -> String {
        format!("{}-{}", self.instance, component.as_str())
    }

    pub fn postgres_secret(&self) -> String {
        format!("{}-postgres", self.instance)
    }
    pub fn redis_secret(&self) -> String {
        format!("{}-redis", self.instance)
    }
    pub fn jwt_secret(&self) -> String {
        format!("{}-jwt", self.instance)
    }
    pub fn nginx_config(&self) -> String {
        format!("{}-nginx", self.instance)
    }
    pub fn ml_routing(&self) -> String {
        format!("{}-ml-routing", self.instance)
    }
    /// One Job per API image: its name carries a digest of the image reference, so a new
    /// version gets a new Job and an unchanged one is never run twice.
    pub fn migration_job(&self, api_image: &str) -> String {
        let digest = service_kit::digest::sha256_hex(api_image.as_bytes());
        format!("{}-migrate-{}", self.instance, &digest[..16])
    }
    /// `http://<service>.<namespace>.svc:<port>`: what one part uses to reach another.
    pub fn service_url(&self, component: Component, port: u16) -> String {
        format!("http://{}:{port}", self.service_host(component))
    }
    pub fn service_host(&self, component: Component) -> String {
        format!("{}.{}.svc", self.of(component), self.namespace)
    }

    /// The labels that select a component's pods (never the version: selectors are
    /// immutable, and a new version must not orphan the old pods).
    pub fn selector(&self, component: Component) -> BTreeMap<String, String> {
        BTreeMap::from([
            (LABEL_NAME.to_owned(), "financetracker".to_owned()),
            (LABEL_INSTANCE.to_owned(), self.instance.clone()),
            (LABEL_COMPONENT.to_owned(), component.as_str().to_owned()),
        ])
    }

    /// Every label a child carries: its pods' labels and the operator's version.
    pub fn labels(&self, component: Component) -> BTreeMap<String, String> {
        let mut labels = self.pod_labels(component);
        labels.insert(LABEL_VERSION.to_owned(), OPERATOR_VERSION.to_owned());
        labels
    }

    /// The labels of a component's pods: never the operator's version, which would make
    /// every operator upgrade restart every pod (PostgreSQL and Redis included).
    pub fn pod_labels(&self, component: Component) -> BTreeMap<String, String> {
        let mut labels = self.selector(component);
        labels.insert(LABEL_PART_OF.to_owned(), "financetracker".to_owned());
        labels.insert(LABEL_MANAGED_BY.to_owned(), MANAGER.to_owned());
        labels
    }

    /// The label selector of all of this instance's children.
    pub fn instance_selector(&self) -> String {
        format!(
            "{LABEL_INSTANCE}={},{LABEL_MANAGED_BY}={MANAGER}",
            self.instance
        )
    }

    /// Metadata of a child: its name, namespace, labels and the FinanceTracker as its
    /// controlling owner (so Kubernetes deletes it with the FinanceTracker).
    pub fn metadata(&self, name: String, component: Component) -> ObjectMeta {
        ObjectMeta {
            name: Some(name),
            namespace: Some(self.namespace.clone()),
            labels: Some(self.labels(component)),
            owner_references: self.owner.clone().map(|owner| vec![owner]),
            ..ObjectMeta::default()
        }
    }

    /// Whether `meta` names this FinanceTracker (by uid) as its controlling owner.
    pub fn owns(&self, meta: &ObjectMeta) -> bool {
        let Some(owner) = &self.owner else {
            return false;
        };
        meta.owner_references
            .iter()
            .flatten()
            .any(|r| r.uid == owner.uid && r.controller == Some(true))
    }
}
