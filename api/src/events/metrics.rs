//! The real-time metrics: `financetracker_api_ws_*` for sockets and
//! `financetracker_api_events_*` for the outbox and its delivery.

use prometheus::{Histogram, HistogramOpts, IntCounter, IntCounterVec, IntGauge, Opts};
use service_kit::metrics::Metrics;

#[derive(Debug, Clone)]
pub struct RealtimeMetrics {
    /// Open WebSocket connections.
    pub connections: IntGauge,
    /// Sockets the server closed, by reason.
    pub dropped: IntCounterVec,
    /// Event messages written to sockets (one per event per socket).
    pub delivered: IntCounter,
    /// Events the relay published to Redis.
    pub published: IntCounter,
    /// Events recorded but not yet published.
    pub backlog: IntGauge,
    /// Times the live subscription was established (more than once: it was lost).
    pub subscriptions: IntCounter,
    /// From the write's commit (its event recorded just before) to the event written to a
    /// socket.
    pub commit_to_send: Histogram,
}

impl RealtimeMetrics {
    /// Creates the metrics and registers them with `metrics` (the API's registry).
    pub fn new(metrics: &Metrics) -> Self {
        let ns = metrics.namespace();
        let created = Self {
            connections: IntGauge::new(format!("{ns}_ws_connections"), "Open WebSockets.")
                .expect("static metric definition is valid"),
            dropped: IntCounterVec::new(
                Opts::new(
                    format!("{ns}_ws_clients_dropped_total"),
                    "WebSockets the server closed, by reason: slow, dead (no pong), \
                     session_ended, protocol, shutdown, unavailable.",
                ),
                &["reason"],
            )
            .expect("static metric definition is valid"),
            delivered: IntCounter::new(
                format!("{ns}_events_delivered_total"),
                "Event messages written to WebSockets (one per event per socket).",
            )
            .expect("static metric definition is valid"),
            published: IntCounter::new(
                format!("{ns}_events_published_total"),
                "Events the relay published from the outbox to Redis.",
            )
            .expect("static metric definition is valid"),
            subscriptions: IntCounter::new(
                format!("{ns}_events_subscriptions_total"),
                "Times this process subscribed to live events (each one after the first \
                 followed a lost connection to Redis).",
            )
            .expect("static metric definition is valid"),
            backlog: IntGauge::new(
                format!("{ns}_events_outbox_backlog"),
                "Events recorded in the outbox and not yet published (as the relay saw last).",
            )
            .expect("static metric definition is valid"),
            commit_to_send: Histogram::with_opts(
                HistogramOpts::new(
                    format!("{ns}_events_commit_to_send_seconds"),
                    "Time from a write's commit to its event written to a WebSocket.",
                )
                .buckets(vec![
                    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
                ]),
            )
            .expect("static metric definition is valid"),
        };
        metrics.register(Box::new(created.connections.clone()));
        metrics.register(Box::new(created.dropped.clone()));
        metrics.register(Box::new(created.delivered.clone()));
        metrics.register(Box::new(created.published.clone()));
        metrics.register(Box::new(created.backlog.clone()));
        metrics.register(Box::new(created.subscriptions.clone()));
        metrics.register(Box::new(created.commit_to_send.clone()));
        // Every reason shows from the start, at zero.
        for reason in [
            "slow",
            "dead",
            "session_ended",
            "protocol",
            "shutdown",
            "unavailable",
        ] {
            created.dropped.with_label_values(&[reason]);
        }
        created
    }
}
