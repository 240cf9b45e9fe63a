//! One interval's measurements: the queries of each metric rendered for both versions
//! (pure, so a bad template is refused before any traffic moves), then asked of Prometheus
//! and judged. Every failure to ask is an `Error` measurement, never a pass.

use crate::crd::model_experiment::{BoundSpec, Measurement, ModelExperimentSpec};
use crate::model_experiment::decide::Outcome;
use crate::model_experiment::measure::{
    self, Bound, BuiltIn, QueryFailed, Range, Reading, Variables,
};
use crate::model_experiment::prometheus::{Prometheus, QueryError};

/// What to ask for one version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queries {
    pub value: String,
    /// `None`: a custom metric without a samples query; any value counts.
    pub samples: Option<String>,
}

/// One metric's check.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub metric: String,
    pub range: Range,
    pub candidate: Queries,
    pub baseline: Queries,
}

fn bound(spec: Option<BoundSpec>) -> Option<Bound> {
    let spec = spec?;
    match (spec.value, spec.relative_to_baseline) {
        (Some(v), _) => Some(Bound::Absolute(v)),
        (None, Some(offset)) => Some(Bound::Baseline(offset)),
        (None, None) => None,
    }
}

/// Pure: the checks of `spec` in `namespace`, or what is wrong with a metric.
pub fn checks(spec: &ModelExperimentSpec, namespace: &str) -> Result<Vec<Check>, String> {
    let interval = format!("{}s", spec.analysis.interval_seconds);
    let mut out = Vec::new();
    for metric in spec.metrics() {
        let (value, samples) = match (metric.query.as_deref(), metric.name.as_str()) {
            (Some(query), _) => (query.to_owned(), metric.samples_query.clone()),
            (None, "accuracy") => templates(BuiltIn::Accuracy),
            (None, "latency_p99") => templates(BuiltIn::LatencyP99),
            (None, other) => {
                return Err(format!(
                    "metric {other}: not built in (accuracy, latency_p99), so it needs a query"
                ));
            }
        };
        let render = |template: &str, version: &str| {
            measure::render(
                template,
                &Variables {
                    version,
                    namespace,
                    interval: &interval,
                },
            )
            .map_err(|e| format!("metric {}: {e}", metric.name))
        };
        let queries = |version: &str| -> Result<Queries, String> {
            Ok(Queries {
                value: render(&value, version)?,
                samples: samples.as_deref().map(|s| render(s, version)).transpose()?,
            })
        };
        let range = Range {
            min: bound(metric.min),
            max: bound(metric.max),
        };
        if range.min.is_none() && range.max.is_none() {
            return Err(format!("metric {}: give min, max or both", metric.name));
        }
        out.push(Check {
            metric: metric.name.clone(),
            range,
            candidate: queries(&spec.candidate.version)?,
            baseline: queries(&spec.baseline.version)?,
        });
    }
    Ok(out)
}

fn templates(builtin: BuiltIn) -> (String, Option<String>) {
    let (value, samples) = builtin.templates();
    (value.to_owned(), Some(samples.to_owned()))
}

async fn read(
    prometheus: &Prometheus,
    queries: &Queries,
    min_samples: f64,
) -> Result<Reading, QueryError> {
    let value = prometheus.instant(&queries.value).await?;
    let samples = match &queries.samples {
        Some(query) => prometheus.instant(query).await?,
        // Without a samples query, a value is enough.
        None => value.map(|_| min_samples),
    };
    Ok(Reading { value, samples })
}

/// Asks Prometheus for every check, both versions, and judges each. `time` (RFC 3339)
/// stamps the measurements.
pub async fn measure(
    prometheus: &Prometheus,
    checks: &[Check],
    min_samples: u32,
    time: &str,
) -> Vec<(Measurement, Outcome)> {
    let min = f64::from(min_samples);
    let mut out = Vec::with_capacity(checks.len());
    for check in checks {
        let candidate = read(prometheus, &check.candidate, min).await;
        let baseline = read(prometheus, &check.baseline, min).await;
        let outcome = measure::verdict(
            &check.range,
            min,
            candidate.clone().map_err(|_| QueryFailed),
            baseline.clone().map_err(|_| QueryFailed),
        );
        let error = [&candidate, &baseline]
            .into_iter()
            .find_map(|r| r.as_ref().err())
            .map(|e| e.message.clone());
        let finite = |v: Option<f64>| v.filter(|v| v.is_finite());
        out.push((
            Measurement {
                metric: check.metric.clone(),
                value: candidate.as_ref().ok().and_then(|r| finite(r.value)),
                samples: candidate.as_ref().ok().and_then(|r| finite(r.samples)),
                baseline_value: baseline.as_ref().ok().and_then(|r| finite(r.value)),
                result: format!("{outcome:?}"),
                query: check.candidate.value.clone(),
                error,
                time: time.to_owned(),
            },
            outcome,
        ));
    }
    out
}

/// Asks each query once before any traffic moves: one Prometheus refuses (it does not
/// parse, or it returns several series) fails the experiment with Prometheus' words. An
/// outage here is not the query's fault: `Ok`, and the analysis will hold on it.
pub async fn preflight(prometheus: &Prometheus, checks: &[Check]) -> Result<(), String> {
    for check in checks {
        for queries in [&check.candidate, &check.baseline] {
            for query in std::iter::once(&queries.value).chain(&queries.samples) {
                match prometheus.instant(query).await {
                    Err(e) if e.refused => {
                        return Err(format!("metric {}: {}", check.metric, e.message));
                    }
                    Ok(_) | Err(_) => {}
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crd::model_experiment::{
        AnalysisSpec, CandidateSpec, MetricSpec, PromotionMode, VariantSpec,
    };

    fn spec(metrics: Vec<MetricSpec>) -> ModelExperimentSpec {
        ModelExperimentSpec {
            finance_tracker: "home".to_owned(),
            baseline: VariantSpec {
                version: "fp32".to_owned(),
            },
            candidate: CandidateSpec {
                version: "int8".to_owned(),
                image: None,
            },
            analysis: AnalysisSpec {
                interval_seconds: 30,
                ..AnalysisSpec::default()
            },
            metrics,
            promotion: PromotionMode::Auto,
            approval: None,
        }
    }

    #[test]
    fn the_default_check_is_accuracy_against_the_baseline_for_both_versions() {
        let checks = checks(&spec(Vec::new()), "money").expect("valid");
        assert_eq!(checks.len(), 1);
        let check = &checks[0];
        assert_eq!(check.range.min, Some(Bound::Baseline(-0.01)));
        assert!(check.candidate.value.contains(r#"model_version="int8""#));
        assert!(check.candidate.value.contains(r#"namespace="money""#));
        assert!(check.candidate.value.contains("[30s]"));
        assert!(check.baseline.value.contains(r#"model_version="fp32""#));
        assert!(check.candidate.samples.is_some());
    }

    #[test]
    fn a_custom_metric_is_rendered_and_a_bad_one_refused_with_its_name() {
        let custom = |query: &str| MetricSpec {
            name: "errors".to_owned(),
            query: Some(query.to_owned()),
            samples_query: None,
            min: None,
            max: Some(BoundSpec {
                value: Some(0.05),
                relative_to_baseline: None,
            }),
        };
        let ok = checks(
            &spec(vec![custom(
                r#"sum(rate(e{v="{{ version }}"}[{{ interval }}]))"#,
            )]),
            "money",
        )
        .expect("valid");
        assert_eq!(ok[0].candidate.value, r#"sum(rate(e{v="int8"}[30s]))"#);
        assert_eq!(ok[0].candidate.samples, None);
        assert_eq!(ok[0].range.max, Some(Bound::Absolute(0.05)));
        let bad = checks(&spec(vec![custom("e{v=\"{{ model }}\"}")]), "money");
        assert!(
            bad.as_ref()
                .is_err_and(|e| e.starts_with("metric errors: unknown placeholder")),
            "{bad:?}"
        );
        let mut nameless = custom("x");
        nameless.query = None;
        assert!(checks(&spec(vec![nameless]), "money").is_err());
    }
}
