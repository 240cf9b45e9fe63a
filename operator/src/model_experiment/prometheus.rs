//! Prometheus' HTTP API, as the analysis asks it: one instant query at a time, each with a
//! timeout. Every way a query can go wrong (no answer, a timeout, an error status, a query
//! Prometheus refuses, an answer of several series) is an `Err` naming the cause, which the
//! analysis records as an inconclusive measurement: never a pass.

use std::time::Duration;

use serde::Deserialize;
use url::Url;

/// Why a query has no answer. `refused`: Prometheus answered that the query itself is
/// wrong (it does not parse, or has the wrong shape), which waiting will not mend.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct QueryError {
    pub refused: bool,
    pub message: String,
}

impl QueryError {
    fn unavailable(message: String) -> Self {
        Self {
            refused: false,
            message,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Prometheus {
    http: reqwest::Client,
    base: Url,
    timeout: Duration,
}

impl Prometheus {
    /// `base`: the server's URL, e.g. `http://prometheus.monitoring:9090`.
    pub fn new(base: Url, timeout: Duration) -> Self {
        Self {
            http: reqwest::Client::new(),
            base,
            timeout,
        }
    }

    /// The value of `query` now: `None` when it matches no series.
    pub async fn instant(&self, query: &str) -> Result<Option<f64>, QueryError> {
        let mut url = self.base.join("api/v1/query").map_err(|e| {
            QueryError::unavailable(format!("bad Prometheus URL {}: {e}", self.base))
        })?;
        url.query_pairs_mut().append_pair("query", query);
        let response = self
            .http
            .get(url)
            .timeout(self.timeout)
            .send()
            .await
            .map_err(|e| {
                QueryError::unavailable(if e.is_timeout() {
                    format!("Prometheus did not answer within {:?}", self.timeout)
                } else {
                    format!("Prometheus at {} is unreachable: {e}", self.base)
                })
            })?;
        let status = response.status();
        let body = response
            .bytes()
            .await
            .map_err(|e| QueryError::unavailable(format!("reading Prometheus' answer: {e}")))?;
        parse_instant(&body).map_err(|e| QueryError {
            message: format!("{} (HTTP {status})", e.message),
            ..e
        })
    }
}

#[derive(Deserialize)]
struct Answer {
    status: String,
    #[serde(default)]
    error: Option<String>,
    #[serde(default, rename = "errorType")]
    error_type: Option<String>,
    #[serde(default)]
    data: Option<Data>,
}

#[derive(Deserialize)]
#[serde(tag = "resultType", content = "result", rename_all = "lowercase")]
enum Data {
    Vector(Vec<Series>),
    Scalar(Sample),
    Matrix(serde::de::IgnoredAny),
    String(serde::de::IgnoredAny),
}

#[derive(Deserialize)]
struct Series {
    value: Sample,
}

/// `[unix time, "value"]`: Prometheus sends the value as a string (`"NaN"` and `"+Inf"`
/// included).
type Sample = (serde::de::IgnoredAny, String);

/// Pure: the one number in an instant query's answer, `None` for no series.
pub fn parse_instant(body: &[u8]) -> Result<Option<f64>, QueryError> {
    let refused = |message: String| QueryError {
        refused: true,
        message,
    };
    let answer: Answer = serde_json::from_slice(body).map_err(|e| {
        QueryError::unavailable(format!("not an answer of Prometheus' query API: {e}"))
    })?;
    if answer.status != "success" {
        let message = format!(
            "Prometheus refused the query: {}",
            answer.error.unwrap_or_else(|| answer.status.clone())
        );
        // A bad query is refused as such; a timeout or overload is worth asking again.
        return Err(QueryError {
            refused: answer.error_type.as_deref() == Some("bad_data"),
            message,
        });
    }
    let value = |sample: &Sample| {
        sample
            .1
            .parse::<f64>()
            .map_err(|_| refused(format!("{:?} is not a number", sample.1)))
    };
    match answer.data {
        Some(Data::Vector(series)) => match series.as_slice() {
            [] => Ok(None),
            [one] => value(&one.value).map(Some),
            many => Err(refused(format!(
                "the query returned {} series; a check needs one (aggregate it, e.g. with sum)",
                many.len()
            ))),
        },
        Some(Data::Scalar(sample)) => value(&sample).map(Some),
        Some(Data::Matrix(_) | Data::String(_)) => Err(refused(
            "the query returned a range or a string; a check needs one number".to_owned(),
        )),
        None => Err(QueryError::unavailable(
            "Prometheus' answer has no data".to_owned(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_instant;

    #[test]
    fn one_series_a_scalar_or_none() {
        let one = br#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1800000000.5,"0.875"]}]}}"#;
        assert_eq!(parse_instant(one), Ok(Some(0.875)));
        let scalar =
            br#"{"status":"success","data":{"resultType":"scalar","result":[1800000000,"2"]}}"#;
        assert_eq!(parse_instant(scalar), Ok(Some(2.0)));
        let none = br#"{"status":"success","data":{"resultType":"vector","result":[]}}"#;
        assert_eq!(parse_instant(none), Ok(None));
        let nan = br#"{"status":"success","data":{"resultType":"scalar","result":[1,"NaN"]}}"#;
        assert!(parse_instant(nan).expect("parses").is_some_and(f64::is_nan));
    }

    #[test]
    fn anything_else_is_an_error_that_says_what_came() {
        let two = br#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":"1"},"value":[1,"1"]},{"metric":{"a":"2"},"value":[1,"2"]}]}}"#;
        assert!(
            parse_instant(two).is_err_and(|e| e.refused && e.message.contains("returned 2 series"))
        );
        let refused = br#"{"status":"error","errorType":"bad_data","error":"1:6: parse error: unclosed left parenthesis"}"#;
        assert!(
            parse_instant(refused).is_err_and(|e| e.refused && e.message.contains("parse error"))
        );
        let busy = br#"{"status":"error","errorType":"timeout","error":"query timed out"}"#;
        assert!(
            parse_instant(busy).is_err_and(|e| !e.refused),
            "worth asking again"
        );
        let matrix = br#"{"status":"success","data":{"resultType":"matrix","result":[]}}"#;
        assert!(parse_instant(matrix).is_err_and(|e| e.message.contains("range")));
        assert!(
            parse_instant(b"<html>502 Bad Gateway</html>")
                .is_err_and(|e| !e.refused && e.message.contains("not an answer"))
        );
    }
}
