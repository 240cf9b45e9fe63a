//! The worker's own Prometheus metrics (names per DESIGN.md section 6), which the
//! `ModelExperiment` analysis reads: predictions and feedback by model version, how long
//! a batch takes, how large batches are, and how many jobs wait on the queue.

use prometheus::{HistogramOpts, HistogramVec, IntCounterVec, IntGaugeVec, Opts};
use service_kit::metrics::Metrics;

#[derive(Debug, Clone)]
pub struct MlMetrics {
    pub predictions: IntCounterVec,
    pub feedback: IntCounterVec,
    pub inference_seconds: HistogramVec,
    pub batch_size: HistogramVec,
    /// Queue jobs by state: `waiting` (not handed to a worker yet) or `taken` (being
    /// worked on, or left by a crashed worker until another claims them).
    pub queue_jobs: IntGaugeVec,
}

impl MlMetrics {
    /// Registers the worker's metrics in `metrics` (namespace `financetracker_ml`).
    pub fn register(metrics: &Metrics) -> Self {
        let ns = metrics.namespace();
        let ml = Self {
            predictions: IntCounterVec::new(
                Opts::new(
                    format!("{ns}_predictions_total"),
                    "Descriptions categorised, by model version and what the ledger's threshold makes of the best suggestion (applied, suggested, none).",
                ),
                &["model_version", "outcome"],
            )
            .expect("static metric definition is valid"),
            feedback: IntCounterVec::new(
                Opts::new(
                    format!("{ns}_feedback_total"),
                    "Suggestions the user accepted or corrected, by the model version that made them.",
                ),
                &["model_version", "outcome"],
            )
            .expect("static metric definition is valid"),
            inference_seconds: HistogramVec::new(
                HistogramOpts::new(
                    format!("{ns}_inference_duration_seconds"),
                    "Time to categorise one request's batch, training the ledger model if needed.",
                )
                .buckets(vec![0.001, 0.0025, 0.005, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5]),
                &["model_version"],
            )
            .expect("static metric definition is valid"),
            batch_size: HistogramVec::new(
                HistogramOpts::new(
                    format!("{ns}_batch_size"),
                    "Descriptions per categorisation request.",
                )
                .buckets(vec![1.0, 2.0, 5.0, 10.0, 32.0, 100.0, 250.0, 500.0, 1000.0]),
                &["model_version"],
            )
            .expect("static metric definition is valid"),
            queue_jobs: IntGaugeVec::new(
                Opts::new(
                    format!("{ns}_queue_jobs"),
                    "Categorisation jobs on the queue, waiting or taken by a worker and not yet done.",
                ),
                &["state"],
            )
            .expect("static metric definition is valid"),
        };
        metrics.register(Box::new(ml.predictions.clone()));
        metrics.register(Box::new(ml.queue_jobs.clone()));
        metrics.register(Box::new(ml.feedback.clone()));
        metrics.register(Box::new(ml.inference_seconds.clone()));
        metrics.register(Box::new(ml.batch_size.clone()));
        ml
    }

    /// Exports `version`'s series at zero from the start. A series that first appears
    /// with its first increment is first scraped at that value, and `increase()` counts
    /// nothing before a series' first sample: the feedback arriving before the first
    /// scrape would be missing from a ModelExperiment's accuracy.
    pub fn start_at_zero(&self, version: &str) {
        for outcome in ["accepted", "corrected"] {
            self.feedback.with_label_values(&[version, outcome]);
        }
        for outcome in ["applied", "suggested", "none"] {
            self.predictions.with_label_values(&[version, outcome]);
        }
        self.inference_seconds.with_label_values(&[version]);
        self.batch_size.with_label_values(&[version]);
    }
}
