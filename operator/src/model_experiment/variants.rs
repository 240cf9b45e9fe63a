//! Pure: which model versions a FinanceTracker runs, from its spec and the ModelExperiments
//! that name it. The FinanceTracker's reconcile builds its ML workers and routing from this;
//! the experiment's reconcile only writes the experiment's status.
//!
//! Which object holds the truth: the FinanceTracker's `spec.mlWorker.modelVersion` says
//! what it serves, advanced by each promoted experiment whose baseline is the version served
//! at that point (oldest first). The operator never writes the user's spec, so a GitOps
//! tool never fights it; committing the candidate to the spec makes the experiment moot.

use std::sync::Arc;

use kube::ResourceExt;

use crate::crd::finance_tracker::FinanceTracker;
use crate::crd::model_experiment::{ExperimentPhase, ModelExperiment};

/// The model the FinanceTracker's own ML worker Deployment serves.
#[derive(Debug, Clone, PartialEq)]
pub struct Serving {
    pub version: String,
    /// A promoted candidate's own image; `None`: the FinanceTracker's worker image.
    pub image: Option<String>,
    /// The accuracy last measured before its promotion, when it was promoted (the floor
    /// of the accuracy alert).
    pub accuracy: Option<f64>,
}

/// The candidate running beside it during an experiment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The experiment's name (part of the routing hash).
    pub experiment: String,
    pub version: String,
    pub image: Option<String>,
    /// Percent of households sent to it.
    pub weight: u8,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Variants {
    pub serving: Serving,
    pub candidate: Option<Candidate>,
}

fn targets(ft: &FinanceTracker, me: &ModelExperiment) -> bool {
    me.namespace() == ft.namespace()
        && me.spec.finance_tracker == ft.name_any()
        && me.metadata.deletion_timestamp.is_none()
}

fn phase(me: &ModelExperiment) -> Option<ExperimentPhase> {
    me.status.as_ref().and_then(|s| s.phase)
}

/// `ft`'s experiments, oldest first (by creation, then name): the order they are admitted
/// and applied in.
fn experiments_of<'a>(
    ft: &FinanceTracker,
    experiments: &'a [Arc<ModelExperiment>],
) -> Vec<&'a ModelExperiment> {
    let mut mine: Vec<&ModelExperiment> = experiments
        .iter()
        .map(AsRef::as_ref)
        .filter(|me| targets(ft, me))
        .collect();
    mine.sort_by(|a, b| {
        (a.creation_timestamp(), a.name_any()).cmp(&(b.creation_timestamp(), b.name_any()))
    });
    mine
}

/// The experiment that may run on `ft` now: one already running, else the oldest that has
/// not finished. Others wait for it.
pub fn holder<'a>(
    ft: &FinanceTracker,
    experiments: &'a [Arc<ModelExperiment>],
) -> Option<&'a ModelExperiment> {
    holder_among(&experiments_of(ft, experiments))
}

fn holder_among<'a>(mine: &[&'a ModelExperiment]) -> Option<&'a ModelExperiment> {
    let running = mine
        .iter()
        .copied()
        .find(|me| phase(me).is_some_and(|p| p.running() && p != ExperimentPhase::Pending));
    if let Some(me) = running {
        return Some(me);
    }
    mine.iter()
        .copied()
        .find(|me| phase(me).is_none_or(|p| p == ExperimentPhase::Pending))
}

/// What `ft` runs, given every ModelExperiment in its namespace.
pub fn variants(ft: &FinanceTracker, experiments: &[Arc<ModelExperiment>]) -> Variants {
    let mut serving = Serving {
        version: ft.spec.ml_worker.model_version.clone(),
        image: None,
        accuracy: None,
    };
    let mine = experiments_of(ft, experiments);
    for me in &mine {
        let promoted = matches!(
            phase(me),
            Some(ExperimentPhase::Promoting | ExperimentPhase::Promoted)
        );
        if promoted && me.spec.baseline.version == serving.version {
            serving = Serving {
                version: me.spec.candidate.version.clone(),
                image: me.spec.candidate.image.clone(),
                accuracy: me.status.as_ref().and_then(|s| {
                    s.measurements
                        .iter()
                        .find(|m| m.metric == "accuracy")
                        .and_then(|m| m.value)
                }),
            };
        }
    }
    let candidate = holder_among(&mine)
        .filter(|me| phase(me).is_some_and(ExperimentPhase::running))
        .map(|me| {
            let status = me.status.as_ref();
            let promoting = phase(me) == Some(ExperimentPhase::Promoting);
            Candidate {
                experiment: me.name_any(),
                version: me.spec.candidate.version.clone(),
                image: me.spec.candidate.image.clone(),
                // While the own workers roll to the candidate, its workers take everything.
                weight: if promoting {
                    100
                } else {
                    status.map_or(0, |s| s.weight.min(100))
                },
            }
        });
    Variants { serving, candidate }
}

#[cfg(test)]
mod tests {
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
    use k8s_openapi::jiff::Timestamp;

    use super::*;
    use crate::crd::FinanceTrackerSpec;
    use crate::crd::model_experiment::{
        AnalysisSpec, CandidateSpec, ModelExperimentSpec, ModelExperimentStatus, PromotionMode,
        VariantSpec,
    };

    fn ft(version: &str) -> FinanceTracker {
        let mut spec = FinanceTrackerSpec::default();
        spec.ml_worker.model_version = version.to_owned();
        FinanceTracker::stored("home", spec)
    }

    fn me(
        name: &str,
        age: i64,
        (baseline, candidate): (&str, &str),
        phase: Option<ExperimentPhase>,
        weight: u8,
    ) -> Arc<ModelExperiment> {
        let mut me = ModelExperiment::new(
            name,
            ModelExperimentSpec {
                finance_tracker: "home".to_owned(),
                baseline: VariantSpec {
                    version: baseline.to_owned(),
                },
                candidate: CandidateSpec {
                    version: candidate.to_owned(),
                    image: None,
                },
                analysis: AnalysisSpec::default(),
                metrics: Vec::new(),
                promotion: PromotionMode::Auto,
                approval: None,
            },
        );
        me.metadata.namespace = Some("money".to_owned());
        me.metadata.creation_timestamp = Some(Time(
            Timestamp::from_second(1_800_000_000 + age).expect("valid"),
        ));
        me.status = Some(ModelExperimentStatus {
            phase,
            weight,
            ..ModelExperimentStatus::default()
        });
        Arc::new(me)
    }

    #[test]
    fn without_experiments_the_spec_version_serves_alone() {
        let v = variants(&ft("fp32"), &[]);
        assert_eq!(v.serving.version, "fp32");
        assert_eq!(v.candidate, None);
    }

    #[test]
    fn a_running_experiment_adds_its_candidate_at_its_weight() {
        let all = [me(
            "try",
            0,
            ("fp32", "int8"),
            Some(ExperimentPhase::Progressing),
            20,
        )];
        let v = variants(&ft("fp32"), &all);
        assert_eq!(v.serving.version, "fp32");
        let candidate = v.candidate.expect("running");
        assert_eq!((candidate.version.as_str(), candidate.weight), ("int8", 20));
        let pending = [me(
            "try",
            0,
            ("fp32", "int8"),
            Some(ExperimentPhase::Pending),
            0,
        )];
        assert_eq!(
            variants(&ft("fp32"), &pending).candidate.map(|c| c.weight),
            Some(0),
            "pending: its workers start before any traffic"
        );
        let new = [me("try", 0, ("fp32", "int8"), None, 0)];
        assert_eq!(
            variants(&ft("fp32"), &new).candidate,
            None,
            "not admitted yet"
        );
    }

    #[test]
    fn promotion_serves_the_candidate_until_the_spec_moves_on() {
        let promoting = [me(
            "try",
            0,
            ("fp32", "int8"),
            Some(ExperimentPhase::Promoting),
            100,
        )];
        let v = variants(&ft("fp32"), &promoting);
        assert_eq!(v.serving.version, "int8");
        assert_eq!(v.candidate.map(|c| c.weight), Some(100));
        let promoted = [me(
            "try",
            0,
            ("fp32", "int8"),
            Some(ExperimentPhase::Promoted),
            100,
        )];
        let v = variants(&ft("fp32"), &promoted);
        assert_eq!((v.serving.version.as_str(), v.candidate), ("int8", None));
        // The user committed another version: their spec holds.
        assert_eq!(variants(&ft("v3"), &promoted).serving.version, "v3");
        // Promotions chain, oldest first.
        let chain = [
            me(
                "second",
                5,
                ("int8", "v4"),
                Some(ExperimentPhase::Promoted),
                100,
            ),
            promoted[0].clone(),
        ];
        assert_eq!(variants(&ft("fp32"), &chain).serving.version, "v4");
        let rolled_back = [me(
            "try",
            0,
            ("fp32", "int8"),
            Some(ExperimentPhase::RolledBack),
            0,
        )];
        let v = variants(&ft("fp32"), &rolled_back);
        assert_eq!((v.serving.version.as_str(), v.candidate), ("fp32", None));
    }

    #[test]
    fn one_experiment_holds_a_finance_tracker_at_a_time() {
        let first = me("first", 0, ("fp32", "int8"), None, 0);
        let second = me("second", 1, ("fp32", "other"), None, 0);
        let home = ft("fp32");
        let both = [second.clone(), first.clone()];
        assert_eq!(
            holder(&home, &both).map(ResourceExt::name_any).as_deref(),
            Some("first")
        );
        // A running one holds it even if younger.
        let running = me(
            "second",
            1,
            ("fp32", "other"),
            Some(ExperimentPhase::Paused),
            10,
        );
        assert_eq!(
            holder(&home, &[first.clone(), running.clone()])
                .map(ResourceExt::name_any)
                .as_deref(),
            Some("second")
        );
        // A finished one frees it.
        let done = me(
            "first",
            0,
            ("fp32", "int8"),
            Some(ExperimentPhase::Failed),
            0,
        );
        assert_eq!(
            holder(&home, &[done, second])
                .map(ResourceExt::name_any)
                .as_deref(),
            Some("second")
        );
        let mut elsewhere = (*first).clone();
        elsewhere.metadata.namespace = Some("other".to_owned());
        assert!(holder(&home, &[Arc::new(elsewhere)]).is_none());
    }
}
