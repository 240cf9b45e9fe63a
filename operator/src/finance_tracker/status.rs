//! Status: the pure last step of a reconcile. From what the reconcile decided and what it
//! observed to the FinanceTracker's phase and its `Ready`, `Progressing` and `Degraded`
//! conditions, and to the events a person should see when those change.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{Deployment, StatefulSet};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{Condition, Time};
use kube::runtime::events::EventType;

use crate::crd::finance_tracker::{ComponentStatus, FinanceTrackerStatus, Phase};

pub const READY: &str = "Ready";
pub const PROGRESSING: &str = "Progressing";
pub const DEGRADED: &str = "Degraded";

/// Why the platform needs a person, as the Degraded condition's reason and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trouble {
    pub reason: &'static str,
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct StatusInput<'a> {
    pub generation: Option<i64>,
    /// Wanted and ready pods per component (by component name).
    pub components: BTreeMap<String, ComponentStatus>,
    /// What the rollout waits for (a migration, the database).
    pub waiting_for: Option<String>,
    pub trouble: Option<Trouble>,
    pub url: Option<String>,
    pub model_version: Option<String>,
    pub migrated_image: Option<String>,
    pub previous: Option<&'a FinanceTrackerStatus>,
    pub now: Time,
}

/// Pure: the new status. A condition keeps its `lastTransitionTime` while its status stays.
pub fn compute(input: &StatusInput<'_>) -> FinanceTrackerStatus {
    let not_ready: Vec<String> = input
        .components
        .iter()
        .filter(|(_, c)| !is_ready(**c))
        .map(|(name, c)| format!("{name} {}/{}", c.ready, c.desired))
        .collect();
    let all_ready = not_ready.is_empty() && input.waiting_for.is_none();
    // Ready says whether the platform serves, whatever else is wrong: an invalid spec
    // change leaves the running version up, and Degraded says what to fix.
    let ready = if all_ready {
        cond(
            READY,
            true,
            "AllComponentsReady",
            "every component is ready",
        )
    } else {
        cond(
            READY,
            false,
            "ComponentsNotReady",
            &waiting_message(input, &not_ready),
        )
    };
    let progressing = if all_ready {
        cond(PROGRESSING, false, "Stable", "nothing is rolling out")
    } else if input.trouble.is_some() {
        cond(
            PROGRESSING,
            false,
            "Blocked",
            "blocked until the Degraded condition clears",
        )
    } else {
        cond(
            PROGRESSING,
            true,
            "RollingOut",
            &waiting_message(input, &not_ready),
        )
    };
    let degraded = match &input.trouble {
        Some(t) => cond(DEGRADED, true, t.reason, &t.message),
        None => cond(DEGRADED, false, "AsExpected", "nothing needs attention"),
    };
    let previous = input
        .previous
        .map(|p| p.conditions.as_slice())
        .unwrap_or_default();
    let conditions = stamp(
        vec![ready, progressing, degraded],
        previous,
        input.generation,
        &input.now,
    );
    let phase = if input.trouble.is_some() {
        Phase::Degraded
    } else if all_ready {
        Phase::Ready
    } else {
        Phase::Progressing
    };
    let ready_count = input.components.values().filter(|c| is_ready(**c)).count();
    FinanceTrackerStatus {
        phase: Some(phase),
        conditions,
        observed_generation: input.generation,
        components: input.components.clone(),
        ready_components: Some(format!("{ready_count}/{}", input.components.len())),
        url: input.url.clone(),
        active_model_version: input.model_version.clone(),
        migrated_image: input.migrated_image.clone(),
    }
}

/// A condition's type, status, reason and message.
pub type Cond = (&'static str, bool, &'static str, String);

/// Pure: full conditions for `generation`. One keeps its `lastTransitionTime` while its
/// status stays as it was in `previous`.
pub fn stamp(
    conds: Vec<Cond>,
    previous: &[Condition],
    generation: Option<i64>,
    now: &Time,
) -> Vec<Condition> {
    conds
        .into_iter()
        .map(|(type_, status, reason, message)| {
            let status = if status { "True" } else { "False" }.to_owned();
            let last_transition_time = previous
                .iter()
                .find(|c| c.type_ == type_ && c.status == status)
                .map_or_else(|| now.clone(), |c| c.last_transition_time.clone());
            Condition {
                type_: type_.to_owned(),
                status,
                reason: reason.to_owned(),
                message,
                observed_generation: generation,
                last_transition_time,
            }
        })
        .collect()
}

pub fn cond(type_: &'static str, status: bool, reason: &'static str, message: &str) -> Cond {
    (type_, status, reason, message.to_owned())
}

fn waiting_message(input: &StatusInput<'_>, not_ready: &[String]) -> String {
    let mut parts = Vec::new();
    if let Some(waiting) = &input.waiting_for {
        parts.push(format!("waiting for {waiting}"));
    }
    if !not_ready.is_empty() {
        parts.push(format!("not ready yet: {}", not_ready.join(", ")));
    }
    parts.join("; ")
}

fn is_ready(c: ComponentStatus) -> bool {
    c.desired > 0 && c.ready >= c.desired
}

/// Pure: how many of a Deployment's pods are ready in its current version. Pods of an
/// older version do not count, so a rollout in progress is not Ready.
pub fn deployment_readiness(deployment: Option<&Deployment>, desired: i32) -> ComponentStatus {
    let ready = deployment.map_or(0, |d| {
        let current = d.metadata.generation.unwrap_or(0)
            <= d.status
                .as_ref()
                .and_then(|s| s.observed_generation)
                .unwrap_or(0);
        let status = d.status.clone().unwrap_or_default();
        let ready = status.ready_replicas.unwrap_or(0);
        if current {
            ready.min(status.updated_replicas.unwrap_or(0))
        } else {
            0
        }
    });
    ComponentStatus { ready, desired }
}

/// Pure: ready pods of a StatefulSet in its current revision.
pub fn stateful_set_readiness(set: Option<&StatefulSet>) -> ComponentStatus {
    let ready = set.map_or(0, |s| {
        let status = s.status.clone().unwrap_or_default();
        let current = s.metadata.generation.unwrap_or(0) <= status.observed_generation.unwrap_or(0);
        let revision_current =
            status.update_revision.is_none() || status.update_revision == status.current_revision;
        if current && revision_current {
            status.ready_replicas.unwrap_or(0)
        } else {
            0
        }
    });
    ComponentStatus { ready, desired: 1 }
}

/// A Kubernetes event worth a person's attention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub type_: EventType,
    pub reason: String,
    pub note: String,
}

/// Pure: the events that a change from `previous` to `next` calls for: becoming ready,
/// a new or changed trouble, and recovering from one. An unchanged status calls for none.
pub fn notices(
    previous: Option<&FinanceTrackerStatus>,
    next: &FinanceTrackerStatus,
) -> Vec<Notice> {
    let find = |status: Option<&FinanceTrackerStatus>, type_: &str| {
        status.and_then(|s| s.conditions.iter().find(|c| c.type_ == type_).cloned())
    };
    let mut notices = Vec::new();
    let (was_degraded, degraded) = (find(previous, DEGRADED), find(Some(next), DEGRADED));
    let is_true = |c: &Option<Condition>| c.as_ref().is_some_and(|c| c.status == "True");
    if let Some(d) = degraded.as_ref().filter(|_| is_true(&degraded)) {
        let same = was_degraded
            .as_ref()
            .is_some_and(|w| w.status == "True" && w.message == d.message);
        if !same {
            notices.push(Notice {
                type_: EventType::Warning,
                reason: d.reason.clone(),
                note: d.message.clone(),
            });
        }
    } else if is_true(&was_degraded) {
        notices.push(Notice {
            type_: EventType::Normal,
            reason: "Recovered".to_owned(),
            note: "the Degraded condition cleared".to_owned(),
        });
    }
    let (was_ready, ready) = (find(previous, READY), find(Some(next), READY));
    if is_true(&ready) && !is_true(&was_ready) {
        let at = next
            .url
            .as_deref()
            .map(|u| format!(" at {u}"))
            .unwrap_or_default();
        notices.push(Notice {
            type_: EventType::Normal,
            reason: "Ready".to_owned(),
            note: format!("every component is ready{at}"),
        });
    }
    notices
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::apps::v1::DeploymentStatus;
    use k8s_openapi::jiff::Timestamp;

    fn at(seconds: i64) -> Time {
        Time(Timestamp::from_second(seconds).expect("valid"))
    }

    fn input(components: &[(&str, i32, i32)]) -> StatusInput<'static> {
        StatusInput {
            generation: Some(3),
            components: components
                .iter()
                .map(|&(n, ready, desired)| (n.to_owned(), ComponentStatus { ready, desired }))
                .collect(),
            waiting_for: None,
            trouble: None,
            url: Some("https://money.example.com/".to_owned()),
            model_version: Some("m1".to_owned()),
            migrated_image: None,
            previous: None,
            now: at(1_000),
        }
    }

    fn condition<'a>(s: &'a FinanceTrackerStatus, type_: &str) -> &'a Condition {
        s.conditions
            .iter()
            .find(|c| c.type_ == type_)
            .expect("present")
    }

    #[test]
    fn every_component_ready_is_phase_ready_with_the_generation_it_describes() {
        let s = compute(&input(&[("api", 2, 2), ("web", 1, 1)]));
        assert_eq!(s.phase, Some(Phase::Ready));
        assert_eq!(s.ready_components.as_deref(), Some("2/2"));
        assert_eq!(condition(&s, READY).status, "True");
        assert_eq!(condition(&s, PROGRESSING).status, "False");
        assert_eq!(condition(&s, DEGRADED).status, "False");
        assert!(
            s.conditions
                .iter()
                .all(|c| c.observed_generation == Some(3))
        );
    }

    #[test]
    fn a_component_short_of_pods_or_a_pending_migration_is_progressing() {
        let s = compute(&input(&[("api", 1, 2), ("web", 1, 1)]));
        assert_eq!(s.phase, Some(Phase::Progressing));
        assert_eq!(condition(&s, PROGRESSING).status, "True");
        assert!(condition(&s, READY).message.contains("api 1/2"));

        let mut waiting = input(&[("web", 1, 1)]);
        waiting.waiting_for = Some("database migration Job j to complete".to_owned());
        let s = compute(&waiting);
        assert_eq!(s.phase, Some(Phase::Progressing));
        assert!(
            condition(&s, PROGRESSING)
                .message
                .contains("migration Job j")
        );
    }

    #[test]
    fn trouble_is_degraded_with_its_reason_and_message() {
        let mut i = input(&[("api", 0, 2)]);
        i.trouble = Some(Trouble {
            reason: "InvalidSpec",
            message: "spec.postgres.externalSecretRef: required".to_owned(),
        });
        let s = compute(&i);
        assert_eq!(s.phase, Some(Phase::Degraded));
        let d = condition(&s, DEGRADED);
        assert_eq!(
            (d.status.as_str(), d.reason.as_str()),
            ("True", "InvalidSpec")
        );
        assert!(d.message.contains("externalSecretRef"));
        assert_eq!(condition(&s, PROGRESSING).reason, "Blocked");
    }

    #[test]
    fn a_condition_keeps_its_transition_time_while_its_status_stays() {
        let first = compute(&input(&[("api", 2, 2)]));
        let mut again = input(&[("api", 2, 2)]);
        again.previous = Some(&first);
        again.now = at(2_000);
        let second = compute(&again);
        assert_eq!(
            second, first,
            "an unchanged platform gives an identical status"
        );

        let mut changed = input(&[("api", 1, 2)]);
        changed.previous = Some(&first);
        changed.now = at(3_000);
        let third = compute(&changed);
        assert_eq!(condition(&third, READY).last_transition_time, at(3_000));
        assert_eq!(condition(&third, DEGRADED).last_transition_time, at(1_000));
    }

    #[test]
    fn events_mark_becoming_ready_new_trouble_and_recovery_but_not_repeats() {
        let progressing = compute(&input(&[("api", 0, 2)]));
        let ready = compute(&input(&[("api", 2, 2)]));
        let mut t = input(&[("api", 2, 2)]);
        t.trouble = Some(Trouble {
            reason: "MigrationFailed",
            message: "job failed".to_owned(),
        });
        let troubled = compute(&t);

        let reasons = |from: Option<&FinanceTrackerStatus>, to: &FinanceTrackerStatus| {
            notices(from, to)
                .into_iter()
                .map(|n| n.reason)
                .collect::<Vec<_>>()
        };
        assert_eq!(reasons(Some(&progressing), &ready), ["Ready"]);
        assert_eq!(reasons(Some(&ready), &ready), Vec::<String>::new());
        assert_eq!(reasons(Some(&ready), &troubled), ["MigrationFailed"]);
        assert_eq!(reasons(Some(&troubled), &troubled), Vec::<String>::new());
        assert_eq!(reasons(Some(&troubled), &ready), ["Recovered"]);
    }

    #[test]
    fn only_pods_of_the_current_version_count_as_ready() {
        let mut d = Deployment::default();
        d.metadata.generation = Some(4);
        d.status = Some(DeploymentStatus {
            observed_generation: Some(4),
            ready_replicas: Some(2),
            updated_replicas: Some(1),
            ..DeploymentStatus::default()
        });
        assert_eq!(deployment_readiness(Some(&d), 2).ready, 1);
        d.status.as_mut().unwrap().observed_generation = Some(3);
        assert_eq!(deployment_readiness(Some(&d), 2).ready, 0);
        assert_eq!(
            deployment_readiness(None, 2),
            ComponentStatus {
                ready: 0,
                desired: 2
            }
        );
    }
}
