//! The Ingress that publishes the web Service under the spec's host.

use k8s_openapi::api::networking::v1::{
    HTTPIngressPath, HTTPIngressRuleValue, Ingress, IngressBackend, IngressRule,
    IngressServiceBackend, IngressSpec, IngressTLS, ServiceBackendPort,
};

use super::Plan;
use crate::child::Child;
use crate::finance_tracker::names::Component;

pub fn children(plan: &Plan<'_>) -> Vec<Child> {
    let Some(spec) = &plan.spec.ingress else {
        return Vec::new();
    };
    let names = plan.names;
    let mut metadata = names.metadata(names.of(Component::Web), Component::Web);
    metadata.annotations = (!spec.annotations.is_empty()).then(|| spec.annotations.clone());
    let backend = IngressBackend {
        service: Some(IngressServiceBackend {
            name: names.of(Component::Web),
            port: Some(ServiceBackendPort {
                name: Some("http".to_owned()),
                number: None,
            }),
        }),
        resource: None,
    };
    let ingress = Ingress {
        metadata,
        spec: Some(IngressSpec {
            ingress_class_name: spec.class_name.clone(),
            rules: Some(vec![IngressRule {
                host: Some(spec.host.clone()),
                http: Some(HTTPIngressRuleValue {
                    paths: vec![HTTPIngressPath {
                        path: Some("/".to_owned()),
                        path_type: "Prefix".to_owned(),
                        backend,
                    }],
                }),
            }]),
            tls: spec.tls_secret_name.as_ref().map(|secret| {
                vec![IngressTLS {
                    hosts: Some(vec![spec.host.clone()]),
                    secret_name: Some(secret.clone()),
                }]
            }),
            default_backend: None,
        }),
        status: None,
    };
    vec![Child::new(&ingress)]
}

/// Where people open the platform, if it has an Ingress.
pub fn url(plan_spec: &crate::crd::FinanceTrackerSpec) -> Option<String> {
    plan_spec.ingress.as_ref().map(|ingress| {
        let scheme = if ingress.tls_secret_name.is_some() {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{}/", ingress.host)
    })
}
