//! The shapes every component repeats: its Deployment, its Service and its disruption
//! budget, labelled and owned the same way.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{
    Deployment, DeploymentSpec, DeploymentStrategy, RollingUpdateDeployment,
};
use k8s_openapi::api::core::v1::{PodSpec, PodTemplateSpec, Service, ServicePort, ServiceSpec};
use k8s_openapi::api::policy::v1::{PodDisruptionBudget, PodDisruptionBudgetSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::finance_tracker::names::{Component, Names};

/// Pod template metadata: the component's pod labels and `annotations` (a change to the
/// annotations rolls the pods, which is how a new config or secret reaches them).
pub fn pod_template(
    names: &Names,
    component: Component,
    annotations: BTreeMap<String, String>,
    spec: PodSpec,
) -> PodTemplateSpec {
    PodTemplateSpec {
        metadata: Some(ObjectMeta {
            labels: Some(names.pod_labels(component)),
            annotations: (!annotations.is_empty()).then_some(annotations),
            ..ObjectMeta::default()
        }),
        spec: Some(spec),
    }
}

pub fn selector(names: &Names, component: Component) -> LabelSelector {
    LabelSelector {
        match_labels: Some(names.selector(component)),
        match_expressions: None,
    }
}

/// A Deployment that surges one pod and never drops below `replicas` ready ones.
pub fn deployment(
    names: &Names,
    component: Component,
    replicas: i32,
    template: PodTemplateSpec,
) -> Deployment {
    Deployment {
        metadata: names.metadata(names.of(component), component),
        spec: Some(DeploymentSpec {
            replicas: Some(replicas),
            revision_history_limit: Some(5),
            selector: selector(names, component),
            strategy: Some(DeploymentStrategy {
                type_: Some("RollingUpdate".to_owned()),
                rolling_update: Some(RollingUpdateDeployment {
                    max_surge: Some(IntOrString::Int(1)),
                    max_unavailable: Some(IntOrString::Int(0)),
                }),
            }),
            template,
            ..DeploymentSpec::default()
        }),
        status: None,
    }
}

/// A Service on `port` named `http` (or the given name), to the pods' port of that name.
/// `headless` for a StatefulSet's stable pod names.
pub fn service(
    names: &Names,
    component: Component,
    port_name: &str,
    port: i32,
    headless: bool,
) -> Service {
    Service {
        metadata: names.metadata(names.of(component), component),
        spec: Some(ServiceSpec {
            selector: Some(names.selector(component)),
            cluster_ip: headless.then(|| "None".to_owned()),
            ports: Some(vec![ServicePort {
                name: Some(port_name.to_owned()),
                port,
                target_port: Some(IntOrString::String(port_name.to_owned())),
                protocol: Some("TCP".to_owned()),
                ..ServicePort::default()
            }]),
            ..ServiceSpec::default()
        }),
        status: None,
    }
}

/// At most one pod of the component down for a voluntary disruption (a node drain); never
/// zero, which would block drains of a single-replica component forever.
pub fn disruption_budget(names: &Names, component: Component) -> PodDisruptionBudget {
    PodDisruptionBudget {
        metadata: names.metadata(names.of(component), component),
        spec: Some(PodDisruptionBudgetSpec {
            max_unavailable: Some(IntOrString::Int(1)),
            selector: Some(selector(names, component)),
            ..PodDisruptionBudgetSpec::default()
        }),
        status: None,
    }
}
