//! The ML worker: Deployment, Service and budget. The model files are baked into its image
//! under `/models`; the spec picks the version it serves.

use std::collections::BTreeMap;

use contracts::model_routing::{ModelRouting, Route};
use k8s_openapi::api::core::v1::{ConfigMap, Container};

use super::Plan;
use super::pod;
use super::workload;
use crate::child::Child;
use crate::finance_tracker::credentials;
use crate::finance_tracker::names::Component;

pub const PORT: u16 = 8090;

pub const ROUTING_KEY: &str = "routing.json";

pub fn children(plan: &Plan<'_>) -> Vec<Child> {
    let names = plan.names;
    vec![
        Child::new(&routing(plan)),
        Child::new(&workload::service(
            names,
            Component::MlWorker,
            "http",
            i32::from(PORT),
            false,
        )),
        Child::new(&workload::disruption_budget(names, Component::MlWorker)),
        Child::new(&deployment(plan)),
    ]
}

/// Which model version gets which share of categorisations (`contracts::model_routing`, read
/// by the API). Without a ModelExperiment the
/// serving version gets all of it; an experiment's controller rewrites the weights.
fn routing(plan: &Plan<'_>) -> ConfigMap {
    let version = plan.model_version();
    let routing = ModelRouting {
        default_version: version.clone(),
        experiment: None,
        routes: vec![Route {
            version,
            weight: 100,
            url: None,
        }],
    };
    ConfigMap {
        metadata: plan
            .names
            .metadata(plan.names.ml_routing(), Component::MlWorker),
        data: Some(BTreeMap::from([(
            ROUTING_KEY.to_owned(),
            serde_json::to_string_pretty(&routing).expect("JSON always serializes"),
        )])),
        ..ConfigMap::default()
    }
}

fn deployment(plan: &Plan<'_>) -> k8s_openapi::api::apps::v1::Deployment {
    let (spec, names) = (plan.spec, plan.names);
    let env = vec![
        pod::env("LISTEN_ADDR", format!("0.0.0.0:{PORT}")),
        pod::env("MODEL_DIR", "/models"),
        pod::env("MODEL_VERSION", plan.model_version()),
        pod::env("MODEL_THREADS", spec.ml_worker.threads.to_string()),
        pod::env_from_secret("DATABASE_URL", &credentials::database_url(spec, names)),
        pod::env_from_secret("REDIS_URL", &credentials::redis_url(spec, names)),
        pod::env("LOG_FORMAT", "json"),
    ];
    let resources = pod::resources(spec.ml_worker.resources.as_ref(), "500m", "256Mi", "768Mi");
    let (container, tmp) = pod::service_container(
        "ml-worker",
        &plan.images.ml_worker,
        plan.images.pull_policy,
        PORT,
        env,
        resources,
    );
    let container = Container {
        // Loading and checking the model takes a few seconds on a small node.
        startup_probe: Some(pod::http_probe("/healthz", 2, 60)),
        ..container
    };
    let pod_spec = plan.own_pod(container, vec![tmp]);
    let annotations = plan.pod_annotations(plan.credentials.digest.clone(), Some(PORT));
    workload::deployment(
        names,
        Component::MlWorker,
        spec.ml_worker.replicas,
        workload::pod_template(names, Component::MlWorker, annotations, pod_spec),
    )
}
