//! One Prometheus registry per process. Every service exports its HTTP traffic as
//! `financetracker_<service>_http_requests_total` and `..._http_request_duration_seconds`
//! (labelled by route template, never by raw path, so cardinality stays bounded), its build
//! version, and the standard `process_*` metrics (RSS, CPU, open files).

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus::{Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, Opts, Registry};

#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    namespace: String,
    http_requests: IntCounterVec,
    http_duration: HistogramVec,
}

impl Metrics {
    /// Metrics for `service` (`api`, `ml`, `operator`): names start `financetracker_<service>_`.
    pub fn new(service: &str) -> Self {
        let namespace = format!("financetracker_{service}");
        let registry = Registry::new();
        let http_requests = IntCounterVec::new(
            Opts::new(
                format!("{namespace}_http_requests_total"),
                "HTTP requests answered, by method, route template and status code.",
            ),
            &["method", "route", "status"],
        )
        .expect("static metric definition is valid");
        let http_duration = HistogramVec::new(
            HistogramOpts::new(
                format!("{namespace}_http_request_duration_seconds"),
                "Time from request to response head, by method and route template.",
            )
            .buckets(vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            ]),
            &["method", "route"],
        )
        .expect("static metric definition is valid");
        let build_info = IntGauge::with_opts(
            Opts::new(
                format!("{namespace}_build_info"),
                "Always 1; the labels say which build is running.",
            )
            .const_label("version", env!("CARGO_PKG_VERSION")),
        )
        .expect("static metric definition is valid");
        build_info.set(1);

        let metrics = Self {
            registry,
            namespace,
            http_requests,
            http_duration,
        };
        metrics.register(Box::new(metrics.http_requests.clone()));
        metrics.register(Box::new(metrics.http_duration.clone()));
        metrics.register(Box::new(build_info));
        metrics.register(Box::new(
            prometheus::process_collector::ProcessCollector::for_self(),
        ));
        metrics
    }

    /// `financetracker_<service>`, the prefix for the service's own metric names.
    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// Adds a service-specific collector. Panics on a duplicate name: that is a programming
    /// error caught by the first test that builds the service.
    pub fn register(&self, collector: Box<dyn prometheus::core::Collector>) {
        self.registry
            .register(collector)
            .expect("each metric is registered once");
    }

    /// The text exposition format Prometheus scrapes.
    pub fn render(&self) -> String {
        let mut buffer = Vec::new();
        prometheus::TextEncoder::new()
            .encode(&self.registry.gather(), &mut buffer)
            .expect("encoding to a Vec cannot fail");
        String::from_utf8(buffer).expect("the text format is UTF-8")
    }
}

/// Middleware that counts and times every request.
pub async fn track_http(
    State(metrics): State<Arc<Metrics>>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let response = next.run(request).await;
    metrics
        .http_duration
        .with_label_values(&[method.as_str(), route.as_str()])
        .observe(started.elapsed().as_secs_f64());
    metrics
        .http_requests
        .with_label_values(&[method.as_str(), route.as_str(), response.status().as_str()])
        .inc();
    response
}

/// `GET /metrics`.
pub async fn serve_metrics(State(metrics): State<Arc<Metrics>>) -> impl IntoResponse {
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        metrics.render(),
    )
}
