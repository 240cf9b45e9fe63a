//! The web tier: nginx serving the web app and proxying `/api/` to the API, with its
//! config in a ConfigMap (a changed config rolls the pods through a digest annotation).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    ConfigMap, ConfigMapVolumeSource, Container, Volume, VolumeMount,
};

use super::Plan;
use super::api;
use super::pod;
use super::workload;
use crate::child::Child;
use crate::finance_tracker::names::Component;
use crate::finance_tracker::nginx::{self, NginxConfig};

pub const SERVICE_PORT: i32 = 80;
pub const CONFIG_KEY: &str = "nginx.conf";

pub fn children(plan: &Plan<'_>) -> Vec<Child> {
    let names = plan.names;
    let config = nginx_conf(plan);
    // Port 80 for the Ingress, to nginx's unprivileged port (named `http`).
    let service = workload::service(names, Component::Web, "http", SERVICE_PORT, false);
    vec![
        Child::new(&ConfigMap {
            metadata: names.metadata(names.nginx_config(), Component::Web),
            data: Some(BTreeMap::from([(CONFIG_KEY.to_owned(), config.clone())])),
            ..ConfigMap::default()
        }),
        Child::new(&service),
        Child::new(&workload::disruption_budget(names, Component::Web)),
        Child::new(&deployment(plan, &config)),
    ]
}

/// The config text this FinanceTracker's nginx runs with.
pub fn nginx_conf(plan: &Plan<'_>) -> String {
    let api = format!("{}:{}", plan.names.service_host(Component::Api), api::PORT);
    nginx::render(&NginxConfig {
        api: &api,
        max_body_mib: plan.spec.web.max_body_mib,
    })
}

fn deployment(plan: &Plan<'_>, config: &str) -> k8s_openapi::api::apps::v1::Deployment {
    let (spec, names) = (plan.spec, plan.names);
    let (tmp, tmp_mount) = pod::scratch("tmp", "/tmp");
    let config_volume = Volume {
        name: "config".to_owned(),
        config_map: Some(ConfigMapVolumeSource {
            name: names.nginx_config(),
            ..ConfigMapVolumeSource::default()
        }),
        ..Volume::default()
    };
    let config_mount = VolumeMount {
        name: "config".to_owned(),
        mount_path: "/etc/nginx/nginx.conf".to_owned(),
        sub_path: Some(CONFIG_KEY.to_owned()),
        read_only: Some(true),
        ..VolumeMount::default()
    };
    let container = Container {
        name: "nginx".to_owned(),
        image: Some(plan.images.web.clone()),
        image_pull_policy: Some(plan.images.pull_policy.to_owned()),
        ports: Some(vec![pod::port("http", i32::from(nginx::LISTEN_PORT))]),
        liveness_probe: Some(pod::http_probe("/healthz", 10, 3)),
        readiness_probe: Some(pod::http_probe("/healthz", 5, 2)),
        resources: Some(pod::resources(
            spec.web.resources.as_ref(),
            "50m",
            "32Mi",
            "128Mi",
        )),
        security_context: Some(pod::container_security()),
        volume_mounts: Some(vec![tmp_mount, config_mount]),
        ..Container::default()
    };
    let pod_spec = plan.own_pod(container, vec![tmp, config_volume]);
    let annotations =
        plan.pod_annotations(service_kit::digest::sha256_hex(config.as_bytes()), None);
    workload::deployment(
        names,
        Component::Web,
        spec.web.replicas,
        workload::pod_template(names, Component::Web, annotations, pod_spec),
    )
}
