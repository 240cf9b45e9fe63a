//! The `ModelExperiment` resource: a candidate model version reaches a FinanceTracker's
//! households step by step, judged by Prometheus measurements against the baseline, and is
//! promoted or rolled back. The field docs are what `kubectl explain modelexperiment.spec`
//! shows; the schema and CEL rules refuse what they can at admission.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Condition;
use kube::{CustomResource, KubeSchema};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model_experiment::decide::{self, NoData, Policy};

/// A candidate model version tried on a share of a FinanceTracker's households against its
/// serving (baseline) version, promoted or rolled back by what Prometheus measures.
#[allow(clippy::duplicated_attributes)] // every print column names its type
#[derive(CustomResource, KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[kube(
    group = "finance.financetracker.dev",
    version = "v1alpha1",
    kind = "ModelExperiment",
    plural = "modelexperiments",
    shortname = "mexp",
    category = "financetracker",
    namespaced,
    status = "ModelExperimentStatus",
    derive = "PartialEq",
    derive = "Default",
    doc = "A candidate model version tried on a share of a FinanceTracker's households against the baseline, promoted or rolled back by Prometheus measurements.",
    printcolumn(name = "Target", type_ = "string", json_path = ".spec.financeTracker"),
    printcolumn(
        name = "Candidate",
        type_ = "string",
        json_path = ".spec.candidate.version"
    ),
    printcolumn(name = "Phase", type_ = "string", json_path = ".status.phase"),
    printcolumn(
        name = "Weight",
        type_ = "integer",
        json_path = ".status.weight",
        description = "percent of households on the candidate"
    ),
    printcolumn(
        name = "Candidate-Acc",
        type_ = "string",
        json_path = ".status.candidateAccuracy",
        description = "the candidate's last measured accuracy"
    ),
    printcolumn(
        name = "Baseline-Acc",
        type_ = "string",
        json_path = ".status.baselineAccuracy",
        description = "the baseline's last measured accuracy"
    ),
    printcolumn(
        name = "Age",
        type_ = "date",
        json_path = ".metadata.creationTimestamp"
    )
)]
#[x_kube(validation = Rule::new("self.candidate.version != self.baseline.version").message("candidate.version: must differ from baseline.version"))]
#[serde(rename_all = "camelCase")]
pub struct ModelExperimentSpec {
    /// The FinanceTracker (in this namespace) whose households take part. One experiment
    /// at a time runs per FinanceTracker; a second waits with a condition saying why.
    #[schemars(length(min = 1, max = 63))]
    pub finance_tracker: String,
    /// The version serving now: the FinanceTracker's `spec.mlWorker.modelVersion`.
    pub baseline: VariantSpec,
    /// The version tried.
    pub candidate: CandidateSpec,
    /// How often it is judged and how the candidate's share grows.
    #[serde(default)]
    pub analysis: AnalysisSpec,
    /// What is measured, for both versions, each interval. Empty: `accuracy` no lower than
    /// the baseline's minus 0.01.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 10))]
    pub metrics: Vec<MetricSpec>,
    /// `Auto`: promoted once every check passes at the last step. `Manual`: it pauses there
    /// until `approval` says Promote.
    #[serde(default)]
    pub promotion: PromotionMode,
    /// A person's word: `Promote` (at the last step, once every check passes) or `Abort`
    /// (roll back now, at any step).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<ApprovalWord>,
}

#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct VariantSpec {
    /// A folder name under the worker image's `/models`, e.g. `minilm-l6-v2-fp32`.
    #[schemars(
        length(min = 1, max = 63),
        regex(pattern = r"^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$")
    )]
    pub version: String,
}

#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct CandidateSpec {
    /// A folder name under the worker image's `/models`, e.g. `minilm-l6-v2-int8`.
    #[schemars(
        length(min = 1, max = 63),
        regex(pattern = r"^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$")
    )]
    pub version: String,
    /// Another ML worker image that carries the version (whole reference, e.g.
    /// `registry.example.com/ml-worker:0.2.0`). Unset: the FinanceTracker's worker image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 255))]
    pub image: Option<String>,
}

#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
#[x_kube(validation = Rule::new("!has(self.steps) || self.steps.isSorted()").message("analysis.steps: weights must ascend"))]
#[x_kube(validation = Rule::new("!has(self.steps) || !has(self.maxWeight) || self.steps.all(w, w <= self.maxWeight)").message("analysis.steps: no step above maxWeight"))]
pub struct AnalysisSpec {
    /// Seconds between judgements; each measurement covers that window.
    #[serde(default = "default_interval")]
    #[schemars(range(min = 1, max = 86_400))]
    pub interval_seconds: u32,
    /// The candidate's share grows by this many percent each interval every check passes.
    #[serde(default = "default_step_weight")]
    #[schemars(range(min = 1, max = 100))]
    pub step_weight: u8,
    /// The share at which promotion is decided (percent).
    #[serde(default = "default_max_weight")]
    #[schemars(range(min = 1, max = 100))]
    pub max_weight: u8,
    /// Explicit shares instead of `stepWeight`, ascending, e.g. [5, 20, 50].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 20), inner(range(min = 1, max = 100)))]
    pub steps: Vec<u8>,
    /// Failed checks that roll the candidate back.
    #[serde(default = "default_threshold")]
    #[schemars(range(min = 1, max = 100))]
    pub failed_check_threshold: u32,
    /// Samples a measurement needs (for `accuracy`: feedback received in the interval) to
    /// count; fewer is "no data".
    #[serde(default = "default_min_samples")]
    #[schemars(range(min = 1, max = 1_000_000))]
    pub min_samples: u32,
    /// What a measurement without enough samples means.
    #[serde(default)]
    pub no_data: NoDataSpec,
}

impl Default for AnalysisSpec {
    fn default() -> Self {
        Self {
            interval_seconds: default_interval(),
            step_weight: default_step_weight(),
            max_weight: default_max_weight(),
            steps: Vec::new(),
            failed_check_threshold: default_threshold(),
            min_samples: default_min_samples(),
            no_data: NoDataSpec::default(),
        }
    }
}

#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct NoDataSpec {
    /// `Hold`: wait for data, nothing counts. `Fail`: a failed check. `Inconclusive`: counted
    /// in a row; `limit` of them pause the experiment for a person.
    #[serde(default)]
    pub policy: NoDataPolicy,
    /// With `Inconclusive`: how many in a row pause it. Unset: never.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 1000))]
    pub limit: Option<u32>,
}

#[derive(JsonSchema, Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum NoDataPolicy {
    #[default]
    Hold,
    Fail,
    Inconclusive,
}

/// One measurement, taken for both versions each interval.
#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
#[x_kube(validation = Rule::new("has(self.query) || self.name in ['accuracy', 'latency_p99']").message("metrics: a name other than accuracy or latency_p99 needs a query"))]
#[x_kube(validation = Rule::new("has(self.min) || has(self.max)").message("metrics: give min, max or both"))]
pub struct MetricSpec {
    /// `accuracy` and `latency_p99` are built in; any other name needs a `query`.
    #[schemars(length(min = 1, max = 63), regex(pattern = r"^[a-z0-9_]+$"))]
    pub name: String,
    /// PromQL giving one number, with `{{ version }}`, `{{ namespace }}` and
    /// `{{ interval }}` filled in for each version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 4096))]
    pub query: Option<String>,
    /// PromQL counting the samples behind `query` (compared with `analysis.minSamples`).
    /// Unset for a custom query: any value counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 4096))]
    pub samples_query: Option<String>,
    /// The lowest passing value for the candidate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<BoundSpec>,
    /// The highest passing value for the candidate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<BoundSpec>,
}

/// A fixed value, or the baseline's value plus an offset.
#[derive(KubeSchema, Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
#[x_kube(validation = Rule::new("has(self.value) != has(self.relativeToBaseline)").message("a bound is either value or relativeToBaseline"))]
pub struct BoundSpec {
    /// e.g. 0.8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// Added to the baseline's value, e.g. -0.01: no more than a point below it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relative_to_baseline: Option<f64>,
}

#[derive(JsonSchema, Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum PromotionMode {
    #[default]
    Auto,
    Manual,
}

#[derive(JsonSchema, Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApprovalWord {
    Promote,
    Abort,
}

/// What the operator last did and measured.
#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct ModelExperimentStatus {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<ExperimentPhase>,
    /// Percent of households on the candidate.
    #[serde(default)]
    pub weight: u8,
    /// Failed checks so far in this analysis.
    #[serde(default)]
    pub failed_checks: u32,
    /// Inconclusive checks in a row.
    #[serde(default)]
    pub inconclusive_checks: u32,
    /// The spec generation the analysis under way belongs to (a change restarts it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analysis_generation: Option<i64>,
    /// When the weight last changed or the analysis (re)started; the next judgement is an
    /// interval later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// Why it stands where it stands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The last interval's measurements, one per metric.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub measurements: Vec<Measurement>,
    /// The candidate's and the baseline's last accuracy, for `kubectl get`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidate_accuracy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline_accuracy: Option<String>,
    /// `Ready` (the experiment is accepted and running or finished well) and `Degraded`
    /// (it needs a person), each with the generation it describes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
}

/// One metric's measurement in one interval.
#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct Measurement {
    pub metric: String,
    /// The candidate's value; unset when Prometheus had none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub samples: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline_value: Option<f64>,
    /// `Pass`, `Fail`, `NoData` or `Error`.
    pub result: String,
    /// The candidate's query as sent.
    pub query: String,
    /// What went wrong, for `Error`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// RFC 3339.
    pub time: String,
}

#[derive(JsonSchema, Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExperimentPhase {
    Pending,
    Progressing,
    Paused,
    Promoting,
    Promoted,
    RolledBack,
    Failed,
}

impl ExperimentPhase {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "Pending",
            Self::Progressing => "Progressing",
            Self::Paused => "Paused",
            Self::Promoting => "Promoting",
            Self::Promoted => "Promoted",
            Self::RolledBack => "RolledBack",
            Self::Failed => "Failed",
        }
    }

    /// Whether the candidate still runs beside the baseline.
    pub fn running(self) -> bool {
        matches!(
            self,
            Self::Pending | Self::Progressing | Self::Paused | Self::Promoting
        )
    }
}

impl ModelExperimentSpec {
    /// The decision's policy: explicit steps, or `stepWeight` up to `maxWeight`.
    pub fn policy(&self) -> Policy {
        let a = &self.analysis;
        let steps = if a.steps.is_empty() {
            let (step, max) = (a.step_weight.max(1), a.max_weight.clamp(1, 100));
            let mut steps: Vec<u8> = (1..=100u8)
                .map(|n| n.saturating_mul(step))
                .take_while(|&w| w < max)
                .collect();
            steps.push(max);
            steps
        } else {
            a.steps.clone()
        };
        Policy {
            steps,
            threshold: a.failed_check_threshold,
            interval_seconds: i64::from(a.interval_seconds),
            no_data: match a.no_data.policy {
                NoDataPolicy::Hold => NoData::Hold,
                NoDataPolicy::Fail => NoData::Fail,
                NoDataPolicy::Inconclusive => NoData::Inconclusive {
                    limit: a.no_data.limit,
                },
            },
            promotion: match self.promotion {
                PromotionMode::Auto => decide::Promotion::Auto,
                PromotionMode::Manual => decide::Promotion::Manual,
            },
        }
    }

    /// The metrics judged: the spec's, or accuracy within a point of the baseline.
    pub fn metrics(&self) -> Vec<MetricSpec> {
        if !self.metrics.is_empty() {
            return self.metrics.clone();
        }
        vec![MetricSpec {
            name: "accuracy".to_owned(),
            query: None,
            samples_query: None,
            min: Some(BoundSpec {
                value: None,
                relative_to_baseline: Some(-0.01),
            }),
            max: None,
        }]
    }
}

fn default_interval() -> u32 {
    300
}
fn default_step_weight() -> u8 {
    10
}
fn default_max_weight() -> u8 {
    50
}
fn default_threshold() -> u32 {
    2
}
fn default_min_samples() -> u32 {
    20
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> ModelExperimentSpec {
        ModelExperimentSpec {
            finance_tracker: "home".to_owned(),
            baseline: VariantSpec {
                version: "minilm-l6-v2-fp32".to_owned(),
            },
            candidate: CandidateSpec {
                version: "minilm-l6-v2-int8".to_owned(),
                image: None,
            },
            analysis: AnalysisSpec::default(),
            metrics: Vec::new(),
            promotion: PromotionMode::Auto,
            approval: None,
        }
    }

    #[test]
    fn steps_come_from_the_step_weight_up_to_the_max_or_are_given() {
        let mut s = spec();
        assert_eq!(s.policy().steps, [10, 20, 30, 40, 50]);
        s.analysis.step_weight = 30;
        s.analysis.max_weight = 100;
        assert_eq!(s.policy().steps, [30, 60, 90, 100]);
        s.analysis.step_weight = 100;
        s.analysis.max_weight = 40;
        assert_eq!(
            s.policy().steps,
            [40],
            "a step past the max stops at the max"
        );
        s.analysis.steps = vec![5, 20, 50];
        assert_eq!(s.policy().steps, [5, 20, 50]);
    }

    #[test]
    fn without_metrics_accuracy_within_a_point_of_the_baseline_is_judged() {
        let metrics = spec().metrics();
        assert_eq!(metrics.len(), 1);
        assert_eq!(metrics[0].name, "accuracy");
        assert_eq!(
            metrics[0].min.and_then(|b| b.relative_to_baseline),
            Some(-0.01)
        );
    }
}
