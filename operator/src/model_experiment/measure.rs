//! Pure: the PromQL a metric check sends, and the verdict on what Prometheus answered.
//!
//! A query is a template with `{{ version }}`, `{{ namespace }}` and `{{ interval }}`,
//! rendered once per variant, so the same check measures the candidate and the baseline.
//! The built-in metrics are templates like any other:
//! - `accuracy`: accepted / (accepted + corrected) feedback over the interval, from
//!   `financetracker_ml_feedback_total`; its samples are that denominator.
//! - `latency_p99`: the 99th percentile of `financetracker_ml_inference_duration_seconds`
//!   over the interval; its samples are the inferences timed.

use super::decide::Outcome;

/// A metric the operator knows how to ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuiltIn {
    Accuracy,
    LatencyP99,
}

impl BuiltIn {
    /// (value query, samples query) templates.
    pub fn templates(self) -> (&'static str, &'static str) {
        match self {
            Self::Accuracy => (
                concat!(
                    r#"sum(increase(financetracker_ml_feedback_total{namespace="{{ namespace }}",model_version="{{ version }}",outcome="accepted"}[{{ interval }}]))"#,
                    " / ",
                    r#"sum(increase(financetracker_ml_feedback_total{namespace="{{ namespace }}",model_version="{{ version }}",outcome=~"accepted|corrected"}[{{ interval }}]))"#,
                ),
                r#"sum(increase(financetracker_ml_feedback_total{namespace="{{ namespace }}",model_version="{{ version }}",outcome=~"accepted|corrected"}[{{ interval }}]))"#,
            ),
            Self::LatencyP99 => (
                r#"histogram_quantile(0.99, sum by (le) (rate(financetracker_ml_inference_duration_seconds_bucket{namespace="{{ namespace }}",model_version="{{ version }}"}[{{ interval }}])))"#,
                r#"sum(increase(financetracker_ml_inference_duration_seconds_count{namespace="{{ namespace }}",model_version="{{ version }}"}[{{ interval }}]))"#,
            ),
        }
    }
}

/// What fills a template's placeholders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Variables<'a> {
    pub version: &'a str,
    pub namespace: &'a str,
    /// A PromQL duration, e.g. `5m`.
    pub interval: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error(
        "unknown placeholder {{{{ {0} }}}}: use {{{{ version }}}}, {{{{ namespace }}}} or {{{{ interval }}}}"
    )]
    Unknown(String),
    #[error("a {{{{ at byte {0} is never closed with }}}}")]
    Unclosed(usize),
}

/// Renders `template`. Values land inside PromQL string literals, so quotes and
/// backslashes in them are escaped: a version name cannot change the query's shape.
pub fn render(template: &str, vars: &Variables<'_>) -> Result<String, TemplateError> {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    let mut offset = 0;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let close = after
            .find("}}")
            .ok_or(TemplateError::Unclosed(offset + open))?;
        let value = match after[..close].trim() {
            "version" => vars.version,
            "namespace" => vars.namespace,
            "interval" => vars.interval,
            other => return Err(TemplateError::Unknown(other.to_owned())),
        };
        out.push_str(&value.replace('\\', "\\\\").replace('"', "\\\""));
        let consumed = open + 2 + close + 2;
        offset += consumed;
        rest = &rest[consumed..];
    }
    out.push_str(rest);
    Ok(out)
}

/// One end of a success range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bound {
    /// A fixed value, e.g. accuracy 0.8.
    Absolute(f64),
    /// The baseline's value plus this (negative: below it), e.g. −0.01.
    Baseline(f64),
}

/// Where the candidate's value must lie to pass; an unset end is open.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Range {
    pub min: Option<Bound>,
    pub max: Option<Bound>,
}

/// What Prometheus said for one variant: the value and the samples behind it, each absent
/// when the query returned no series (or NaN, as a ratio of zeros does).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Reading {
    pub value: Option<f64>,
    pub samples: Option<f64>,
}

/// A query that failed or timed out, or a Prometheus that did not answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryFailed;

/// The verdict on one metric for one interval. `candidate` and `baseline` are `Err` when
/// their queries failed; `min_samples` applies to the candidate (and to the baseline when
/// the range is relative to it).
pub fn verdict(
    range: &Range,
    min_samples: f64,
    candidate: Result<Reading, QueryFailed>,
    baseline: Result<Reading, QueryFailed>,
) -> Outcome {
    let relative = [range.min, range.max]
        .iter()
        .any(|b| matches!(b, Some(Bound::Baseline(_))));
    let Ok(candidate) = candidate else {
        return Outcome::Error;
    };
    let enough = |r: &Reading| r.samples.is_some_and(|s| s >= min_samples);
    let Some(value) = candidate.value.filter(|v| v.is_finite()) else {
        return Outcome::NoData;
    };
    if !enough(&candidate) {
        return Outcome::NoData;
    }
    let base = if relative {
        let Ok(baseline) = baseline else {
            return Outcome::Error;
        };
        match baseline.value.filter(|v| v.is_finite()) {
            Some(v) if enough(&baseline) => Some(v),
            _ => return Outcome::NoData,
        }
    } else {
        None
    };
    let resolve = |bound: Bound| match bound {
        Bound::Absolute(v) => v,
        Bound::Baseline(offset) => base.unwrap_or(f64::NAN) + offset,
    };
    let above_min = range.min.is_none_or(|b| value >= resolve(b));
    let below_max = range.max.is_none_or(|b| value <= resolve(b));
    if above_min && below_max {
        Outcome::Pass
    } else {
        Outcome::Fail
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VARS: Variables<'static> = Variables {
        version: "minilm-l6-v2-int8",
        namespace: "money",
        interval: "5m",
    };

    #[test]
    fn placeholders_are_filled_with_or_without_spaces() {
        let rendered = render(
            r#"rate(x{model_version="{{version}}",namespace="{{ namespace }}"}[{{  interval }}])"#,
            &VARS,
        );
        assert_eq!(
            rendered.as_deref(),
            Ok(r#"rate(x{model_version="minilm-l6-v2-int8",namespace="money"}[5m])"#)
        );
        assert_eq!(render("up", &VARS).as_deref(), Ok("up"));
    }

    #[test]
    fn a_bad_template_is_refused_with_what_is_wrong() {
        assert_eq!(
            render("x{v=\"{{ model }}\"}", &VARS),
            Err(TemplateError::Unknown("model".to_owned()))
        );
        assert_eq!(
            render("x[{{ interval ]", &VARS),
            Err(TemplateError::Unclosed(2))
        );
        assert_eq!(
            TemplateError::Unknown("model".to_owned()).to_string(),
            "unknown placeholder {{ model }}: use {{ version }}, {{ namespace }} or {{ interval }}"
        );
    }

    #[test]
    fn a_value_cannot_break_out_of_its_string() {
        let vars = Variables {
            version: r#"v1"} or vector(1) or x{a="\"#,
            ..VARS
        };
        let rendered = render(r#"x{v="{{ version }}"}"#, &vars).expect("render");
        assert_eq!(rendered, r#"x{v="v1\"} or vector(1) or x{a=\"\\"}"#);
    }

    #[test]
    fn the_built_in_queries_name_the_worker_metrics_per_version() {
        let (value, samples) = BuiltIn::Accuracy.templates();
        let value = render(value, &VARS).expect("render");
        assert!(value.contains(r#"outcome="accepted""#), "{value}");
        assert!(
            value.contains(r#"model_version="minilm-l6-v2-int8""#),
            "{value}"
        );
        assert!(value.contains("[5m]"), "{value}");
        assert!(
            render(samples, &VARS)
                .expect("render")
                .starts_with("sum(increase(")
        );
        let (latency, _) = BuiltIn::LatencyP99.templates();
        assert!(
            render(latency, &VARS)
                .expect("render")
                .starts_with("histogram_quantile(0.99")
        );
    }

    fn read(value: f64, samples: f64) -> Reading {
        Reading {
            value: Some(value),
            samples: Some(samples),
        }
    }

    #[test]
    fn an_absolute_range_judges_the_candidate_alone() {
        let range = Range {
            min: Some(Bound::Absolute(0.8)),
            max: None,
        };
        assert_eq!(
            verdict(&range, 50.0, Ok(read(0.85, 60.0)), Err(QueryFailed)),
            Outcome::Pass
        );
        assert_eq!(
            verdict(&range, 50.0, Ok(read(0.8, 60.0)), Err(QueryFailed)),
            Outcome::Pass,
            "inclusive"
        );
        assert_eq!(
            verdict(&range, 50.0, Ok(read(0.79, 60.0)), Err(QueryFailed)),
            Outcome::Fail
        );
        let latency = Range {
            min: None,
            max: Some(Bound::Absolute(0.25)),
        };
        assert_eq!(
            verdict(&latency, 1.0, Ok(read(0.3, 10.0)), Err(QueryFailed)),
            Outcome::Fail
        );
    }

    #[test]
    fn a_relative_range_needs_the_baseline_and_follows_it() {
        // candidate ≥ baseline − 0.01
        let range = Range {
            min: Some(Bound::Baseline(-0.01)),
            max: None,
        };
        assert_eq!(
            verdict(&range, 50.0, Ok(read(0.895, 80.0)), Ok(read(0.9, 500.0))),
            Outcome::Pass
        );
        assert_eq!(
            verdict(&range, 50.0, Ok(read(0.88, 80.0)), Ok(read(0.9, 500.0))),
            Outcome::Fail
        );
        assert_eq!(
            verdict(&range, 50.0, Ok(read(0.95, 80.0)), Err(QueryFailed)),
            Outcome::Error,
            "no baseline, no verdict: never a pass"
        );
        assert_eq!(
            verdict(&range, 50.0, Ok(read(0.95, 80.0)), Ok(read(0.9, 10.0))),
            Outcome::NoData,
            "a baseline measured on too few samples"
        );
    }

    #[test]
    fn too_few_samples_no_series_or_nan_is_no_data_and_a_failed_query_is_an_error() {
        let range = Range {
            min: Some(Bound::Absolute(0.5)),
            max: None,
        };
        assert_eq!(
            verdict(&range, 50.0, Ok(read(0.99, 49.0)), Err(QueryFailed)),
            Outcome::NoData
        );
        assert_eq!(
            verdict(&range, 50.0, Ok(Reading::default()), Err(QueryFailed)),
            Outcome::NoData
        );
        assert_eq!(
            verdict(&range, 0.0, Ok(read(f64::NAN, 0.0)), Err(QueryFailed)),
            Outcome::NoData
        );
        assert_eq!(
            verdict(
                &range,
                50.0,
                Ok(Reading {
                    value: Some(0.9),
                    samples: None
                }),
                Err(QueryFailed)
            ),
            Outcome::NoData
        );
        assert_eq!(
            verdict(&range, 50.0, Err(QueryFailed), Ok(read(0.9, 100.0))),
            Outcome::Error
        );
    }
}
