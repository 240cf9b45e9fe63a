//! The operator's own metrics, beside the standard ones every FinanceTracker binary serves:
//! reconciles by result, errors by cause, reconcile duration, child writes by kind, and
//! whether this replica holds the leader lease; and per ModelExperiment its weight, its
//! checks, its measurements and how it ended.

use prometheus::{
    GaugeVec, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts,
};
use service_kit::metrics::Metrics;

#[derive(Debug, Clone)]
pub struct OperatorMetrics {
    pub reconciles: IntCounterVec,
    pub errors: IntCounterVec,
    pub duration: HistogramVec,
    pub writes: IntCounterVec,
    pub leader: IntGauge,
    pub experiment: ExperimentMetrics,
}

/// `financetracker_operator_experiment_*`, labelled by the experiment's namespace (as
/// `experiment_namespace`: a scrape gives `namespace` the operator pod's) and name.
#[derive(Debug, Clone)]
pub struct ExperimentMetrics {
    pub weight: IntGaugeVec,
    pub checks: IntCounterVec,
    pub measurement: GaugeVec,
    pub outcomes: IntCounterVec,
    /// 1 while inconclusive checks run in a row (for the stuck-experiment alert).
    pub inconclusive: IntGaugeVec,
}

impl OperatorMetrics {
    /// Creates the metrics and registers them in `registry` (`financetracker_operator_*`).
    pub fn new(registry: &Metrics) -> Self {
        let ns = registry.namespace();
        let reconciles = IntCounterVec::new(
            Opts::new(
                format!("{ns}_reconciles_total"),
                "Reconciles finished, by resource kind and result (ok, error).",
            ),
            &["kind", "result"],
        )
        .expect("static metric definition is valid");
        let errors = IntCounterVec::new(
            Opts::new(
                format!("{ns}_reconcile_errors_total"),
                "Failed reconciles, by resource kind and cause (conflict, forbidden, invalid, api, transport).",
            ),
            &["kind", "error"],
        )
        .expect("static metric definition is valid");
        let duration = HistogramVec::new(
            HistogramOpts::new(
                format!("{ns}_reconcile_duration_seconds"),
                "Time one reconcile took, by resource kind.",
            )
            .buckets(vec![
                0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            ]),
            &["kind"],
        )
        .expect("static metric definition is valid");
        let writes = IntCounterVec::new(
            Opts::new(
                format!("{ns}_child_writes_total"),
                "Writes to child objects (applies and deletes), by child kind. Flat while idle.",
            ),
            &["kind", "verb"],
        )
        .expect("static metric definition is valid");
        let leader = IntGauge::with_opts(Opts::new(
            format!("{ns}_leader"),
            "1 while this replica holds the leader lease and runs the controllers, else 0.",
        ))
        .expect("static metric definition is valid");
        registry.register(Box::new(reconciles.clone()));
        registry.register(Box::new(errors.clone()));
        registry.register(Box::new(duration.clone()));
        registry.register(Box::new(writes.clone()));
        registry.register(Box::new(leader.clone()));
        let experiment = ExperimentMetrics::new(registry);
        Self {
            reconciles,
            errors,
            duration,
            writes,
            leader,
            experiment,
        }
    }
}

impl ExperimentMetrics {
    fn new(registry: &Metrics) -> Self {
        let ns = format!("{}_experiment", registry.namespace());
        let ids = ["experiment_namespace", "experiment"];
        let weight = IntGaugeVec::new(
            Opts::new(
                format!("{ns}_weight"),
                "Percent of households a ModelExperiment sends to its candidate.",
            ),
            &ids,
        )
        .expect("static metric definition is valid");
        let checks = IntCounterVec::new(
            Opts::new(
                format!("{ns}_checks_total"),
                "Judged intervals of a ModelExperiment, by result (pass, fail, inconclusive, no_data).",
            ),
            &["experiment_namespace", "experiment", "result"],
        )
        .expect("static metric definition is valid");
        let measurement = GaugeVec::new(
            Opts::new(
                format!("{ns}_measurement"),
                "The last value measured per metric and variant (candidate, baseline).",
            ),
            &["experiment_namespace", "experiment", "metric", "variant"],
        )
        .expect("static metric definition is valid");
        let outcomes = IntCounterVec::new(
            Opts::new(
                format!("{ns}_outcomes_total"),
                "Finished ModelExperiments, by outcome (promoted, rolled_back, failed).",
            ),
            &["experiment_namespace", "experiment", "outcome"],
        )
        .expect("static metric definition is valid");
        let inconclusive = IntGaugeVec::new(
            Opts::new(
                format!("{ns}_inconclusive_checks"),
                "Inconclusive checks in a row of a running ModelExperiment.",
            ),
            &ids,
        )
        .expect("static metric definition is valid");
        registry.register(Box::new(weight.clone()));
        registry.register(Box::new(checks.clone()));
        registry.register(Box::new(measurement.clone()));
        registry.register(Box::new(outcomes.clone()));
        registry.register(Box::new(inconclusive.clone()));
        Self {
            weight,
            checks,
            measurement,
            outcomes,
            inconclusive,
        }
    }
}
