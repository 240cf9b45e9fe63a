//! The ML worker: Deployment, Service and budget, and during a ModelExperiment the
//! candidate's own Deployment and Service beside them. The model files are baked into the
//! image under `/models`; the spec (or a promoted experiment) picks the version served.

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
    let service = |component| workload::service(names, component, "http", i32::from(PORT), false);
    let serving = plan.variants.serving.image.as_ref();
    let mut children = vec![
        Child::new(&routing(plan)),
        Child::new(&service(Component::MlWorker)),
        Child::new(&workload::disruption_budget(names, Component::MlWorker)),
        Child::new(&deployment(
            plan,
            Component::MlWorker,
            plan.model_version(),
            serving.unwrap_or(&plan.images.ml_worker),
            plan.spec.ml_worker.replicas,
        )),
    ];
    if let Some(candidate) = &plan.variants.candidate {
        // One pod: a share of the households' categorisations, while it is judged.
        children.push(Child::new(&service(Component::MlCandidate)));
        children.push(Child::new(&deployment(
            plan,
            Component::MlCandidate,
            candidate.version.clone(),
            candidate.image.as_ref().unwrap_or(&plan.images.ml_worker),
            1,
        )));
    }
    children
}

/// Which model version gets which share of categorisations (`contracts::model_routing`, read
/// by the API): the serving version all of it, or during an experiment the candidate's
/// weight to the candidate's workers and the rest to the serving ones.
fn routing(plan: &Plan<'_>) -> ConfigMap {
    let version = plan.model_version();
    let mut routes = Vec::new();
    let mut experiment = None;
    if let Some(candidate) = &plan.variants.candidate {
        experiment = Some(candidate.experiment.clone());
        routes.push(Route {
            version: candidate.version.clone(),
            weight: candidate.weight,
            url: Some(plan.names.service_url(Component::MlCandidate, PORT)),
        });
    }
    let rest = 100 - routes.first().map_or(0, |r| r.weight);
    routes.push(Route {
        version: version.clone(),
        weight: rest,
        url: None,
    });
    let routing = ModelRouting {
        default_version: version,
        experiment,
        routes,
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

fn deployment(
    plan: &Plan<'_>,
    component: Component,
    version: String,
    image: &str,
    replicas: i32,
) -> k8s_openapi::api::apps::v1::Deployment {
    let (spec, names) = (plan.spec, plan.names);
    // The candidate's households' queued categorisations wait on a stream of its own.
    let queue = (component == Component::MlCandidate)
        .then(|| contracts::categorization::queue_stream_of(&version));
    let mut env = vec![
        pod::env("LISTEN_ADDR", format!("0.0.0.0:{PORT}")),
        pod::env("MODEL_DIR", "/models"),
        pod::env("MODEL_VERSION", version),
        pod::env("MODEL_THREADS", spec.ml_worker.threads.to_string()),
        pod::env_from_secret("DATABASE_URL", &credentials::database_url(spec, names)),
        pod::env_from_secret("REDIS_URL", &credentials::redis_url(spec, names)),
        pod::env("LOG_FORMAT", "json"),
    ];
    env.extend(queue.map(|stream| pod::env("QUEUE_STREAM", stream)));
    let resources = pod::resources(spec.ml_worker.resources.as_ref(), "500m", "256Mi", "768Mi");
    let (container, tmp) = pod::service_container(
        "ml-worker",
        image,
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
        component,
        replicas,
        workload::pod_template(names, component, annotations, pod_spec),
    )
}
