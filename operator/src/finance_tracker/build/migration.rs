//! The database migration Job of one API image (`api migrate`), named after the image.

use k8s_openapi::api::batch::v1::{Job, JobSpec};
use k8s_openapi::api::core::v1::{Container, PodSpec};

use super::Plan;
use super::api;
use super::pod;
use super::workload;
use crate::child::Child;
use crate::finance_tracker::names::Component;

pub fn children(plan: &Plan<'_>) -> Vec<Child> {
    if !plan.rollout.migration_job {
        return Vec::new();
    }
    vec![Child::new(&job(plan))]
}

fn job(plan: &Plan<'_>) -> Job {
    let names = plan.names;
    let image = &plan.images.api;
    let (tmp, tmp_mount) = pod::scratch("tmp", "/tmp");
    let container = Container {
        name: "migrate".to_owned(),
        image: Some(image.clone()),
        image_pull_policy: Some(plan.images.pull_policy.to_owned()),
        args: Some(vec!["migrate".to_owned()]),
        env: Some(api::store_env(plan)),
        resources: Some(pod::resources(None, "100m", "64Mi", "256Mi")),
        security_context: Some(pod::container_security()),
        volume_mounts: Some(vec![tmp_mount]),
        ..Container::default()
    };
    let pod_spec = PodSpec {
        restart_policy: Some("Never".to_owned()),
        ..plan.own_pod(container, vec![tmp])
    };
    Job {
        metadata: names.metadata(names.migration_job(image), Component::Migration),
        spec: Some(JobSpec {
            // Retries with the Job controller's exponential backoff (10 s, 20 s, … 6 min).
            backoff_limit: Some(6),
            template: workload::pod_template(
                names,
                Component::Migration,
                std::collections::BTreeMap::new(),
                pod_spec,
            ),
            ..JobSpec::default()
        }),
        status: None,
    }
}
