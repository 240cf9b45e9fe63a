//! The relay: publishes committed events from the outbox to Redis, in the order they were
//! recorded, each once. Every API process runs one; one at a time leads, elected by a
//! Postgres advisory lock on its own connection (a leader that dies releases it with its
//! connection, and another takes over within [`RETRY`]). The leader wakes on the outbox's
//! notification (or every [`POLL`]), and publishes each event with one Lua script that
//! appends it to the ledger's stream, trims the stream to the replay window and announces
//! it on the live channel, all unless Redis already remembers publishing that event (a
//! leader that died between publishing and marking). It stops at the first failure, so a
//! Redis outage holds the rest back in order until Redis answers again.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use service_kit::events::{LIVE_CHANNEL, OUTBOX_CHANNEL, stream_key};
use service_kit::stores::LazyRedis;
use sqlx::PgPool;
use sqlx::postgres::PgListener;
use tokio::sync::watch;
use uuid::Uuid;

use super::metrics::RealtimeMetrics;

/// The advisory lock the leading relay holds (`ft_relay` in ASCII).
const LOCK_KEY: i64 = 0x0066_745f_7265_6c61;
/// How often a follower tries to take the lead.
pub const RETRY: Duration = Duration::from_secs(2);
/// How often the leader looks at the outbox without a notification.
const POLL: Duration = Duration::from_secs(1);
/// Events read from the outbox at a time.
const BATCH: i64 = 256;
/// Events a ledger's stream keeps at most, however young.
const STREAM_MAX_LEN: u64 = 10_000;
const PRUNE_EVERY: Duration = Duration::from_mins(1);

/// Appends one event to its ledger's stream and announces it, once per event id.
/// KEYS: the "published" marker, the stream. ARGV: type, ledger id, data, recorded at (ms),
/// replay window (ms), the stream's length cap, the live channel.
const PUBLISH: &str = r"
local done = redis.call('GET', KEYS[1])
if done then return done end
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local oldest = tostring(now_ms - tonumber(ARGV[5]))
local id = redis.call('XADD', KEYS[2], 'MINID', '~', oldest, '*',
    'type', ARGV[1], 'ledger_id', ARGV[2], 'data', ARGV[3], 'at', ARGV[4])
redis.call('XTRIM', KEYS[2], 'MAXLEN', '~', ARGV[6])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
redis.call('SET', KEYS[1], id, 'PX', ARGV[5])
redis.call('PUBLISH', ARGV[7], id .. '\n' .. ARGV[4] .. '\n' .. ARGV[2] .. '\n' .. ARGV[1] .. '\n' .. ARGV[3])
return id
";

/// What `/readyz` says of the relay.
#[derive(Debug, Default)]
pub struct RelayStatus {
    /// Whether this process leads.
    pub leading: AtomicBool,
    /// The last publishing failure, cleared by the next success.
    pub failing: std::sync::Mutex<Option<String>>,
}

#[derive(Debug)]
pub struct Relay {
    pub db: PgPool,
    pub redis: LazyRedis,
    /// How long events stay replayable (the streams' and published outbox rows' age limit).
    pub window: Duration,
    pub metrics: RealtimeMetrics,
    pub status: Arc<RelayStatus>,
}

#[derive(Debug)]
struct Outgoing {
    seq: i64,
    id: Uuid,
    ledger_id: Uuid,
    kind: String,
    data: String,
    recorded_at_ms: i64,
}

impl Relay {
    /// Relays until `stop` turns true: leads when it can, stands by otherwise.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        let mut script = None;
        while !*stop.borrow() {
            let outcome = tokio::select! {
                outcome = self.lead(&mut script) => outcome,
                _ = stop.wait_for(|stop| *stop) => break,
            };
            self.status.leading.store(false, Ordering::Relaxed);
            if let Err(e) = outcome {
                tracing::warn!(error = %e, "event relay: cannot lead; retrying");
            }
            tokio::select! {
                () = tokio::time::sleep(RETRY) => {}
                _ = stop.wait_for(|stop| *stop) => break,
            }
        }
    }

    /// Takes the lead if nobody has it and relays until the lock's connection is lost.
    /// Returns at once when another process leads.
    async fn lead(&self, script: &mut Option<String>) -> Result<(), sqlx::Error> {
        let mut listener = PgListener::connect_with(&self.db).await?;
        let leading =
            sqlx::query_scalar!(r#"SELECT pg_try_advisory_lock($1) AS "locked!""#, LOCK_KEY)
                .fetch_one(&mut listener)
                .await?;
        if !leading {
            return Ok(());
        }
        listener.listen(OUTBOX_CHANNEL).await?;
        self.status.leading.store(true, Ordering::Relaxed);
        tracing::info!("event relay: leading");
        let mut pruned = Instant::now()
            .checked_sub(PRUNE_EVERY)
            .unwrap_or_else(Instant::now);
        loop {
            match self.drain(script).await {
                Ok(()) => *self.status.failing.lock().expect("never poisoned") = None,
                Err(e) => {
                    tracing::warn!(error = %e, "event relay: cannot publish; events wait in the outbox");
                    *self.status.failing.lock().expect("never poisoned") = Some(e);
                }
            }
            if let Ok(backlog) = sqlx::query_scalar!(
                r#"SELECT count(*) AS "count!" FROM event_outbox WHERE published_at IS NULL"#
            )
            .fetch_one(&self.db)
            .await
            {
                self.metrics.backlog.set(backlog);
            }
            if pruned.elapsed() >= PRUNE_EVERY {
                pruned = Instant::now();
                self.prune().await?;
            }
            match tokio::time::timeout(POLL, listener.try_recv()).await {
                // Woken by a commit, or time to look anyway.
                Ok(Ok(Some(_))) | Err(_) => {}
                // The connection, and with it the lock, is gone.
                Ok(Ok(None)) => {
                    tracing::warn!("event relay: lost the lead with its database connection");
                    return Ok(());
                }
                Ok(Err(e)) => return Err(e),
            }
        }
    }

    /// Publishes every unpublished event in order; stops at the first that fails.
    async fn drain(&self, script: &mut Option<String>) -> Result<(), String> {
        loop {
            let batch = sqlx::query_as!(
                Outgoing,
                r#"SELECT seq, id, ledger_id, type AS kind, data::text AS "data!",
                          (extract(epoch FROM recorded_at) * 1000)::int8 AS "recorded_at_ms!"
                   FROM event_outbox WHERE published_at IS NULL ORDER BY seq LIMIT $1"#,
                BATCH,
            )
            .fetch_all(&self.db)
            .await
            .map_err(|e| e.to_string())?;
            let mut published = (Vec::new(), Vec::new());
            let mut failure = None;
            for event in &batch {
                match self.publish(script, event).await {
                    Ok(stream_id) => {
                        published.0.push(event.seq);
                        published.1.push(stream_id);
                    }
                    Err(e) => {
                        failure = Some(e);
                        break;
                    }
                }
            }
            if !published.0.is_empty() {
                sqlx::query!(
                    "UPDATE event_outbox o SET published_at = now(), stream_id = p.stream_id
                     FROM unnest($1::int8[], $2::text[]) AS p(seq, stream_id) WHERE o.seq = p.seq",
                    &published.0,
                    &published.1,
                )
                .execute(&self.db)
                .await
                .map_err(|e| e.to_string())?;
                self.metrics.published.inc_by(published.0.len() as u64);
            }
            if let Some(e) = failure {
                return Err(e);
            }
            if batch.len() < usize::try_from(BATCH).unwrap_or(usize::MAX) {
                return Ok(());
            }
        }
    }

    /// Runs the script for one event (loading it into Redis first when Redis lacks it);
    /// returns the stream id the event has.
    async fn publish(
        &self,
        script: &mut Option<String>,
        event: &Outgoing,
    ) -> Result<String, String> {
        let window_ms = u64::try_from(self.window.as_millis()).unwrap_or(u64::MAX);
        for _ in 0..2 {
            let sha = if let Some(sha) = script {
                sha.clone()
            } else {
                let sha: String = self
                    .redis
                    .query(redis::cmd("SCRIPT").arg("LOAD").arg(PUBLISH))
                    .await?;
                script.insert(sha).clone()
            };
            let mut command = redis::cmd("EVALSHA");
            command
                .arg(sha)
                .arg(2)
                .arg(format!("ft:events:published:{}", event.id))
                .arg(stream_key(event.ledger_id))
                .arg(&event.kind)
                .arg(event.ledger_id.to_string())
                .arg(&event.data)
                .arg(event.recorded_at_ms)
                .arg(window_ms)
                .arg(STREAM_MAX_LEN)
                .arg(LIVE_CHANNEL);
            match self.redis.query::<String>(&command).await {
                // A restarted Redis has forgotten the script.
                Err(e) if e.starts_with("NOSCRIPT") => *script = None,
                outcome => return outcome,
            }
        }
        Err("Redis keeps forgetting the publishing script".to_owned())
    }

    /// Deletes published events older than the replay window.
    async fn prune(&self) -> Result<(), sqlx::Error> {
        let pruned = sqlx::query!(
            "DELETE FROM event_outbox
             WHERE published_at IS NOT NULL AND published_at < now() - make_interval(secs => $1)",
            self.window.as_secs_f64(),
        )
        .execute(&self.db)
        .await?
        .rows_affected();
        if pruned > 0 {
            tracing::debug!(
                pruned,
                "event relay: published events past the replay window deleted"
            );
        }
        Ok(())
    }
}
