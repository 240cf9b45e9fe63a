//! The Ingress that publishes the web Service under the spec's host.

use std::collections::BTreeMap;

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
    let mut annotations =
        controller_annotations(spec.class_name.as_deref(), plan.spec.web.max_body_mib);
    // The user's own annotations win.
    annotations.extend(spec.annotations.clone());
    metadata.annotations = (!annotations.is_empty()).then_some(annotations);
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

/// Pure: what the Ingress controller of `class` needs to be told so that it lets through
/// what the web nginx behind it does. ingress-nginx closes a proxied connection that has
/// been quiet for 60 s; the WebSocket of live updates may be quiet much longer (the API
/// pings every 30 s, but a longer ping interval, or a proxy in between, must not cost the
/// socket), so its timeouts match the bundled nginx's hour. It refuses bodies over 1 MiB
/// (a bank file import is larger) and buffers a whole upload before passing it on: its
/// body limit follows `spec.web.maxBodyMib` and uploads stream. An unset class is usually
/// ingress-nginx too; other controllers ignore these annotations.
fn controller_annotations(class: Option<&str>, max_body_mib: i32) -> BTreeMap<String, String> {
    match class {
        Some("nginx") | None => [
            (
                "nginx.ingress.kubernetes.io/proxy-read-timeout",
                "3600".to_owned(),
            ),
            (
                "nginx.ingress.kubernetes.io/proxy-send-timeout",
                "3600".to_owned(),
            ),
            (
                "nginx.ingress.kubernetes.io/proxy-body-size",
                format!("{max_body_mib}m"),
            ),
            (
                "nginx.ingress.kubernetes.io/proxy-request-buffering",
                "off".to_owned(),
            ),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect(),
        _ => BTreeMap::new(),
    }
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
