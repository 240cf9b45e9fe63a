//! The custom resources the operator serves, and their CRDs as YAML (`operator crd`).

pub mod finance_tracker;
pub mod model_experiment;
pub mod schema;

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::CustomResourceExt;

pub use finance_tracker::{FinanceTracker, FinanceTrackerSpec, FinanceTrackerStatus};
pub use model_experiment::{ModelExperiment, ModelExperimentSpec, ModelExperimentStatus};

/// The API group of every FinanceTracker resource.
pub const GROUP: &str = "finance.financetracker.dev";

/// Every CRD the operator serves, in the order `operator crd` prints them.
pub fn all() -> Vec<CustomResourceDefinition> {
    vec![FinanceTracker::crd(), ModelExperiment::crd()]
}

/// The CRDs as one multi-document YAML stream: what `crds/` and the chart hold.
pub fn to_yaml() -> String {
    let mut out = String::new();
    for crd in all() {
        out.push_str("---\n");
        out.push_str(&serde_saphyr::to_string(&crd).expect("a CRD always serializes"));
    }
    out
}
