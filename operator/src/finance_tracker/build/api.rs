//! The API: Deployment (only once its image's migration has run), Service and budget.

use k8s_openapi::api::core::v1::{ConfigMapVolumeSource, Container, EnvVar, Volume, VolumeMount};

use super::Plan;
use super::pod;
use super::workload;
use crate::child::Child;
use crate::finance_tracker::credentials;
use crate::finance_tracker::names::Component;

pub const PORT: u16 = 8080;
const ML_PORT: u16 = super::ml_worker::PORT;
/// Where the API pods see the routing ConfigMap; the kubelet swaps its files in place when
/// the operator changes the weights, and the API reads them again.
const ROUTING_DIR: &str = "/etc/financetracker/model-routing";

/// The annotation whose change rolls a component's pods: a digest of what they read at start.
pub const CONFIG_DIGEST: &str = "finance.financetracker.dev/config-digest";

pub fn children(plan: &Plan<'_>) -> Vec<Child> {
    let names = plan.names;
    let mut children = vec![
        Child::new(&workload::service(
            names,
            Component::Api,
            "http",
            i32::from(PORT),
            false,
        )),
        Child::new(&workload::disruption_budget(names, Component::Api)),
    ];
    if let Some(image) = &plan.rollout.api_image {
        children.push(Child::new(&deployment(plan, image)));
    }
    children
}

/// The environment of the API process, shared with the migration Job.
pub fn store_env(plan: &Plan<'_>) -> Vec<EnvVar> {
    vec![
        pod::env_from_secret(
            "DATABASE_URL",
            &credentials::database_url(plan.spec, plan.names),
        ),
        pod::env("LOG_FORMAT", "json"),
        pod::env("LOG_LEVEL", plan.spec.api.log_level.clone()),
    ]
}

fn deployment(plan: &Plan<'_>, image: &str) -> k8s_openapi::api::apps::v1::Deployment {
    let (spec, names) = (plan.spec, plan.names);
    let mut env = vec![pod::env("LISTEN_ADDR", format!("0.0.0.0:{PORT}"))];
    env.extend(store_env(plan));
    env.extend([
        pod::env_from_secret("REDIS_URL", &credentials::redis_url(spec, names)),
        pod::env_from_secret("JWT_SECRET", &credentials::jwt_key(spec, names)),
        pod::env(
            "ML_WORKER_URL",
            names.service_url(Component::MlWorker, ML_PORT),
        ),
        pod::env(
            "ML_ROUTING_FILE",
            format!("{ROUTING_DIR}/{}", super::ml_worker::ROUTING_KEY),
        ),
        pod::env("COOKIE_SECURE", plan.cookie_secure().to_string()),
        // nginx, in front of every API pod, puts the client's address last.
        pod::env("TRUST_FORWARDED_FOR", "true"),
        pod::env(
            "ACCESS_TOKEN_TTL_SECONDS",
            spec.auth.access_token_ttl_seconds.to_string(),
        ),
        pod::env(
            "REFRESH_TOKEN_TTL_DAYS",
            spec.auth.refresh_token_ttl_days.to_string(),
        ),
    ]);
    let resources = pod::resources(spec.api.resources.as_ref(), "100m", "128Mi", "512Mi");
    let (container, tmp) =
        pod::service_container("api", image, plan.images.pull_policy, PORT, env, resources);
    let mut mounts = container.volume_mounts.clone().unwrap_or_default();
    mounts.push(VolumeMount {
        name: "model-routing".to_owned(),
        mount_path: ROUTING_DIR.to_owned(),
        read_only: Some(true),
        ..VolumeMount::default()
    });
    let container = Container {
        args: Some(vec!["serve".to_owned()]),
        volume_mounts: Some(mounts),
        ..container
    };
    let routing = Volume {
        name: "model-routing".to_owned(),
        config_map: Some(ConfigMapVolumeSource {
            name: names.ml_routing(),
            ..ConfigMapVolumeSource::default()
        }),
        ..Volume::default()
    };
    let pod_spec = plan.own_pod(container, vec![tmp, routing]);
    let annotations = plan.pod_annotations(plan.credentials.digest.clone(), Some(PORT));
    workload::deployment(
        names,
        Component::Api,
        spec.api.replicas,
        workload::pod_template(names, Component::Api, annotations, pod_spec),
    )
}
