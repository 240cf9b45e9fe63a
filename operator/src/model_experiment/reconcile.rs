//! The reconcile of one ModelExperiment, the I/O shell around [`decide`]: read the
//! FinanceTracker, the other experiments and the candidate's workers; refuse what cannot
//! run (with a condition and an event, never a partial rollout); measure when an interval
//! has passed; decide; write the status. The experiment's status is all it writes: the
//! FinanceTracker's reconcile builds the candidate's workers and the routing from it
//! ([`super::variants`]).

use std::sync::Arc;
use std::time::Duration;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::jiff::Timestamp;
use kube::api::{Api, Patch, PatchParams};
use kube::runtime::controller::Action as Requeue;
use kube::runtime::events::EventType;
use kube::{Resource, ResourceExt};
use url::Url;

use super::analysis;
use super::decide::{self, Action, Approval, Decision, Inputs, Outcome, Phase, Progress};
use super::prometheus::Prometheus;
use super::variants;
use crate::controller::Context;
use crate::crd::model_experiment::{ApprovalWord, ExperimentPhase, Measurement};
use crate::crd::{FinanceTracker, ModelExperiment, ModelExperimentStatus};
use crate::error::ReconcileError;
use crate::finance_tracker::names::{Component, Names};
use crate::finance_tracker::reconcile::{list_experiments, publish_about, status_patch};
use crate::finance_tracker::status::{DEGRADED, PROGRESSING, cond, stamp};

/// How soon an experiment waiting on something outside it (its FinanceTracker, another
/// experiment, Prometheus' URL) looks again.
const RECHECK: Duration = Duration::from_secs(30);
/// How soon one waiting on its own workers (starting, or the serving ones rolling to a
/// promoted candidate) looks again.
const WORKERS: Duration = Duration::from_secs(3);
/// The longest a query may take.
const QUERY_TIMEOUT: Duration = Duration::from_secs(10);

/// Why an experiment cannot go on: the Degraded condition and the event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocked {
    pub reason: &'static str,
    pub message: String,
}

/// The candidate's workers, as their Deployment says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workers {
    Starting,
    Ready,
    /// The rollout gave up (the pods never became ready: the version is not in the
    /// image, or the image cannot be pulled).
    Broken,
}

/// Pure: the state of the candidate's Deployment.
pub fn workers(deployment: Option<&Deployment>) -> Workers {
    let Some(status) = deployment.and_then(|d| d.status.as_ref()) else {
        return Workers::Starting;
    };
    let gave_up = status.conditions.iter().flatten().any(|c| {
        c.type_ == "Progressing"
            && c.status == "False"
            && c.reason.as_deref() == Some("ProgressDeadlineExceeded")
    });
    if gave_up {
        Workers::Broken
    } else if crate::finance_tracker::status::deployment_readiness(deployment, 1).ready >= 1 {
        Workers::Ready
    } else {
        Workers::Starting
    }
}

/// Pure: whether the serving workers run `version` everywhere (a promotion is complete).
pub fn serving(deployment: Option<&Deployment>, version: &str) -> bool {
    let Some(d) = deployment else {
        return false;
    };
    let runs = d
        .spec
        .as_ref()
        .and_then(|s| s.template.spec.as_ref())
        .and_then(|p| p.containers.first())
        .and_then(|c| c.env.as_ref())
        .is_some_and(|env| {
            env.iter()
                .any(|e| e.name == "MODEL_VERSION" && e.value.as_deref() == Some(version))
        });
    let desired = d.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1);
    runs && crate::finance_tracker::status::deployment_readiness(Some(d), desired).ready >= desired
}

/// Pure: the decision's view of a status.
pub fn progress_of(status: &ModelExperimentStatus) -> Progress {
    let phase = match status.phase {
        None | Some(ExperimentPhase::Pending) => Phase::Pending,
        Some(ExperimentPhase::Progressing) => Phase::Progressing,
        Some(ExperimentPhase::Paused) => Phase::Paused,
        Some(ExperimentPhase::Promoting | ExperimentPhase::Promoted) => Phase::Promoted,
        Some(ExperimentPhase::RolledBack) => Phase::RolledBack,
        Some(ExperimentPhase::Failed) => Phase::Failed,
    };
    Progress {
        phase,
        weight: status.weight,
        failed_checks: status.failed_checks,
        inconclusive_checks: status.inconclusive_checks,
        generation: status.analysis_generation.unwrap_or(0),
        since: status
            .since
            .as_deref()
            .and_then(|s| s.parse::<Timestamp>().ok())
            .map_or(0, Timestamp::as_second),
    }
}

/// Pure: the status after `decision`; a promotion is `Promoting` until the serving workers
/// run the candidate.
pub fn status_after(
    previous: &ModelExperimentStatus,
    decision: &Decision,
    message: String,
) -> ModelExperimentStatus {
    let p = &decision.progress;
    let phase = match p.phase {
        Phase::Pending => ExperimentPhase::Pending,
        Phase::Progressing => ExperimentPhase::Progressing,
        Phase::Paused => ExperimentPhase::Paused,
        Phase::Promoted if previous.phase == Some(ExperimentPhase::Promoted) => {
            ExperimentPhase::Promoted
        }
        Phase::Promoted => ExperimentPhase::Promoting,
        Phase::RolledBack => ExperimentPhase::RolledBack,
        Phase::Failed => ExperimentPhase::Failed,
    };
    ModelExperimentStatus {
        phase: Some(phase),
        weight: p.weight,
        failed_checks: p.failed_checks,
        inconclusive_checks: p.inconclusive_checks,
        analysis_generation: Some(p.generation),
        since: Timestamp::from_second(p.since).ok().map(|t| t.to_string()),
        message: Some(message),
        ..previous.clone()
    }
}

/// Pure: what an action says in the status and events: (event reason, message).
pub fn describe(action: &Action, candidate: &str) -> (&'static str, String) {
    match action {
        Action::WaitUntil { .. } => ("Waiting", "waiting for the interval to pass".to_owned()),
        Action::Start { weight } => (
            "Started",
            format!("analysis started: {candidate} takes {weight}% of households"),
        ),
        Action::Hold { reason } => ("Holding", reason.clone()),
        Action::Step { weight } => (
            "Stepped",
            format!("every check passed: {candidate} takes {weight}% of households"),
        ),
        Action::Pause { reason } => ("Paused", reason.clone()),
        Action::Promote => (
            "Promoting",
            format!("every check passed at the last step: {candidate} becomes the serving model"),
        ),
        Action::RollBack { reason } => (
            "RolledBack",
            format!("{reason}: every household is back on the baseline"),
        ),
        Action::Fail { reason } => ("Failed", reason.clone()),
        Action::Done => ("Finished", "finished".to_owned()),
    }
}

/// What one reconcile saw of the experiment, worked out once for every step.
struct Seen {
    namespace: String,
    generation: i64,
    previous: ModelExperimentStatus,
    /// The spec changed since the analysis began: it starts again.
    spec_changed: bool,
    now: Timestamp,
}

pub async fn reconcile(
    me: Arc<ModelExperiment>,
    ctx: Arc<Context>,
) -> Result<Requeue, ReconcileError> {
    if me.metadata.deletion_timestamp.is_some() {
        return Ok(Requeue::await_change());
    }
    let generation = me.metadata.generation.unwrap_or(0);
    let previous = me.status.clone().unwrap_or_default();
    let seen = Seen {
        namespace: me.namespace().unwrap_or_default(),
        generation,
        spec_changed: previous
            .analysis_generation
            .is_some_and(|g| g != generation),
        previous,
        now: Timestamp::now(),
    };
    let (namespace, previous) = (&seen.namespace, &seen.previous);
    // A finished experiment needs nothing from its FinanceTracker until its spec changes.
    if previous.phase.is_some_and(|p| !p.running()) {
        if !seen.spec_changed {
            return write(&ctx, &me, previous, previous.clone(), None).await;
        }
        // A changed spec starts a new analysis: back in line for the FinanceTracker.
        let restarted = ModelExperimentStatus {
            phase: Some(ExperimentPhase::Pending),
            analysis_generation: Some(generation),
            message: Some("the spec changed: a new analysis starts".to_owned()),
            ..ModelExperimentStatus::default()
        };
        write(&ctx, &me, previous, restarted, None).await?;
        return Ok(Requeue::requeue(Duration::from_secs(1)));
    }

    let fts: Api<FinanceTracker> = Api::namespaced(ctx.client.clone(), namespace);
    let target = &me.spec.finance_tracker;
    let Some(ft) = fts
        .get_opt(target)
        .await
        .map_err(|e| ReconcileError::kube("read FinanceTracker", e))?
    else {
        let message = format!("FinanceTracker {target} does not exist in namespace {namespace}");
        return block(&ctx, &me, previous, "FinanceTrackerMissing", message).await;
    };
    let all = list_experiments(&ctx, namespace).await?;
    let holder = variants::holder(&ft, &all).map(ResourceExt::name_any);
    if holder.as_deref() != Some(me.name_any().as_str()) {
        let message = format!(
            "ModelExperiment {} already runs on FinanceTracker {target}: this one waits until it finishes",
            holder.unwrap_or_default()
        );
        return block(&ctx, &me, previous, "AnotherExperimentRuns", message).await;
    }
    let checks = match analysis::checks(&me.spec, namespace) {
        Ok(checks) => checks,
        Err(message) => return fail(&ctx, &me, &seen, message).await,
    };
    let Some(url) = ft.spec.monitoring.prometheus_url.as_deref() else {
        let message = format!(
            "FinanceTracker {target} has no spec.monitoring.prometheusUrl: the analysis has nowhere to measure"
        );
        return block(&ctx, &me, previous, "NoPrometheus", message).await;
    };
    let Ok(url) = Url::parse(url) else {
        let message = format!("FinanceTracker {target}'s prometheusUrl {url} is not a URL");
        return block(&ctx, &me, previous, "NoPrometheus", message).await;
    };
    let prometheus = Prometheus::new(url, QUERY_TIMEOUT);
    advance(&ctx, &me, &seen, &ft, &all, &checks, &prometheus).await
}

/// Reads a Deployment of `ft`'s, if it exists.
async fn deployment(
    ctx: &Context,
    ft: &FinanceTracker,
    component: Component,
) -> Result<Option<Deployment>, ReconcileError> {
    let names = Names::new(ft);
    let api: Api<Deployment> = Api::namespaced(ctx.client.clone(), &names.namespace);
    api.get_opt(&names.of(component))
        .await
        .map_err(|e| ReconcileError::kube("read Deployment", e))
}

/// An admitted experiment with a usable spec: start it, judge it, or finish a promotion.
async fn advance(
    ctx: &Context,
    me: &ModelExperiment,
    seen: &Seen,
    ft: &FinanceTracker,
    all: &[Arc<ModelExperiment>],
    checks: &[analysis::Check],
    prometheus: &Prometheus,
) -> Result<Requeue, ReconcileError> {
    let (previous, spec_changed) = (&seen.previous, seen.spec_changed);
    let phase = previous.phase;
    if phase.is_none() || phase == Some(ExperimentPhase::Pending) {
        let serving = variants::variants(ft, all).serving.version;
        if serving != me.spec.baseline.version {
            let message = format!(
                "the baseline {} is not what FinanceTracker {} serves ({serving})",
                me.spec.baseline.version, me.spec.finance_tracker
            );
            return block(ctx, me, previous, "BaselineNotServing", message).await;
        }
        if phase.is_none() {
            // Admitted: the candidate's workers start, with no traffic yet.
            let admitted = ModelExperimentStatus {
                phase: Some(ExperimentPhase::Pending),
                analysis_generation: Some(seen.generation),
                message: Some("starting the candidate's workers".to_owned()),
                ..ModelExperimentStatus::default()
            };
            write(ctx, me, previous, admitted, Some("Admitted")).await?;
            return Ok(Requeue::requeue(WORKERS));
        }
    }
    if phase == Some(ExperimentPhase::Promoting) && !spec_changed {
        return finish_promotion(ctx, me, ft, previous).await;
    }
    let state = workers(deployment(ctx, ft, Component::MlCandidate).await?.as_ref());
    let pending = phase == Some(ExperimentPhase::Pending);
    if pending && state == Workers::Starting {
        let waiting = ModelExperimentStatus {
            message: Some("waiting for the candidate's workers to be ready".to_owned()),
            ..previous.clone()
        };
        write(ctx, me, previous, waiting, None).await?;
        return Ok(Requeue::requeue(WORKERS));
    }
    if (pending || spec_changed)
        && state == Workers::Ready
        && let Err(message) = analysis::preflight(prometheus, checks).await
    {
        return fail(ctx, me, seen, message).await;
    }
    judge(ctx, me, seen, checks, prometheus, state).await
}

/// Once the serving workers run the candidate, the promotion is complete.
async fn finish_promotion(
    ctx: &Context,
    me: &ModelExperiment,
    ft: &FinanceTracker,
    previous: &ModelExperimentStatus,
) -> Result<Requeue, ReconcileError> {
    let live = deployment(ctx, ft, Component::MlWorker).await?;
    if !serving(live.as_ref(), &me.spec.candidate.version) {
        return Ok(Requeue::requeue(WORKERS));
    }
    let promoted = ModelExperimentStatus {
        phase: Some(ExperimentPhase::Promoted),
        message: Some(format!(
            "promoted: FinanceTracker {} serves {} (set its spec.mlWorker.modelVersion to that to keep it once this experiment is deleted)",
            me.spec.finance_tracker, me.spec.candidate.version
        )),
        ..previous.clone()
    };
    count_outcome(ctx, me, "promoted");
    write(ctx, me, previous, promoted, Some("Promoted")).await?;
    Ok(Requeue::requeue(crate::finance_tracker::reconcile::RESYNC))
}

/// Measures when an interval has passed, decides, and writes what was decided.
async fn judge(
    ctx: &Context,
    me: &ModelExperiment,
    seen: &Seen,
    checks: &[analysis::Check],
    prometheus: &Prometheus,
    state: Workers,
) -> Result<Requeue, ReconcileError> {
    let Seen {
        namespace,
        generation,
        previous,
        spec_changed,
        now,
    } = seen;
    let (generation, now) = (*generation, *now);
    let pending = previous.phase == Some(ExperimentPhase::Pending);
    let progress = progress_of(previous);
    let due = progress.since + i64::from(me.spec.analysis.interval_seconds) <= now.as_second();
    let judging = !pending && !spec_changed && due && state != Workers::Broken;
    let measured = if judging {
        analysis::measure(
            prometheus,
            checks,
            me.spec.analysis.min_samples,
            &now.to_string(),
        )
        .await
    } else {
        Vec::new()
    };
    let outcomes: Vec<Outcome> = measured.iter().map(|(_, o)| *o).collect();
    let decision = decide::decide(
        &me.spec.policy(),
        &progress,
        &Inputs {
            generation,
            approval: me.spec.approval.map(|a| match a {
                ApprovalWord::Promote => Approval::Promote,
                ApprovalWord::Abort => Approval::Abort,
            }),
            candidate_exists: state != Workers::Broken,
            measurements: &outcomes,
            now: now.as_second(),
        },
    );
    let (reason, message) = describe(&decision.action, &me.spec.candidate.version);
    let mut next = status_after(previous, &decision, message);
    if judging {
        record(ctx, me, namespace, &measured, &mut next);
    }
    let event = match decision.action {
        Action::WaitUntil { .. } | Action::Done => None,
        _ => Some(reason),
    };
    if let Some(outcome) = match next.phase {
        Some(ExperimentPhase::RolledBack) => Some("rolled_back"),
        Some(ExperimentPhase::Failed) => Some("failed"),
        _ => None,
    } && previous.phase != next.phase
    {
        count_outcome(ctx, me, outcome);
    }
    write(ctx, me, previous, next, event).await?;
    let interval = Duration::from_secs(u64::from(me.spec.analysis.interval_seconds));
    Ok(match decision.action {
        Action::WaitUntil { at } => Requeue::requeue(Duration::from_secs(
            u64::try_from(at - now.as_second()).unwrap_or(1).max(1),
        )),
        Action::Promote => Requeue::requeue(WORKERS),
        Action::Done | Action::RollBack { .. } | Action::Fail { .. } => {
            Requeue::requeue(crate::finance_tracker::reconcile::RESYNC)
        }
        _ => Requeue::requeue(interval),
    })
}

/// Counts how an experiment ended (`financetracker_operator_experiment_outcomes_total`).
fn count_outcome(ctx: &Context, me: &ModelExperiment, outcome: &str) {
    ctx.metrics
        .experiment
        .outcomes
        .with_label_values(&[&me.namespace().unwrap_or_default(), &me.name_any(), outcome])
        .inc();
}

/// Puts this interval's measurements into the status and the metrics.
fn record(
    ctx: &Context,
    me: &ModelExperiment,
    namespace: &str,
    measured: &[(Measurement, Outcome)],
    next: &mut ModelExperimentStatus,
) {
    let name = me.name_any();
    let m = &ctx.metrics.experiment;
    let result = if measured.iter().any(|(_, o)| *o == Outcome::Fail) {
        "fail"
    } else if measured.iter().any(|(_, o)| *o == Outcome::Error) {
        "inconclusive"
    } else if measured.iter().any(|(_, o)| *o == Outcome::NoData) || measured.is_empty() {
        "no_data"
    } else {
        "pass"
    };
    m.checks
        .with_label_values(&[namespace, &name, result])
        .inc();
    for (measurement, _) in measured {
        for (variant, value) in [
            ("candidate", measurement.value),
            ("baseline", measurement.baseline_value),
        ] {
            if let Some(value) = value {
                m.measurement
                    .with_label_values(&[namespace, &name, &measurement.metric, variant])
                    .set(value);
            }
        }
        if measurement.metric == "accuracy" {
            let show = |v: Option<f64>| v.map(|v| format!("{v:.3}"));
            next.candidate_accuracy = show(measurement.value);
            next.baseline_accuracy = show(measurement.baseline_value);
        }
    }
    next.measurements = measured.iter().map(|(m, _)| m.clone()).collect();
}

/// Waits, its phase unchanged, with a Degraded condition saying why.
async fn block(
    ctx: &Context,
    me: &ModelExperiment,
    previous: &ModelExperimentStatus,
    reason: &'static str,
    message: String,
) -> Result<Requeue, ReconcileError> {
    // The phase stays: one never admitted gets no workers until what blocks it is gone.
    let next = ModelExperimentStatus {
        message: Some(message.clone()),
        ..previous.clone()
    };
    let mut blocked = next;
    blocked.conditions = conditions(
        me,
        &blocked,
        Some(&Blocked { reason, message }),
        &previous.conditions,
    );
    write_raw(ctx, me, previous, blocked, Some(reason), EventType::Warning).await?;
    Ok(Requeue::requeue(RECHECK))
}

/// Refuses the experiment for good (until its spec changes), before any traffic moves.
async fn fail(
    ctx: &Context,
    me: &ModelExperiment,
    seen: &Seen,
    message: String,
) -> Result<Requeue, ReconcileError> {
    let previous = &seen.previous;
    let next = ModelExperimentStatus {
        phase: Some(ExperimentPhase::Failed),
        weight: 0,
        analysis_generation: Some(seen.generation),
        since: Some(seen.now.to_string()),
        message: Some(message),
        ..previous.clone()
    };
    if previous.phase != Some(ExperimentPhase::Failed) {
        count_outcome(ctx, me, "failed");
    }
    write(ctx, me, previous, next, Some("Failed")).await?;
    Ok(Requeue::requeue(crate::finance_tracker::reconcile::RESYNC))
}

/// Pure: the conditions of `status`: `Progressing` while the candidate runs, `Degraded`
/// while something needs a person (blocked, failed, paused, rolled back).
pub fn conditions(
    me: &ModelExperiment,
    status: &ModelExperimentStatus,
    blocked: Option<&Blocked>,
    previous: &[k8s_openapi::apimachinery::pkg::apis::meta::v1::Condition],
) -> Vec<k8s_openapi::apimachinery::pkg::apis::meta::v1::Condition> {
    let message = status.message.clone().unwrap_or_default();
    let phase = status.phase.unwrap_or(ExperimentPhase::Pending);
    let progressing = if blocked.is_some() {
        cond(
            PROGRESSING,
            false,
            "Blocked",
            "blocked until Degraded clears",
        )
    } else if phase.running() {
        cond(PROGRESSING, true, "Analysing", &message)
    } else {
        cond(PROGRESSING, false, "Finished", &message)
    };
    let degraded = match (blocked, phase) {
        (Some(b), _) => cond(DEGRADED, true, b.reason, &b.message),
        (None, ExperimentPhase::Failed) => cond(DEGRADED, true, "Failed", &message),
        (None, ExperimentPhase::RolledBack) => cond(DEGRADED, true, "RolledBack", &message),
        (None, ExperimentPhase::Paused) => cond(DEGRADED, true, "Paused", &message),
        (None, _) => cond(DEGRADED, false, "AsExpected", "nothing needs attention"),
    };
    stamp(
        vec![progressing, degraded],
        previous,
        me.metadata.generation,
        &Time(Timestamp::now()),
    )
}

/// Writes `next` (conditions and observed generation filled in) when it differs, with a
/// Normal event named `event`, or Warning for a rollback or failure.
async fn write(
    ctx: &Context,
    me: &ModelExperiment,
    previous: &ModelExperimentStatus,
    mut next: ModelExperimentStatus,
    event: Option<&str>,
) -> Result<Requeue, ReconcileError> {
    next.conditions = conditions(me, &next, None, &previous.conditions);
    let type_ = match next.phase {
        Some(ExperimentPhase::RolledBack | ExperimentPhase::Failed | ExperimentPhase::Paused) => {
            EventType::Warning
        }
        _ => EventType::Normal,
    };
    write_raw(ctx, me, previous, next, event, type_).await?;
    Ok(Requeue::await_change())
}

async fn write_raw(
    ctx: &Context,
    me: &ModelExperiment,
    previous: &ModelExperimentStatus,
    mut next: ModelExperimentStatus,
    event: Option<&str>,
    type_: EventType,
) -> Result<(), ReconcileError> {
    next.observed_generation = me.metadata.generation;
    let namespace = me.namespace().unwrap_or_default();
    let name = me.name_any();
    let m = &ctx.metrics.experiment;
    m.weight
        .with_label_values(&[&namespace, &name])
        .set(i64::from(next.weight));
    m.inconclusive
        .with_label_values(&[&namespace, &name])
        .set(i64::from(next.inconclusive_checks));
    if me.status.as_ref() == Some(&next) {
        return Ok(());
    }
    let api: Api<ModelExperiment> = Api::namespaced(ctx.client.clone(), &namespace);
    api.patch_status(
        &name,
        &PatchParams::default(),
        &Patch::Merge(status_patch(me.status.as_ref(), &next)),
    )
    .await
    .map_err(|e| ReconcileError::kube("write ModelExperiment status", e))?;
    let changed = previous.message != next.message || previous.phase != next.phase;
    if let (Some(reason), true) = (event, changed) {
        let note = next.message.clone().unwrap_or_default();
        publish_about(ctx, &me.object_ref(&()), type_, reason, note).await;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::apps::v1::{DeploymentCondition, DeploymentSpec, DeploymentStatus};
    use k8s_openapi::api::core::v1::{Container, EnvVar, PodSpec, PodTemplateSpec};

    use super::*;

    fn deployment(version: &str, ready: i32, gave_up: bool) -> Deployment {
        Deployment {
            metadata: kube::core::ObjectMeta {
                generation: Some(2),
                ..Default::default()
            },
            spec: Some(DeploymentSpec {
                replicas: Some(2),
                template: PodTemplateSpec {
                    metadata: None,
                    spec: Some(PodSpec {
                        containers: vec![Container {
                            env: Some(vec![EnvVar {
                                name: "MODEL_VERSION".to_owned(),
                                value: Some(version.to_owned()),
                                value_from: None,
                            }]),
                            ..Container::default()
                        }],
                        ..PodSpec::default()
                    }),
                },
                ..DeploymentSpec::default()
            }),
            status: Some(DeploymentStatus {
                observed_generation: Some(2),
                ready_replicas: Some(ready),
                updated_replicas: Some(ready),
                conditions: gave_up.then(|| {
                    vec![DeploymentCondition {
                        type_: "Progressing".to_owned(),
                        status: "False".to_owned(),
                        reason: Some("ProgressDeadlineExceeded".to_owned()),
                        ..DeploymentCondition::default()
                    }]
                }),
                ..DeploymentStatus::default()
            }),
        }
    }

    #[test]
    fn the_candidates_workers_start_are_ready_or_gave_up() {
        assert_eq!(workers(None), Workers::Starting);
        assert_eq!(workers(Some(&deployment("v", 0, false))), Workers::Starting);
        assert_eq!(workers(Some(&deployment("v", 1, false))), Workers::Ready);
        assert_eq!(
            workers(Some(&deployment("v", 0, true))),
            Workers::Broken,
            "never ready: the version is not in the image"
        );
    }

    #[test]
    fn a_promotion_is_complete_once_every_serving_pod_runs_the_candidate() {
        assert!(serving(Some(&deployment("int8", 2, false)), "int8"));
        assert!(
            !serving(Some(&deployment("int8", 1, false)), "int8"),
            "half rolled"
        );
        assert!(!serving(Some(&deployment("fp32", 2, false)), "int8"));
        assert!(!serving(None, "int8"));
    }

    #[test]
    fn a_status_round_trips_through_the_decisions_view() {
        let status = ModelExperimentStatus {
            phase: Some(ExperimentPhase::Paused),
            weight: 50,
            failed_checks: 1,
            inconclusive_checks: 3,
            analysis_generation: Some(4),
            since: Some("2027-01-15T08:00:00Z".to_owned()),
            ..ModelExperimentStatus::default()
        };
        let progress = progress_of(&status);
        assert_eq!(progress.phase, Phase::Paused);
        assert_eq!(
            (
                progress.weight,
                progress.failed_checks,
                progress.inconclusive_checks
            ),
            (50, 1, 3)
        );
        assert_eq!(progress.generation, 4);
        let decision = Decision {
            action: Action::Hold {
                reason: "r".to_owned(),
            },
            progress: progress.clone(),
        };
        let back = status_after(&status, &decision, "r".to_owned());
        assert_eq!(back.since, status.since);
        assert_eq!(back.phase, status.phase);
        // The decision's Promoted is Promoting until the serving workers run it.
        let promote = Decision {
            action: Action::Promote,
            progress: Progress {
                phase: Phase::Promoted,
                ..progress
            },
        };
        assert_eq!(
            status_after(&status, &promote, String::new()).phase,
            Some(ExperimentPhase::Promoting)
        );
        let promoting = ModelExperimentStatus {
            phase: Some(ExperimentPhase::Promoted),
            ..status
        };
        assert_eq!(
            status_after(&promoting, &promote, String::new()).phase,
            Some(ExperimentPhase::Promoted)
        );
    }
}
