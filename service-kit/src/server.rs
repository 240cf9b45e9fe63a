//! Serving a service: bind the listen address (a clear error when it is taken), add the
//! probe and metrics routes and request ids, and on shutdown stop reporting ready, let
//! in-flight requests finish within a grace period, then return.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::Response;
use axum::routing::get;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnFailure, TraceLayer};
use tracing::Level;

use crate::ConfigError;
use crate::metrics::{self, Metrics};
use crate::probes::{self, Readiness};

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Binds `addr`; the error names the setting (`LISTEN_ADDR (--listen-addr)`) so it is fixable.
pub async fn bind(addr: SocketAddr) -> Result<TcpListener, ConfigError> {
    TcpListener::bind(addr).await.map_err(|e| {
        ConfigError::new(
            "LISTEN_ADDR",
            "--listen-addr",
            format!("cannot listen on {addr}: {e}"),
        )
    })
}

/// `app` plus `/healthz`, `/readyz`, `/metrics`, request ids (`x-request-id`, generated
/// when the client sends none), request tracing and HTTP metrics on every route.
pub fn with_standard_routes(
    app: Router,
    readiness: Arc<Readiness>,
    metrics: Arc<Metrics>,
) -> Router {
    let probes = Router::new()
        .route("/healthz", get(probes::healthz))
        .route("/readyz", get(probes::readyz))
        .with_state(readiness);
    let scrape = Router::new()
        .route("/metrics", get(metrics::serve_metrics))
        .with_state(Arc::clone(&metrics));
    app.merge(probes)
        .merge(scrape)
        .layer(axum::middleware::from_fn_with_state(
            metrics,
            metrics::track_http,
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &axum::http::Request<_>| {
                    let id = request
                        .headers()
                        .get(&REQUEST_ID)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default();
                    tracing::info_span!("request", method = %request.method(), uri = %request.uri(), request_id = %id)
                })
                // A 503 from /readyz is an answer, not a failure; real errors are logged
                // with their context where they happen.
                .on_failure(DefaultOnFailure::new().level(Level::DEBUG)),
        )
        .layer(axum::middleware::map_response(security_headers))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}

/// Serves `app` with the standard routes until SIGTERM or Ctrl-C, then drains for `grace`.
/// Logs the bound address as `listening` with an `addr` field (tests read it).
pub async fn run(
    listener: TcpListener,
    app: Router,
    readiness: Arc<Readiness>,
    metrics: Arc<Metrics>,
    grace: Duration,
) -> std::io::Result<()> {
    let app = with_standard_routes(app, Arc::clone(&readiness), metrics);
    tracing::info!(addr = %listener.local_addr()?, "listening");
    serve(listener, app, readiness, shutdown_signal(), grace).await?;
    tracing::info!("stopped serving");
    Ok(())
}

/// Headers on every response: no MIME sniffing, no framing, no referrer, no caching of
/// API answers, and a content policy that lets a JSON response load nothing. A route may
/// set its own `Cache-Control` or `Content-Security-Policy`.
async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(
            "default-src 'none'; frame-ancestors 'none'",
        ));
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}

/// Serves until `shutdown` completes, then drains: readiness turns 503, the listener closes,
/// in-flight requests get up to `grace` to finish.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    readiness: Arc<Readiness>,
    shutdown: impl Future<Output = ()> + Send + 'static,
    grace: Duration,
) -> std::io::Result<()> {
    let draining = Arc::new(Notify::new());
    let signalled = {
        let draining = Arc::clone(&draining);
        async move {
            shutdown.await;
            tracing::info!(
                grace_seconds = grace.as_secs_f64(),
                "shutting down: draining in-flight requests"
            );
            readiness.start_draining();
            draining.notify_one();
        }
    };
    let server = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(signalled);
    tokio::select! {
        result = server => result,
        () = async { draining.notified().await; tokio::time::sleep(grace).await } => {
            tracing::warn!("grace period over: abandoning requests still in flight");
            Ok(())
        }
    }
}

/// Completes on SIGTERM (Kubernetes, systemd, `kill`) or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::sync::oneshot;

    async fn start(
        grace: Duration,
        handler_sleep: Duration,
    ) -> (
        SocketAddr,
        oneshot::Sender<()>,
        tokio::task::JoinHandle<std::io::Result<()>>,
    ) {
        let listener = bind("127.0.0.1:0".parse().expect("valid"))
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let readiness = Arc::new(Readiness::new(vec![], Duration::from_secs(1)));
        let app = Router::new().route(
            "/slow",
            get(move || async move {
                tokio::time::sleep(handler_sleep).await;
                "done"
            }),
        );
        let app = with_standard_routes(app, Arc::clone(&readiness), Arc::new(Metrics::new("test")));
        let (tx, rx) = oneshot::channel::<()>();
        let shutdown = async move {
            let _ = rx.await;
        };
        let server = tokio::spawn(serve(listener, app, readiness, shutdown, grace));
        (addr, tx, server)
    }

    #[tokio::test]
    async fn an_in_flight_request_completes_after_shutdown_starts() {
        let (addr, stop, server) = start(Duration::from_secs(10), Duration::from_millis(500)).await;
        let request = tokio::spawn(reqwest::get(format!("http://{addr}/slow")));
        tokio::time::sleep(Duration::from_millis(150)).await;
        stop.send(()).expect("server alive");

        let response = request.await.expect("join").expect("request finished");
        assert_eq!(response.status(), 200);
        assert_eq!(response.text().await.expect("body"), "done");
        server.await.expect("join").expect("clean exit");
        assert!(
            reqwest::get(format!("http://{addr}/healthz"))
                .await
                .is_err(),
            "no new connections after shutdown"
        );
    }

    #[tokio::test]
    async fn shutdown_gives_up_on_requests_that_outlast_the_grace_period() {
        let (addr, stop, server) = start(Duration::from_millis(200), Duration::from_secs(30)).await;
        let _request = tokio::spawn(reqwest::get(format!("http://{addr}/slow")));
        tokio::time::sleep(Duration::from_millis(100)).await;
        stop.send(()).expect("server alive");
        tokio::time::timeout(Duration::from_secs(5), server)
            .await
            .expect("serve returned after the grace period")
            .expect("join")
            .expect("clean exit");
    }

    #[tokio::test]
    async fn every_response_carries_a_request_id_and_is_counted() {
        let (addr, _stop, _server) = start(Duration::from_secs(1), Duration::ZERO).await;
        let response = reqwest::get(format!("http://{addr}/healthz"))
            .await
            .expect("get");
        assert_eq!(response.status(), 200);
        assert!(response.headers().contains_key("x-request-id"));
        for (name, value) in [
            ("x-content-type-options", "nosniff"),
            ("x-frame-options", "DENY"),
            ("referrer-policy", "no-referrer"),
            ("cache-control", "no-store"),
        ] {
            assert_eq!(response.headers()[name], value, "{name}");
        }

        let metrics = reqwest::get(format!("http://{addr}/metrics"))
            .await
            .expect("get")
            .text()
            .await
            .expect("body");
        assert!(
            metrics.contains(
                r#"financetracker_test_http_requests_total{method="GET",route="/healthz",status="200"} 1"#
            ),
            "{metrics}"
        );
        assert!(
            metrics.contains("financetracker_test_build_info{version="),
            "{metrics}"
        );
    }

    #[tokio::test]
    async fn a_taken_port_is_a_config_error_naming_the_setting() {
        let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let err = bind(taken.local_addr().expect("addr"))
            .await
            .expect_err("port is taken");
        assert!(
            err.to_string()
                .starts_with("invalid LISTEN_ADDR (--listen-addr): cannot listen on 127.0.0.1:")
        );
    }
}
