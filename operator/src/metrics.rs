//! The operator's own metrics, beside the standard ones every FinanceTracker binary serves:
//! reconciles by result, errors by cause, reconcile duration, child writes by kind, and
//! whether this replica holds the leader lease.

use prometheus::{HistogramOpts, HistogramVec, IntCounterVec, IntGauge, Opts};
use service_kit::metrics::Metrics;

#[derive(Debug, Clone)]
pub struct OperatorMetrics {
    pub reconciles: IntCounterVec,
    pub errors: IntCounterVec,
    pub duration: HistogramVec,
    pub writes: IntCounterVec,
    pub leader: IntGauge,
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
        Self {
            reconciles,
            errors,
            duration,
            writes,
            leader,
        }
    }
}
