//! A child object of any kind the operator manages, erased to JSON for the apply and
//! orphan-sweep steps. The kinds are a closed list: the sweep looks only at these.

use k8s_openapi::api::apps::v1::{Deployment, StatefulSet};
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::{ConfigMap, Secret, Service};
use k8s_openapi::api::networking::v1::{Ingress, NetworkPolicy};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use kube::Resource;
use kube::core::{ApiResource, DynamicObject, GroupVersionKind};
use serde::Serialize;

/// The kinds of child, in the order they are applied: what a pod reads exists before the
/// pod does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Secret,
    ConfigMap,
    Service,
    StatefulSet,
    Job,
    Deployment,
    PodDisruptionBudget,
    NetworkPolicy,
    Ingress,
    ServiceMonitor,
    PrometheusRule,
}

impl Kind {
    pub const ALL: [Kind; 11] = [
        Kind::Secret,
        Kind::ConfigMap,
        Kind::Service,
        Kind::StatefulSet,
        Kind::Job,
        Kind::Deployment,
        Kind::PodDisruptionBudget,
        Kind::NetworkPolicy,
        Kind::Ingress,
        Kind::ServiceMonitor,
        Kind::PrometheusRule,
    ];

    pub fn api_resource(self) -> ApiResource {
        match self {
            Self::Secret => ApiResource::erase::<Secret>(&()),
            Self::ConfigMap => ApiResource::erase::<ConfigMap>(&()),
            Self::Service => ApiResource::erase::<Service>(&()),
            Self::StatefulSet => ApiResource::erase::<StatefulSet>(&()),
            Self::Job => ApiResource::erase::<Job>(&()),
            Self::Deployment => ApiResource::erase::<Deployment>(&()),
            Self::PodDisruptionBudget => ApiResource::erase::<PodDisruptionBudget>(&()),
            Self::NetworkPolicy => ApiResource::erase::<NetworkPolicy>(&()),
            Self::Ingress => ApiResource::erase::<Ingress>(&()),
            Self::ServiceMonitor => ApiResource::from_gvk_with_plural(
                &GroupVersionKind::gvk("monitoring.coreos.com", "v1", "ServiceMonitor"),
                "servicemonitors",
            ),
            Self::PrometheusRule => ApiResource::from_gvk_with_plural(
                &GroupVersionKind::gvk("monitoring.coreos.com", "v1", "PrometheusRule"),
                "prometheusrules",
            ),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Secret => "Secret",
            Self::ConfigMap => "ConfigMap",
            Self::Service => "Service",
            Self::StatefulSet => "StatefulSet",
            Self::Job => "Job",
            Self::Deployment => "Deployment",
            Self::PodDisruptionBudget => "PodDisruptionBudget",
            Self::NetworkPolicy => "NetworkPolicy",
            Self::Ingress => "Ingress",
            Self::ServiceMonitor => "ServiceMonitor",
            Self::PrometheusRule => "PrometheusRule",
        }
    }

    /// Whether a child of this kind that the spec no longer wants is deleted. Secrets are
    /// not: a generated password must outlive a spec that stops using it for a while (a
    /// database switched to external and back still has its data and its password).
    pub fn swept(self) -> bool {
        self != Self::Secret
    }
}

/// A Kubernetes type the operator builds, and which [`Kind`] it is.
pub trait Typed: Serialize + Resource<DynamicType = ()> {
    const KIND: Kind;
}

macro_rules! typed {
    ($($ty:ty => $kind:ident),* $(,)?) => {
        $(impl Typed for $ty { const KIND: Kind = Kind::$kind; })*
    };
}

typed!(
    Secret => Secret,
    ConfigMap => ConfigMap,
    Service => Service,
    StatefulSet => StatefulSet,
    Job => Job,
    Deployment => Deployment,
    PodDisruptionBudget => PodDisruptionBudget,
    NetworkPolicy => NetworkPolicy,
    Ingress => Ingress,
);

/// One desired child: its kind, name and the full object to apply.
#[derive(Debug, Clone, PartialEq)]
pub struct Child {
    pub kind: Kind,
    pub name: String,
    pub object: serde_json::Value,
}

impl Child {
    pub fn new<K: Typed>(object: &K) -> Self {
        Self {
            kind: K::KIND,
            name: object.meta().name.clone().unwrap_or_default(),
            object: serde_json::to_value(object).expect("Kubernetes objects always serialize"),
        }
    }

    /// A child of a kind without a Rust type (ServiceMonitor, PrometheusRule).
    pub fn dynamic(kind: Kind, object: &DynamicObject) -> Self {
        Self {
            kind,
            name: object.metadata.name.clone().unwrap_or_default(),
            object: serde_json::to_value(object).expect("Kubernetes objects always serialize"),
        }
    }
}
