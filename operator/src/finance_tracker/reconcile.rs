//! The reconcile of one FinanceTracker, the I/O shell around the pure steps:
//! dereference (read what exists) → validate → build → apply (and sweep orphans) → status.
//! Every decision is made by a pure function in a sibling module; this file only reads,
//! writes and reports.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use k8s_openapi::api::apps::v1::{Deployment, StatefulSet};
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Secret};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::jiff::Timestamp;
use kube::api::{Api, ListParams, Patch, PatchParams};
use kube::core::DynamicObject;
use kube::runtime::controller::Action;
use kube::runtime::events::{Event, EventType};
use kube::{Resource, ResourceExt};
use rand::RngExt as _;
use serde_json::{Value, json};

use super::build::{self, Plan};
use super::credentials::{self, Generated, SecretData};
use super::deletion;
use super::images;
use super::names::{Component, LABEL_COMPONENT, LABEL_INSTANCE, LABEL_NAME, MANAGER, Names};
use super::rollout::{self, JobState, Rollout, RolloutInput};
use super::status::{self, StatusInput, Trouble};
use super::validate::{self, Problem};
use super::volumes::{self, Claim};
use crate::apply;
use crate::child::{Child, Kind};
use crate::controller::Context;
use crate::crd::finance_tracker::{MonitorMode, StoreMode};
use crate::crd::{FinanceTracker, ModelExperiment};
use crate::error::ReconcileError;
use crate::model_experiment::variants::{self, Variants};

/// Keeps the data-retention promise of `spec.postgres.deletionPolicy` on deletion.
pub const FINALIZER: &str = "finance.financetracker.dev/data-policy";

/// How often a settled FinanceTracker is looked at again without any change: a safety
/// net only, since every change to it or its children triggers a reconcile at once.
pub const RESYNC: Duration = Duration::from_mins(5);
/// How soon a FinanceTracker that waits for a Secret the user must create is checked
/// again: a safety net, as the Secrets it names are watched.
pub const RECHECK_MISSING: Duration = Duration::from_secs(30);

pub async fn reconcile(
    ft: Arc<FinanceTracker>,
    ctx: Arc<Context>,
) -> Result<Action, ReconcileError> {
    if ft.metadata.deletion_timestamp.is_some() {
        return deletion::finalize(&ft, &ctx).await;
    }
    if !ft.finalizers().iter().any(|f| f == FINALIZER) {
        add_finalizer(&ft, &ctx).await?;
    }
    let names = Names::new(&ft);
    let world = dereference(&ctx, &ft, &names).await?;

    // A spec with a problem gets nothing applied, only a status that says what to fix.
    if let Some((trouble, recheck)) = invalid(&ft, &names, &world) {
        let components = components(&ft, &names, &world.observed);
        write_status(
            &ctx,
            &ft,
            status_input(&ft, components, None, Some(trouble)),
        )
        .await?;
        return Ok(Action::requeue(recheck));
    }

    let design = design(&ft, &names, &world, &mut |which| {
        fresh_secret(which.length())
    });
    let (observed, mut failures) =
        apply_all(&ctx, &ft, &names, &design.children, world.observed).await;
    for which in &design.generated {
        let (secret, _) = which.location(&names);
        let note = format!("generated {} in Secret {secret}", describe(*which));
        publish(&ctx, &ft, EventType::Normal, "Generated", note).await;
    }
    failures.extend(sweep(&ctx, &ft, &names, &design.children, &observed).await);
    failures.extend(grow_volumes(&ctx, &ft, &names, &world.claims).await);

    let trouble = if failures.is_empty() {
        design.rollout.failed.clone().map(|message| Trouble {
            reason: "MigrationFailed",
            message,
        })
    } else {
        let messages: Vec<String> = failures.iter().map(ToString::to_string).collect();
        Some(Trouble {
            reason: "ApplyFailed",
            message: messages.join("; "),
        })
    };
    let components = components(&ft, &names, &observed);
    write_status(
        &ctx,
        &ft,
        status_input(&ft, components, Some(&design), trouble),
    )
    .await?;
    match failures.into_iter().next() {
        Some(first) => Err(first),
        None => Ok(Action::requeue(RESYNC)),
    }
}

/// What the dereference step found in the cluster.
#[derive(Debug, Clone)]
pub struct World {
    /// Which Prometheus Operator kinds the cluster serves.
    pub monitoring: MonitoringApis,
    /// This instance's children that exist, of every managed kind.
    pub observed: Vec<(Kind, DynamicObject)>,
    /// The user's own Secrets the spec names that exist, with their values.
    pub referenced: BTreeMap<String, SecretData>,
    /// This instance's volume claims (made by its StatefulSets).
    pub claims: Vec<Claim>,
    /// The model versions it runs, after its ModelExperiments.
    pub variants: Variants,
}

async fn dereference(
    ctx: &Context,
    ft: &FinanceTracker,
    names: &Names,
) -> Result<World, ReconcileError> {
    let monitoring = monitoring_apis(&ctx.client).await;
    Ok(World {
        monitoring,
        observed: observe(ctx, names, monitoring).await?,
        referenced: read_referenced(ctx, ft).await?,
        claims: list_claims(ctx, names).await?,
        variants: variants::variants(ft, &list_experiments(ctx, &names.namespace).await?),
    })
}

/// The ModelExperiments of a namespace; none where the CRD is not installed yet (an
/// operator upgraded before its CRDs).
pub async fn list_experiments(
    ctx: &Context,
    namespace: &str,
) -> Result<Vec<Arc<ModelExperiment>>, ReconcileError> {
    let api: Api<ModelExperiment> = Api::namespaced(ctx.client.clone(), namespace);
    match api.list(&ListParams::default()).await {
        Ok(list) => Ok(list.items.into_iter().map(Arc::new).collect()),
        Err(kube::Error::Api(e)) if e.code == 404 => Ok(Vec::new()),
        Err(e) => Err(ReconcileError::kube("list ModelExperiments", e)),
    }
}

/// The volume claims this instance's StatefulSets made (they carry its selector labels).
pub(super) async fn list_claims(
    ctx: &Context,
    names: &Names,
) -> Result<Vec<Claim>, ReconcileError> {
    let api: Api<PersistentVolumeClaim> = Api::namespaced(ctx.client.clone(), &names.namespace);
    let selector = format!(
        "{LABEL_NAME}=financetracker,{LABEL_INSTANCE}={}",
        names.instance
    );
    let claims = api
        .list(&ListParams::default().labels(&selector))
        .await
        .map_err(|e| ReconcileError::kube("list PersistentVolumeClaims", e))?;
    Ok(claims
        .items
        .into_iter()
        .map(|c| Claim {
            name: c.name_any(),
            component: c.labels().get(LABEL_COMPONENT).cloned().unwrap_or_default(),
            size: c
                .spec
                .as_ref()
                .and_then(|s| s.resources.as_ref()?.requests.as_ref()?.get("storage"))
                .map(|q| q.0.clone()),
            storage_class: c.spec.and_then(|s| s.storage_class_name),
        })
        .collect())
}

/// Pure: why nothing may be applied, and when to look again; `None` for a usable spec.
pub fn invalid(ft: &FinanceTracker, names: &Names, world: &World) -> Option<(Trouble, Duration)> {
    let mut problems = validate::spec(ft);
    problems.extend(volumes::plan(&ft.spec, names, &world.claims).problems);
    let password = generated_secrets(names, &world.observed)
        .get(&names.postgres_secret())
        .is_some_and(|data| {
            data.get(credentials::PASSWORD_KEY)
                .is_some_and(|p| !p.is_empty())
        });
    problems.extend(volumes::lost_password(
        &ft.spec,
        names,
        &world.claims,
        password,
    ));
    let missing = validate::references(ft, &world.referenced);
    let only_missing = problems.is_empty() && !missing.is_empty();
    problems.extend(missing);
    for (field, mode, served, kind) in [
        (
            "spec.monitoring.serviceMonitor",
            ft.spec.monitoring.service_monitor,
            world.monitoring.service_monitors,
            "ServiceMonitor",
        ),
        (
            "spec.monitoring.prometheusRule",
            ft.spec.monitoring.prometheus_rule,
            world.monitoring.prometheus_rules,
            "PrometheusRule",
        ),
    ] {
        if mode == MonitorMode::Enabled && !served {
            problems.push(Problem {
                field: field.to_owned(),
                message: format!(
                    "Enabled, but the cluster has no monitoring.coreos.com/v1 {kind} API: \
                     install the Prometheus Operator, or set Auto or Disabled"
                ),
            });
        }
    }
    if problems.is_empty() {
        return None;
    }
    let message = problems
        .iter()
        .map(Problem::to_string)
        .collect::<Vec<_>>()
        .join("; ");
    Some(if only_missing {
        (
            Trouble {
                reason: "MissingSecret",
                message,
            },
            RECHECK_MISSING,
        )
    } else {
        (
            Trouble {
                reason: "InvalidSpec",
                message,
            },
            RESYNC,
        )
    })
}

/// The children to have, the rollout step, and which credentials had to be generated.
#[derive(Debug, Clone)]
pub struct Design {
    pub children: Vec<Child>,
    /// The model version the own ML workers serve.
    pub serving_version: String,
    pub rollout: Rollout,
    pub generated: Vec<Generated>,
}

/// Pure but for `fresh`, which makes a new secret value: from a usable spec and what
/// exists to every child the FinanceTracker should have.
pub fn design(
    ft: &FinanceTracker,
    names: &Names,
    world: &World,
    fresh: &mut dyn FnMut(Generated) -> String,
) -> Design {
    let observed = &world.observed;
    let images = images::resolve(&ft.spec);
    let referenced: Vec<&str> = credentials::references(&ft.spec)
        .into_iter()
        .filter_map(|(_, r)| {
            world
                .referenced
                .get(&r.name)?
                .get(&r.key)
                .map(String::as_str)
        })
        .collect();
    let mut generated = Vec::new();
    let existing = generated_secrets(names, observed);
    let credentials = credentials::resolve(&ft.spec, names, &existing, &referenced, &mut |which| {
        generated.push(which);
        fresh(which)
    });
    let job_name = names.migration_job(&images.api);
    let api = typed::<Deployment>(observed, Kind::Deployment, &names.of(Component::Api));
    let live_image = api.and_then(|d| d.spec?.template.spec?.containers.first()?.image.clone());
    let postgres =
        typed::<StatefulSet>(observed, Kind::StatefulSet, &names.of(Component::Postgres));
    let database_ready = ft.spec.postgres.mode == StoreMode::External
        || status::stateful_set_readiness(postgres.as_ref()).ready >= 1;
    let rollout = rollout::decide(
        &RolloutInput {
            wanted_image: &images.api,
            job: job_state(typed::<Job>(observed, Kind::Job, &job_name).as_ref()),
            migrated_image: ft.status.as_ref().and_then(|s| s.migrated_image.as_deref()),
            live_image: live_image.as_deref(),
            database_ready,
        },
        &job_name,
    );
    let children = build::desired(&Plan {
        spec: &ft.spec,
        names,
        images: &images,
        credentials: &credentials,
        rollout: &rollout,
        service_monitor: world.monitoring.service_monitors
            && ft.spec.monitoring.service_monitor != MonitorMode::Disabled,
        prometheus_rule: world.monitoring.prometheus_rules
            && ft.spec.monitoring.prometheus_rule != MonitorMode::Disabled,
        variants: &world.variants,
    });
    Design {
        children,
        serving_version: world.variants.serving.version.clone(),
        rollout,
        generated,
    }
}

/// Every child of this instance that exists now, of each kind the operator manages.
async fn observe(
    ctx: &Context,
    names: &Names,
    monitoring: MonitoringApis,
) -> Result<Vec<(Kind, DynamicObject)>, ReconcileError> {
    let mut observed = Vec::new();
    for kind in Kind::ALL {
        if !monitoring.serves(kind) {
            continue;
        }
        for object in apply::list(
            &ctx.client,
            kind,
            &names.namespace,
            &names.instance_selector(),
        )
        .await?
        {
            observed.push((kind, object));
        }
    }
    Ok(observed)
}

/// The user's own Secrets the spec names, those that exist, with their decoded values.
async fn read_referenced(
    ctx: &Context,
    ft: &FinanceTracker,
) -> Result<BTreeMap<String, SecretData>, ReconcileError> {
    let namespace = ft.namespace().unwrap_or_default();
    let api: Api<Secret> = Api::namespaced(ctx.client.clone(), &namespace);
    let mut found = BTreeMap::new();
    for (_, reference) in credentials::references(&ft.spec) {
        if found.contains_key(&reference.name) {
            continue;
        }
        let secret = api
            .get_opt(&reference.name)
            .await
            .map_err(|e| ReconcileError::kube(format!("read Secret {}", reference.name), e))?;
        if let Some(secret) = secret {
            let data = secret
                .data
                .unwrap_or_default()
                .into_iter()
                .map(|(k, v)| (k, String::from_utf8_lossy(&v.0).into_owned()))
                .collect();
            found.insert(reference.name.clone(), data);
        }
    }
    Ok(found)
}

/// The values in the Secrets the operator generated earlier, by Secret name.
fn generated_secrets(
    names: &Names,
    observed: &[(Kind, DynamicObject)],
) -> BTreeMap<String, SecretData> {
    let ours = [
        names.postgres_secret(),
        names.redis_secret(),
        names.jwt_secret(),
    ];
    observed
        .iter()
        .filter(|(kind, o)| *kind == Kind::Secret && ours.contains(&o.name_any()))
        .map(|(_, o)| {
            let data = o
                .data
                .get("data")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .filter_map(|(k, v)| {
                    let bytes = base64::engine::general_purpose::STANDARD
                        .decode(v.as_str()?)
                        .ok()?;
                    Some((k.clone(), String::from_utf8(bytes).ok()?))
                })
                .collect();
            (o.name_any(), data)
        })
        .collect()
}

/// A fresh random value of `length` letters and digits.
fn fresh_secret(length: usize) -> String {
    rand::rng()
        .sample_iter(rand::distr::Alphanumeric)
        .take(length)
        .map(char::from)
        .collect()
}

fn describe(which: Generated) -> &'static str {
    match which {
        Generated::PostgresPassword => "the PostgreSQL password",
        Generated::RedisPassword => "the Redis password",
        Generated::JwtKey => "the token-signing key",
    }
}

/// Which Prometheus Operator kinds the cluster serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MonitoringApis {
    pub service_monitors: bool,
    pub prometheus_rules: bool,
}

impl MonitoringApis {
    /// Whether children of `kind` can exist (every built-in kind can).
    pub fn serves(self, kind: Kind) -> bool {
        match kind {
            Kind::ServiceMonitor => self.service_monitors,
            Kind::PrometheusRule => self.prometheus_rules,
            _ => true,
        }
    }
}

/// Which Prometheus Operator kinds the cluster serves. An error counts as none: the
/// operator then neither creates nor sweeps them, so a blip deletes nothing.
async fn monitoring_apis(client: &kube::Client) -> MonitoringApis {
    match client
        .list_api_group_resources("monitoring.coreos.com/v1")
        .await
    {
        Ok(list) => MonitoringApis {
            service_monitors: list.resources.iter().any(|r| r.name == "servicemonitors"),
            prometheus_rules: list.resources.iter().any(|r| r.name == "prometheusrules"),
        },
        Err(e) => {
            tracing::debug!(error = %e, "no monitoring.coreos.com API");
            MonitoringApis::default()
        }
    }
}

fn typed<K: kube::Resource + serde::de::DeserializeOwned>(
    observed: &[(Kind, DynamicObject)],
    kind: Kind,
    name: &str,
) -> Option<K> {
    apply::find(observed, kind, name).and_then(|o| o.clone().try_parse::<K>().ok())
}

/// Pure: a Job's outcome from its conditions.
pub fn job_state(job: Option<&Job>) -> JobState {
    let Some(job) = job else {
        return JobState::Absent;
    };
    let conditions = job.status.as_ref().and_then(|s| s.conditions.as_ref());
    let holds = |type_: &str| {
        conditions
            .into_iter()
            .flatten()
            .find(|c| c.type_ == type_ && c.status == "True")
    };
    if holds("Complete").is_some() {
        JobState::Succeeded
    } else if let Some(failed) = holds("Failed") {
        JobState::Failed(failed.reason.clone().unwrap_or_else(|| "Failed".to_owned()))
    } else {
        JobState::Running
    }
}

/// Wanted and ready pods of each component, from what exists.
fn components(
    ft: &FinanceTracker,
    names: &Names,
    observed: &[(Kind, DynamicObject)],
) -> BTreeMap<String, crate::crd::finance_tracker::ComponentStatus> {
    let spec = &ft.spec;
    let deployment = |component: Component, replicas: i32| {
        let live = typed::<Deployment>(observed, Kind::Deployment, &names.of(component));
        (
            component.as_str().to_owned(),
            status::deployment_readiness(live.as_ref(), replicas),
        )
    };
    let mut components = BTreeMap::from([
        deployment(Component::Api, spec.api.replicas),
        deployment(Component::MlWorker, spec.ml_worker.replicas),
        deployment(Component::Web, spec.web.replicas),
    ]);
    for (component, mode) in [
        (Component::Postgres, spec.postgres.mode),
        (Component::Redis, spec.redis.mode),
    ] {
        if mode == StoreMode::Managed {
            let live = typed::<StatefulSet>(observed, Kind::StatefulSet, &names.of(component));
            components.insert(
                component.as_str().to_owned(),
                status::stateful_set_readiness(live.as_ref()),
            );
        }
    }
    components
}

/// Applies every desired child whose live object lacks some wanted field. Returns what is
/// observed afterwards and the failures (each child is tried; one bad child does not stop
/// the rest of the platform from getting its update).
async fn apply_all(
    ctx: &Context,
    ft: &FinanceTracker,
    names: &Names,
    desired: &[Child],
    mut observed: Vec<(Kind, DynamicObject)>,
) -> (Vec<(Kind, DynamicObject)>, Vec<ReconcileError>) {
    let mut failures = Vec::new();
    for child in desired {
        let live = apply::find(&observed, child.kind, &child.name);
        let child = &match live {
            Some(live) => apply::keep_immutable(child, live),
            None => child.clone(),
        };
        let current = live.is_some_and(|live| {
            // A Job's pod template is immutable: a Job, once there, is left to finish.
            child.kind == Kind::Job
                || apply::holds(
                    &serde_json::to_value(live).unwrap_or(Value::Null),
                    &child.object,
                )
        });
        if current {
            continue;
        }
        let created = live.is_none();
        match apply::apply(&ctx.client, &names.namespace, MANAGER, child).await {
            Ok(applied) => {
                ctx.metrics
                    .writes
                    .with_label_values(&[child.kind.name(), "apply"])
                    .inc();
                tracing::info!(kind = child.kind.name(), name = %child.name, created, "applied");
                if child.kind == Kind::Job && created {
                    publish(
                        ctx,
                        ft,
                        EventType::Normal,
                        "MigrationStarted",
                        format!("running the database migration Job {}", child.name),
                    )
                    .await;
                }
                observed.retain(|(k, o)| !(*k == child.kind && o.name_any() == child.name));
                observed.push((child.kind, applied));
            }
            Err(e) => {
                tracing::warn!(error = %e, "apply failed");
                failures.push(e);
            }
        }
    }
    (observed, failures)
}

/// Asks for more storage on the claims whose spec size grew (the storage class must allow
/// volume expansion; Kubernetes then resizes the volume, online for most drivers).
async fn grow_volumes(
    ctx: &Context,
    ft: &FinanceTracker,
    names: &Names,
    claims: &[Claim],
) -> Vec<ReconcileError> {
    let api: Api<PersistentVolumeClaim> = Api::namespaced(ctx.client.clone(), &names.namespace);
    let mut failures = Vec::new();
    for (claim, size) in volumes::plan(&ft.spec, names, claims).grow {
        let patch = json!({"spec": {"resources": {"requests": {"storage": size}}}});
        match api
            .patch(&claim, &PatchParams::default(), &Patch::Merge(&patch))
            .await
        {
            Ok(_) => {
                ctx.metrics
                    .writes
                    .with_label_values(&["PersistentVolumeClaim", "patch"])
                    .inc();
                let note = format!("asked for {size} on PersistentVolumeClaim {claim}");
                publish(ctx, ft, EventType::Normal, "VolumeResized", note).await;
            }
            Err(e) => failures.push(ReconcileError::kube(
                format!("grow PersistentVolumeClaim {claim}"),
                e,
            )),
        }
    }
    failures
}

/// Deletes the children this FinanceTracker owns that the spec no longer wants.
async fn sweep(
    ctx: &Context,
    ft: &FinanceTracker,
    names: &Names,
    desired: &[Child],
    observed: &[(Kind, DynamicObject)],
) -> Vec<ReconcileError> {
    let wanted: BTreeSet<(Kind, &str)> =
        desired.iter().map(|c| (c.kind, c.name.as_str())).collect();
    let mut failures = Vec::new();
    for (kind, object) in observed {
        let name = object.name_any();
        if !kind.swept()
            || !names.owns(&object.metadata)
            || wanted.contains(&(*kind, name.as_str()))
        {
            continue;
        }
        match apply::delete(&ctx.client, *kind, &names.namespace, &name).await {
            Ok(()) => {
                ctx.metrics
                    .writes
                    .with_label_values(&[kind.name(), "delete"])
                    .inc();
                tracing::info!(kind = kind.name(), %name, "deleted a child the spec no longer wants");
                publish(
                    ctx,
                    ft,
                    EventType::Normal,
                    "Deleted",
                    format!("deleted {} {name}: no longer part of the spec", kind.name()),
                )
                .await;
            }
            Err(e) => failures.push(e),
        }
    }
    failures
}

fn status_input<'a>(
    ft: &'a FinanceTracker,
    components: BTreeMap<String, crate::crd::finance_tracker::ComponentStatus>,
    applied: Option<&Design>,
    trouble: Option<Trouble>,
) -> StatusInput<'a> {
    let previous = ft.status.as_ref();
    // An invalid spec changed nothing, so the URL, model and migration stay as they were.
    let (url, model_version, migrated_image) = match applied {
        Some(design) => (
            build::url(&ft.spec),
            Some(design.serving_version.clone()),
            design.rollout.migrated_image.clone(),
        ),
        None => (
            previous.and_then(|s| s.url.clone()),
            previous.and_then(|s| s.active_model_version.clone()),
            previous.and_then(|s| s.migrated_image.clone()),
        ),
    };
    StatusInput {
        generation: ft.metadata.generation,
        components,
        waiting_for: applied.and_then(|d| d.rollout.waiting_for.clone()),
        trouble,
        url,
        model_version,
        migrated_image,
        previous,
        now: Time(Timestamp::now()),
    }
}

/// Writes the new status when it differs from the current one, and publishes the events
/// the change calls for.
async fn write_status(
    ctx: &Context,
    ft: &FinanceTracker,
    input: StatusInput<'_>,
) -> Result<(), ReconcileError> {
    let next = status::compute(&input);
    let previous = ft.status.as_ref();
    if previous == Some(&next) {
        return Ok(());
    }
    let api: Api<FinanceTracker> =
        Api::namespaced(ctx.client.clone(), &ft.namespace().unwrap_or_default());
    api.patch_status(
        &ft.name_any(),
        &PatchParams::default(),
        &Patch::Merge(status_patch(previous, &next)),
    )
    .await
    .map_err(|e| ReconcileError::kube("write FinanceTracker status", e))?;
    for notice in status::notices(previous, &next) {
        publish(ctx, ft, notice.type_, &notice.reason, notice.note).await;
    }
    Ok(())
}

/// Pure: a merge patch that sets `next` and removes what `previous` had that `next` lacks,
/// at any depth (a merge patch merges nested maps, such as `components`).
pub fn status_patch<S: serde::Serialize>(previous: Option<&S>, next: &S) -> Value {
    fn remove_missing(before: &Value, after: &mut Value) {
        if let (Value::Object(before), Value::Object(after)) = (before, after) {
            for (key, old) in before {
                match after.get_mut(key) {
                    Some(new) => remove_missing(old, new),
                    None => {
                        after.insert(key.clone(), Value::Null);
                    }
                }
            }
        }
    }
    let mut status = serde_json::to_value(next).expect("status always serializes");
    if let Some(previous) = previous {
        let before = serde_json::to_value(previous).expect("status always serializes");
        remove_missing(&before, &mut status);
    }
    json!({ "status": status })
}

/// The API server refuses an event note over 1 KiB: a long one is cut, at a character.
pub fn event_note(mut note: String) -> String {
    const MAX: usize = 1024;
    if note.len() > MAX {
        let mut end = MAX - '…'.len_utf8();
        while !note.is_char_boundary(end) {
            end -= 1;
        }
        note.truncate(end);
        note.push('…');
    }
    note
}

async fn add_finalizer(ft: &FinanceTracker, ctx: &Context) -> Result<(), ReconcileError> {
    let mut finalizers = ft.finalizers().to_vec();
    finalizers.push(FINALIZER.to_owned());
    patch_finalizers(ft, ctx, finalizers).await
}

/// Replaces the finalizer list, failing with a conflict if the object changed meanwhile.
pub async fn patch_finalizers(
    ft: &FinanceTracker,
    ctx: &Context,
    finalizers: Vec<String>,
) -> Result<(), ReconcileError> {
    let api: Api<FinanceTracker> =
        Api::namespaced(ctx.client.clone(), &ft.namespace().unwrap_or_default());
    let patch = json!({
        "metadata": {"finalizers": finalizers, "resourceVersion": ft.resource_version()}
    });
    api.patch(
        &ft.name_any(),
        &PatchParams::default(),
        &Patch::Merge(&patch),
    )
    .await
    .map(|_| ())
    .map_err(|e| ReconcileError::kube("update FinanceTracker finalizers", e))
}

/// Publishes an event about `ft`. A failure to publish is logged, never fatal.
pub async fn publish(
    ctx: &Context,
    ft: &FinanceTracker,
    type_: EventType,
    reason: &str,
    note: String,
) {
    publish_about(ctx, &ft.object_ref(&()), type_, reason, note).await;
}

/// Publishes an event about the object `about` refers to; a failure is logged only.
pub async fn publish_about(
    ctx: &Context,
    about: &k8s_openapi::api::core::v1::ObjectReference,
    type_: EventType,
    reason: &str,
    note: String,
) {
    let event = Event {
        type_,
        reason: reason.to_owned(),
        note: Some(event_note(note)),
        action: "Reconcile".to_owned(),
        secondary: None,
    };
    if let Err(e) = ctx.recorder.publish(&event, about).await {
        tracing::warn!(error = %e, reason, "cannot publish event");
    }
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::batch::v1::{JobCondition, JobStatus};

    use super::*;
    use crate::crd::finance_tracker::{ComponentStatus, FinanceTrackerStatus};

    #[test]
    fn a_status_patch_clears_what_the_new_status_no_longer_has() {
        let previous = FinanceTrackerStatus {
            url: Some("https://money.example.com/".to_owned()),
            active_model_version: Some("m1".to_owned()),
            ..FinanceTrackerStatus::default()
        };
        let next = FinanceTrackerStatus {
            active_model_version: Some("m2".to_owned()),
            ..FinanceTrackerStatus::default()
        };
        let patch = status_patch(Some(&previous), &next);
        assert_eq!(
            patch,
            json!({"status": {"url": null, "activeModelVersion": "m2"}})
        );

        let with_redis = FinanceTrackerStatus {
            components: [
                (
                    "api".to_owned(),
                    ComponentStatus {
                        ready: 1,
                        desired: 1,
                    },
                ),
                (
                    "redis".to_owned(),
                    ComponentStatus {
                        ready: 1,
                        desired: 1,
                    },
                ),
            ]
            .into(),
            ..FinanceTrackerStatus::default()
        };
        let without_redis = FinanceTrackerStatus {
            components: [(
                "api".to_owned(),
                ComponentStatus {
                    ready: 1,
                    desired: 1,
                },
            )]
            .into(),
            ..FinanceTrackerStatus::default()
        };
        assert_eq!(
            status_patch(Some(&with_redis), &without_redis)["status"]["components"],
            json!({"api": {"ready": 1, "desired": 1}, "redis": null}),
            "a component that is gone is removed from the map"
        );
        assert_eq!(
            status_patch(None, &next),
            json!({"status": {"activeModelVersion": "m2"}})
        );
    }

    #[test]
    fn a_long_event_note_is_cut_to_what_the_api_server_takes() {
        let note = event_note("é".repeat(800));
        assert!(note.len() <= 1024 && note.ends_with('…'), "{}", note.len());
        assert_eq!(event_note("short".to_owned()), "short");
    }

    #[test]
    fn a_jobs_state_comes_from_its_conditions() {
        let with = |type_: &str, reason: Option<&str>| Job {
            status: Some(JobStatus {
                conditions: Some(vec![JobCondition {
                    type_: type_.to_owned(),
                    status: "True".to_owned(),
                    reason: reason.map(str::to_owned),
                    ..JobCondition::default()
                }]),
                ..JobStatus::default()
            }),
            ..Job::default()
        };
        assert_eq!(job_state(None), JobState::Absent);
        assert_eq!(job_state(Some(&Job::default())), JobState::Running);
        assert_eq!(
            job_state(Some(&with("Complete", None))),
            JobState::Succeeded
        );
        assert_eq!(
            job_state(Some(&with("Failed", Some("BackoffLimitExceeded")))),
            JobState::Failed("BackoffLimitExceeded".to_owned())
        );
    }
}
