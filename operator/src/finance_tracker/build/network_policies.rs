//! Who may talk to whom: only the API, the ML worker (and the migration Job) reach
//! PostgreSQL; only the API and the ML worker reach Redis; only nginx reaches the API;
//! only the API reaches the ML workers (the candidate's too). The metrics ports also admit
//! the scrape namespace.

use k8s_openapi::api::networking::v1::{
    NetworkPolicy, NetworkPolicyIngressRule, NetworkPolicyPeer, NetworkPolicyPort,
    NetworkPolicySpec,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, LabelSelectorRequirement};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::Plan;
use super::{api, ml_worker, stores};
use crate::child::Child;
use crate::crd::finance_tracker::StoreMode;
use crate::finance_tracker::names::{
    Component, LABEL_COMPONENT, LABEL_INSTANCE, LABEL_NAME, Names,
};
use crate::finance_tracker::nginx;

pub fn children(plan: &Plan<'_>) -> Vec<Child> {
    let (names, spec) = (plan.names, plan.spec);
    let scrape = Some(spec.monitoring.scrape_namespace.as_str());
    let mut policies = vec![
        policy(names, Component::Api, api::PORT, &[Component::Web], scrape),
        policy(
            names,
            Component::MlWorker,
            ml_worker::PORT,
            &[Component::Api],
            scrape,
        ),
        // Anyone may reach nginx: it is the front door (behind the ingress controller).
        open(names, Component::Web, nginx::LISTEN_PORT),
    ];
    if plan.variants.candidate.is_some() {
        policies.push(policy(
            names,
            Component::MlCandidate,
            ml_worker::PORT,
            &[Component::Api],
            scrape,
        ));
    }
    if spec.postgres.mode == StoreMode::Managed {
        policies.push(policy(
            names,
            Component::Postgres,
            stores::POSTGRES_PORT,
            &[
                Component::Api,
                Component::MlWorker,
                Component::MlCandidate,
                Component::Migration,
            ],
            None,
        ));
    }
    if spec.redis.mode == StoreMode::Managed {
        policies.push(policy(
            names,
            Component::Redis,
            stores::REDIS_PORT,
            &[Component::Api, Component::MlWorker, Component::MlCandidate],
            None,
        ));
    }
    policies.iter().map(Child::new).collect()
}

/// Ingress to `target`'s `port` from this instance's `from` pods, and from every pod in
/// `scrape_namespace` when given.
fn policy(
    names: &Names,
    target: Component,
    port: u16,
    from: &[Component],
    scrape_namespace: Option<&str>,
) -> NetworkPolicy {
    let mut peers = vec![NetworkPolicyPeer {
        pod_selector: Some(LabelSelector {
            match_labels: Some(
                [
                    (LABEL_NAME.to_owned(), "financetracker".to_owned()),
                    (LABEL_INSTANCE.to_owned(), names.instance.clone()),
                ]
                .into(),
            ),
            match_expressions: Some(vec![LabelSelectorRequirement {
                key: LABEL_COMPONENT.to_owned(),
                operator: "In".to_owned(),
                values: Some(from.iter().map(|c| c.as_str().to_owned()).collect()),
            }]),
        }),
        ..NetworkPolicyPeer::default()
    }];
    if let Some(namespace) = scrape_namespace {
        peers.push(NetworkPolicyPeer {
            namespace_selector: Some(LabelSelector {
                match_labels: Some(
                    [(
                        "kubernetes.io/metadata.name".to_owned(),
                        namespace.to_owned(),
                    )]
                    .into(),
                ),
                match_expressions: None,
            }),
            ..NetworkPolicyPeer::default()
        });
    }
    build(names, target, port, Some(peers))
}

fn open(names: &Names, target: Component, port: u16) -> NetworkPolicy {
    build(names, target, port, None)
}

fn build(
    names: &Names,
    target: Component,
    port: u16,
    from: Option<Vec<NetworkPolicyPeer>>,
) -> NetworkPolicy {
    NetworkPolicy {
        metadata: names.metadata(names.of(target), target),
        spec: Some(NetworkPolicySpec {
            pod_selector: Some(LabelSelector {
                match_labels: Some(names.selector(target)),
                match_expressions: None,
            }),
            policy_types: Some(vec!["Ingress".to_owned()]),
            ingress: Some(vec![NetworkPolicyIngressRule {
                from,
                ports: Some(vec![NetworkPolicyPort {
                    port: Some(IntOrString::Int(i32::from(port))),
                    protocol: Some("TCP".to_owned()),
                    end_port: None,
                }]),
            }]),
            egress: None,
        }),
    }
}
