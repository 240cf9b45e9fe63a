//! Live updates. A write records its events in its own transaction ([`record`], the
//! outbox); the relay publishes committed events to Redis in order, once; the hub of every
//! API process hands them to its WebSocket connections, each of which can resume from the
//! last event it saw. Redis holds the fan-out and the replay window, never the only copy.

pub mod catalogue;
pub mod hub;
pub mod metrics;
pub mod protocol;
pub mod relay;
pub mod routes;
pub mod socket;
pub mod ticket;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use service_kit::probes::{Check, CheckFuture};
use service_kit::stores::LazyRedis;
use sqlx::PgPool;
use tokio::sync::watch;
use uuid::Uuid;

pub use self::catalogue::Event;
use self::hub::Hub;
use self::metrics::RealtimeMetrics;
use self::protocol::CloseReason;
use self::relay::{Relay, RelayStatus};

/// Records `event` of `ledger_id` on `conn`, inside the transaction of the write it
/// announces: it is published if and only if that transaction commits.
pub async fn record(
    conn: &mut sqlx::PgConnection,
    ledger_id: Uuid,
    event: &Event,
) -> Result<(), sqlx::Error> {
    let data = event
        .data_json()
        .map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    service_kit::events::record_json(conn, ledger_id, event.kind(), &data).await
}

/// The real-time settings (`RealtimeArgs` checked).
#[derive(Debug, Clone)]
pub struct RealtimeSettings {
    /// Origins whose pages may open a WebSocket; empty: the server's own origin only.
    pub public_origins: Vec<String>,
    /// How long events can be replayed after they happen.
    pub replay_window: Duration,
    pub ping_interval: Duration,
    /// Events a socket may have waiting before it counts as too slow.
    pub client_buffer: usize,
    pub ticket_ttl: Duration,
    /// How often sessions and memberships of open sockets are checked in the database.
    pub recheck_every: Duration,
}

/// Live updates in one API process: its hub, and what its sockets need.
#[derive(Debug)]
pub struct Realtime {
    pub hub: Arc<Hub>,
    pub redis: LazyRedis,
    pub settings: RealtimeSettings,
    pub metrics: RealtimeMetrics,
    pub relay: Arc<RelayStatus>,
    /// Turns true at shutdown: the relay stops.
    stopping: watch::Sender<bool>,
}

impl Realtime {
    /// Starts the relay, the live subscription and the periodic check in the background.
    pub fn start(
        db: &PgPool,
        redis: LazyRedis,
        settings: RealtimeSettings,
        metrics: &service_kit::metrics::Metrics,
    ) -> Arc<Self> {
        let metrics = RealtimeMetrics::new(metrics);
        let hub = Hub::new(settings.client_buffer, metrics.clone());
        let relay = Arc::new(RelayStatus::default());
        let (stopping, stop) = watch::channel(false);
        tokio::spawn(
            Relay {
                db: db.clone(),
                redis: redis.clone(),
                window: settings.replay_window,
                metrics: metrics.clone(),
                status: Arc::clone(&relay),
            }
            .run(stop),
        );
        tokio::spawn(Arc::clone(&hub).subscribe(redis.client().clone()));
        tokio::spawn(Arc::clone(&hub).recheck_forever(db.clone(), settings.recheck_every));
        Arc::new(Self {
            hub,
            redis,
            settings,
            metrics,
            relay,
            stopping,
        })
    }

    /// When `draining` turns true (the server shuts down): stops relaying and closes every
    /// socket with 1001, so clients reconnect to another instance.
    pub async fn close_when(self: Arc<Self>, mut draining: watch::Receiver<bool>) {
        if draining.wait_for(|draining| *draining).await.is_ok() {
            self.stopping.send_replace(true);
            self.hub.close_all(CloseReason::GoingAway);
        }
    }

    /// Waits until every socket has closed, at most `within`.
    pub async fn closed(&self, within: Duration) {
        let started = tokio::time::Instant::now();
        while !self.hub.is_empty() && started.elapsed() < within {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// `/readyz`'s `realtime` detail: optional (the API serves without it), failing while live
/// updates are degraded: the subscription is down, or committed events wait unpublished.
#[derive(Debug)]
pub struct RealtimeCheck {
    pub realtime: Arc<Realtime>,
    pub db: PgPool,
}

impl Check for RealtimeCheck {
    fn name(&self) -> &'static str {
        "realtime"
    }

    fn required(&self) -> bool {
        false
    }

    fn check(&self) -> CheckFuture<'_> {
        Box::pin(async move {
            if !self.realtime.hub.subscribed.load(Ordering::SeqCst) {
                return Err(
                    "degraded: not subscribed to live events (Redis unreachable?); sockets catch up when it returns"
                        .to_owned(),
                );
            }
            let waiting = sqlx::query!(
                r#"SELECT count(*) AS "events!",
                          COALESCE(extract(epoch FROM now() - min(recorded_at)), 0)::float8 AS "oldest_seconds!"
                   FROM event_outbox WHERE published_at IS NULL"#
            )
            .fetch_one(&self.db)
            .await
            .map_err(|e| format!("cannot read the event outbox: {e}"))?;
            if waiting.events > 0 && waiting.oldest_seconds > 5.0 {
                let why = self
                    .realtime
                    .relay
                    .failing
                    .lock()
                    .expect("never poisoned")
                    .clone()
                    .unwrap_or_else(|| "no relay is publishing".to_owned());
                return Err(format!(
                    "degraded: {} events wait to be published, the oldest for {:.0} s ({why})",
                    waiting.events, waiting.oldest_seconds
                ));
            }
            Ok(())
        })
    }
}
