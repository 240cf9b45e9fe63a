//! The managed stores: PostgreSQL and Redis, each a one-pod StatefulSet with a `data`
//! volume claim and a headless Service. What happens to the PostgreSQL volume when the
//! FinanceTracker goes is `spec.postgres.deletionPolicy`; Redis holds nothing that cannot
//! be rebuilt, so its volume always goes.

use std::collections::BTreeMap;

use k8s_openapi::ByteString;
use k8s_openapi::api::apps::v1::{
    StatefulSet, StatefulSetPersistentVolumeClaimRetentionPolicy, StatefulSetSpec,
};
use k8s_openapi::api::core::v1::{
    Container, EmptyDirVolumeSource, PersistentVolumeClaim, PersistentVolumeClaimSpec, PodSpec,
    Probe, Secret, Volume, VolumeResourceRequirements,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::Plan;
use super::pod;
use super::workload;
use crate::child::Child;
use crate::crd::finance_tracker::{DeletionPolicy, StorageSpec, StoreMode};
use crate::finance_tracker::credentials::{PASSWORD_KEY, POSTGRES_DB, POSTGRES_USER, URL_KEY};
use crate::finance_tracker::names::{Component, Names};

pub const POSTGRES_PORT: u16 = 5432;
pub const REDIS_PORT: u16 = 6379;
/// The stores' images are third-party releases pinned by tag: `spec.images.pullPolicy` is
/// about our own images (`Never` for images loaded into kind, say) and does not apply.
const STORE_PULL_POLICY: &str = "IfNotPresent";
/// The uid of the `postgres` user in the Alpine image.
const POSTGRES_UID: i64 = 70;
/// The uid of the `redis` user in the Alpine image.
const REDIS_UID: i64 = 999;

pub fn children(plan: &Plan<'_>) -> Vec<Child> {
    let mut children = Vec::new();
    if plan.spec.postgres.mode == StoreMode::Managed {
        children.extend(postgres(plan));
    }
    if plan.spec.redis.mode == StoreMode::Managed {
        children.extend(redis(plan));
    }
    children
}

fn postgres(plan: &Plan<'_>) -> Vec<Child> {
    let (spec, names) = (plan.spec, plan.names);
    let password = plan
        .credentials
        .postgres_password
        .as_deref()
        .expect("a managed PostgreSQL always has a password");
    let url = format!(
        "postgres://{POSTGRES_USER}:{password}@{}:{POSTGRES_PORT}/{POSTGRES_DB}",
        names.service_host(Component::Postgres)
    );
    let mut secret = secret(
        names,
        names.postgres_secret(),
        Component::Postgres,
        password,
        &url,
    );
    // Under Retain the password belongs with the volume, not with the FinanceTracker: no
    // owner reference, so no deletion (foreground or not) can take it while the data stays.
    // An explicit empty list, so that switching from Delete also removes the one it had.
    if spec.postgres.deletion_policy == DeletionPolicy::Retain {
        secret.metadata.owner_references = Some(Vec::new());
    }
    let ready = [
        "pg_isready",
        "--host=127.0.0.1",
        "--username",
        POSTGRES_USER,
        "--dbname",
        POSTGRES_DB,
    ];
    let container = Container {
        name: "postgres".to_owned(),
        image: Some(plan.images.postgres.clone()),
        image_pull_policy: Some(STORE_PULL_POLICY.to_owned()),
        env: Some(vec![
            pod::env("POSTGRES_USER", POSTGRES_USER),
            pod::env("POSTGRES_DB", POSTGRES_DB),
            pod::env_from_secret(
                "POSTGRES_PASSWORD",
                &crate::crd::finance_tracker::SecretKeyRef {
                    name: names.postgres_secret(),
                    key: PASSWORD_KEY.to_owned(),
                },
            ),
            // A subdirectory: the volume's root may hold `lost+found`, which initdb refuses.
            pod::env("PGDATA", "/var/lib/postgresql/data/pgdata"),
        ]),
        ports: Some(vec![pod::port("postgres", i32::from(POSTGRES_PORT))]),
        readiness_probe: Some(pod::exec_probe(&ready, 5, 3)),
        liveness_probe: Some(pod::exec_probe(&ready, 15, 6)),
        startup_probe: Some(startup_probe(&ready)),
        resources: Some(pod::resources(
            spec.postgres.resources.as_ref(),
            "250m",
            "256Mi",
            "1Gi",
        )),
        security_context: Some(pod::container_security()),
        volume_mounts: Some(vec![
            pod::mount("data", "/var/lib/postgresql/data"),
            pod::mount("run", "/var/run/postgresql"),
            pod::mount("tmp", "/tmp"),
            pod::mount("shm", "/dev/shm"),
        ]),
        ..Container::default()
    };
    let volumes = vec![
        pod::scratch("run", "/var/run/postgresql").0,
        pod::scratch("tmp", "/tmp").0,
        Volume {
            name: "shm".to_owned(),
            empty_dir: Some(EmptyDirVolumeSource {
                medium: Some("Memory".to_owned()),
                size_limit: Some(Quantity("256Mi".to_owned())),
            }),
            ..Volume::default()
        },
    ];
    let set = stateful_set(
        plan,
        Component::Postgres,
        POSTGRES_UID,
        container,
        volumes,
        &spec.postgres.storage,
    );
    vec![
        Child::new(&secret),
        Child::new(&workload::service(
            names,
            Component::Postgres,
            "postgres",
            i32::from(POSTGRES_PORT),
            true,
        )),
        Child::new(&set),
    ]
}

fn redis(plan: &Plan<'_>) -> Vec<Child> {
    let (spec, names) = (plan.spec, plan.names);
    let password = plan
        .credentials
        .redis_password
        .as_deref()
        .expect("a managed Redis always has a password");
    let url = format!(
        "redis://:{password}@{}:{REDIS_PORT}",
        names.service_host(Component::Redis)
    );
    let secret = secret(
        names,
        names.redis_secret(),
        Component::Redis,
        password,
        &url,
    );
    let ping = [
        "sh",
        "-c",
        "redis-cli -a \"$REDIS_PASSWORD\" --no-auth-warning ping | grep -q PONG",
    ];
    let container = Container {
        name: "redis".to_owned(),
        image: Some(plan.images.redis.clone()),
        image_pull_policy: Some(STORE_PULL_POLICY.to_owned()),
        args: Some(
            [
                "redis-server",
                "--appendonly",
                "yes",
                "--appendfsync",
                "everysec",
                "--dir",
                "/data",
                "--requirepass",
                "$(REDIS_PASSWORD)",
            ]
            .map(str::to_owned)
            .to_vec(),
        ),
        env: Some(vec![pod::env_from_secret(
            "REDIS_PASSWORD",
            &crate::crd::finance_tracker::SecretKeyRef {
                name: names.redis_secret(),
                key: PASSWORD_KEY.to_owned(),
            },
        )]),
        ports: Some(vec![pod::port("redis", i32::from(REDIS_PORT))]),
        readiness_probe: Some(pod::exec_probe(&ping, 5, 3)),
        liveness_probe: Some(pod::exec_probe(&ping, 15, 6)),
        startup_probe: Some(startup_probe(&ping)),
        resources: Some(pod::resources(
            spec.redis.resources.as_ref(),
            "50m",
            "64Mi",
            "256Mi",
        )),
        security_context: Some(pod::container_security()),
        volume_mounts: Some(vec![pod::mount("data", "/data"), pod::mount("tmp", "/tmp")]),
        ..Container::default()
    };
    let set = stateful_set(
        plan,
        Component::Redis,
        REDIS_UID,
        container,
        vec![pod::scratch("tmp", "/tmp").0],
        &spec.redis.storage,
    );
    vec![
        Child::new(&secret),
        Child::new(&workload::service(
            names,
            Component::Redis,
            "redis",
            i32::from(REDIS_PORT),
            true,
        )),
        Child::new(&set),
    ]
}

/// Up to 30 minutes for a store to answer its readiness command after a start: a long WAL
/// recovery or AOF load must not be ended by the liveness probe, which waits for this one.
fn startup_probe(command: &[&str]) -> Probe {
    pod::exec_probe(command, 10, 180)
}

/// A generated password and the URL built from it, in one Secret.
fn secret(names: &Names, name: String, component: Component, password: &str, url: &str) -> Secret {
    Secret {
        metadata: names.metadata(name, component),
        type_: Some("Opaque".to_owned()),
        data: Some(BTreeMap::from([
            (
                PASSWORD_KEY.to_owned(),
                ByteString(password.as_bytes().to_vec()),
            ),
            (URL_KEY.to_owned(), ByteString(url.as_bytes().to_vec())),
        ])),
        ..Secret::default()
    }
}

fn stateful_set(
    plan: &Plan<'_>,
    component: Component,
    uid: i64,
    container: Container,
    volumes: Vec<Volume>,
    storage: &StorageSpec,
) -> StatefulSet {
    let names = plan.names;
    let claim = PersistentVolumeClaim {
        metadata: ObjectMeta {
            name: Some("data".to_owned()),
            labels: Some(names.selector(component)),
            ..ObjectMeta::default()
        },
        spec: Some(PersistentVolumeClaimSpec {
            access_modes: Some(vec!["ReadWriteOnce".to_owned()]),
            storage_class_name: storage.storage_class_name.clone(),
            resources: Some(VolumeResourceRequirements {
                requests: Some(BTreeMap::from([(
                    "storage".to_owned(),
                    storage.size.clone(),
                )])),
                limits: None,
            }),
            ..PersistentVolumeClaimSpec::default()
        }),
        status: None,
    };
    let pod_spec = PodSpec {
        containers: vec![container],
        volumes: Some(volumes),
        security_context: Some(pod::pod_security(uid)),
        automount_service_account_token: Some(false),
        termination_grace_period_seconds: Some(60),
        // A private mirror of the store images needs the same credentials as ours.
        image_pull_secrets: plan.pull_secrets(),
        ..PodSpec::default()
    };
    // No config digest here: a store restarts only when its own spec changes.
    StatefulSet {
        metadata: names.metadata(names.of(component), component),
        spec: Some(StatefulSetSpec {
            replicas: Some(1),
            service_name: Some(names.of(component)),
            selector: workload::selector(names, component),
            template: workload::pod_template(names, component, BTreeMap::new(), pod_spec),
            volume_claim_templates: Some(vec![claim]),
            // Retained even under `deletionPolicy: Delete`: the StatefulSet also goes when a
            // store is switched to external, which must not delete its data. Deleting the
            // FinanceTracker deletes the claims the policy says to (see `deletion::plan`).
            persistent_volume_claim_retention_policy: Some(
                StatefulSetPersistentVolumeClaimRetentionPolicy {
                    when_deleted: Some("Retain".to_owned()),
                    when_scaled: Some("Retain".to_owned()),
                },
            ),
            ..StatefulSetSpec::default()
        }),
        status: None,
    }
}
