//! The hub: this process's open sockets, and what reaches them. One Redis subscription per
//! process receives every published event ([`LIVE_CHANNEL`]) and every ended session
//! ([`CREDENTIALS_ENDED_CHANNEL`]); the hub hands each event to the sockets that carry its
//! ledger, through a bounded buffer per socket (a socket whose buffer is full is closed as
//! too slow; the others are not held up). When the subscription is re-established after an
//! outage, every socket catches up from its own last ids. Membership follows the database:
//! membership events change which sockets carry a ledger at once, and a periodic check
//! ([`Hub::recheck`]) corrects anything an outage hid, and closes sockets whose session has
//! ended or expired.

use std::collections::{HashMap, HashSet};
use std::convert::Infallible;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::extract::ws::Utf8Bytes;
use futures_util::StreamExt;
use serde::Deserialize;
use service_kit::events::LIVE_CHANNEL;
use service_kit::stores::LazyRedis;
use sqlx::PgPool;
use tokio::sync::{mpsc, watch};
use uuid::Uuid;

use super::metrics::RealtimeMetrics;
use super::protocol::{Announced, CloseReason, StreamId, event_frame, parse_announcement};

/// Where the API announces a session (refresh-token family) or personal access token that
/// ended, so every process closes the sockets opened with it at once.
pub const CREDENTIALS_ENDED_CHANNEL: &str = "ft:credentials:ended";

/// How often the subscription's connection is pinged; a ping unanswered this long means
/// the connection is dead and is replaced.
const SUBSCRIPTION_PING: Duration = Duration::from_secs(5);

/// One event on its way to sockets.
#[derive(Debug)]
pub struct LiveEvent {
    pub ledger_id: Uuid,
    pub id: StreamId,
    /// The text frame, built once for every socket.
    pub frame: Utf8Bytes,
    pub recorded_at_ms: i64,
    pub membership: Option<Membership>,
}

/// What an event changes about who follows its ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Membership {
    Added(Uuid),
    Removed(Uuid),
    LedgerDeleted,
}

/// What the hub hands a socket.
#[derive(Debug)]
pub enum Delivery {
    Event(Arc<LiveEvent>),
    /// The subscription was (re-)established: live events may have been missed meanwhile.
    CatchUp,
    /// Start carrying `ledger`, found by the periodic check: the client's view of it is
    /// unknown, so it is told to refetch (resync).
    Follow(Uuid),
    Unfollow(Uuid),
}

/// A socket's place in the hub; dropping it takes the socket out.
#[derive(Debug)]
pub struct Registration {
    id: u64,
    hub: Arc<Hub>,
    pub deliveries: mpsc::Receiver<Delivery>,
    /// Set when the server closes the socket: why.
    pub close: watch::Receiver<Option<CloseReason>>,
}

impl Drop for Registration {
    fn drop(&mut self) {
        let mut registry = self.hub.registry.write().expect("never poisoned");
        registry.remove(self.id);
    }
}

#[derive(Debug)]
struct Socket {
    user_id: Uuid,
    credential: Uuid,
    ledgers: HashSet<Uuid>,
    deliveries: mpsc::Sender<Delivery>,
    close: watch::Sender<Option<CloseReason>>,
}

#[derive(Debug, Default)]
struct Registry {
    sockets: HashMap<u64, Socket>,
    by_ledger: HashMap<Uuid, HashSet<u64>>,
    by_user: HashMap<Uuid, HashSet<u64>>,
    by_credential: HashMap<Uuid, HashSet<u64>>,
}

impl Registry {
    fn follow(&mut self, socket: u64, ledger: Uuid) {
        if let Some(s) = self.sockets.get_mut(&socket)
            && s.ledgers.insert(ledger)
        {
            self.by_ledger.entry(ledger).or_default().insert(socket);
        }
    }

    fn unfollow(&mut self, socket: u64, ledger: Uuid) {
        if let Some(s) = self.sockets.get_mut(&socket) {
            s.ledgers.remove(&ledger);
        }
        if let Some(set) = self.by_ledger.get_mut(&ledger) {
            set.remove(&socket);
            if set.is_empty() {
                self.by_ledger.remove(&ledger);
            }
        }
    }

    fn remove(&mut self, socket: u64) {
        let Some(s) = self.sockets.remove(&socket) else {
            return;
        };
        for ledger in &s.ledgers {
            if let Some(set) = self.by_ledger.get_mut(ledger) {
                set.remove(&socket);
                if set.is_empty() {
                    self.by_ledger.remove(ledger);
                }
            }
        }
        for (index, key) in [
            (&mut self.by_user, s.user_id),
            (&mut self.by_credential, s.credential),
        ] {
            if let Some(set) = index.get_mut(&key) {
                set.remove(&socket);
                if set.is_empty() {
                    index.remove(&key);
                }
            }
        }
    }

    fn of_user(&self, user: Uuid) -> Vec<u64> {
        self.by_user
            .get(&user)
            .map(|s| s.iter().copied().collect())
            .unwrap_or_default()
    }
}

#[derive(Debug)]
pub struct Hub {
    registry: RwLock<Registry>,
    next_id: AtomicU64,
    /// Deliveries a socket may have waiting before it counts as too slow.
    buffer: usize,
    metrics: RealtimeMetrics,
    /// Whether the live subscription is up (`/readyz` says degraded otherwise).
    pub subscribed: AtomicBool,
    /// Bumped by every membership event, so a periodic check that read the database
    /// before one does not undo it.
    membership_epoch: AtomicU64,
}

impl Hub {
    pub fn new(buffer: usize, metrics: RealtimeMetrics) -> Arc<Self> {
        Arc::new(Self {
            registry: RwLock::default(),
            next_id: AtomicU64::new(1),
            buffer: buffer.max(1),
            metrics,
            subscribed: AtomicBool::new(false),
            membership_epoch: AtomicU64::new(0),
        })
    }

    /// Adds a socket of `user_id`, opened with `credential` (a session id or a personal
    /// access token's id), carrying `ledgers`.
    pub fn register(
        self: &Arc<Self>,
        user_id: Uuid,
        credential: Uuid,
        ledgers: &HashSet<Uuid>,
    ) -> Registration {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (deliveries, receiver) = mpsc::channel(self.buffer);
        let (close, close_receiver) = watch::channel(None);
        let mut registry = self.registry.write().expect("never poisoned");
        registry.sockets.insert(
            id,
            Socket {
                user_id,
                credential,
                ledgers: HashSet::new(),
                deliveries,
                close,
            },
        );
        registry.by_user.entry(user_id).or_default().insert(id);
        registry
            .by_credential
            .entry(credential)
            .or_default()
            .insert(id);
        for ledger in ledgers {
            registry.follow(id, *ledger);
        }
        Registration {
            id,
            hub: Arc::clone(self),
            deliveries: receiver,
            close: close_receiver,
        }
    }

    /// Open sockets.
    pub fn len(&self) -> usize {
        self.registry.read().expect("never poisoned").sockets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Hands `delivery` to a socket; one whose buffer is full is closed as too slow.
    fn deliver(registry: &Registry, socket: u64, delivery: Delivery) {
        if let Some(s) = registry.sockets.get(&socket)
            && s.deliveries.try_send(delivery).is_err()
        {
            s.close.send_if_modified(|reason| {
                let first = reason.is_none();
                reason.get_or_insert(CloseReason::TooSlow);
                first
            });
        }
    }

    /// Sends a published event to the sockets that carry its ledger, first updating who
    /// carries it when the event is about membership.
    pub fn dispatch(&self, event: LiveEvent) {
        let event = Arc::new(event);
        let ledger = event.ledger_id;
        if let Some(change) = event.membership {
            self.membership_epoch.fetch_add(1, Ordering::SeqCst);
            let mut registry = self.registry.write().expect("never poisoned");
            if let Membership::Added(user) = change {
                for socket in registry.of_user(user) {
                    registry.follow(socket, ledger);
                }
            }
            let followers: Vec<u64> = registry
                .by_ledger
                .get(&ledger)
                .map(|s| s.iter().copied().collect())
                .unwrap_or_default();
            for socket in &followers {
                Self::deliver(&registry, *socket, Delivery::Event(Arc::clone(&event)));
            }
            let leaving = match change {
                Membership::Added(_) => Vec::new(),
                Membership::Removed(user) => registry.of_user(user),
                Membership::LedgerDeleted => followers,
            };
            for socket in leaving {
                registry.unfollow(socket, ledger);
            }
            return;
        }
        let registry = self.registry.read().expect("never poisoned");
        if let Some(followers) = registry.by_ledger.get(&ledger) {
            for socket in followers {
                Self::deliver(&registry, *socket, Delivery::Event(Arc::clone(&event)));
            }
        }
    }

    /// Closes every socket opened with `credential`.
    pub fn end_credential(&self, credential: Uuid) {
        let registry = self.registry.read().expect("never poisoned");
        for socket in registry
            .by_credential
            .get(&credential)
            .into_iter()
            .flatten()
        {
            if let Some(s) = registry.sockets.get(socket) {
                s.close.send_replace(Some(CloseReason::SessionEnded));
            }
        }
    }

    /// Closes every socket with `reason` (at shutdown).
    pub fn close_all(&self, reason: CloseReason) {
        let registry = self.registry.read().expect("never poisoned");
        for s in registry.sockets.values() {
            s.close.send_replace(Some(reason));
        }
    }

    /// Tells every socket to catch up (the subscription was down, events may be missed).
    fn catch_up_all(&self) {
        let registry = self.registry.read().expect("never poisoned");
        for socket in registry.sockets.keys() {
            Self::deliver(&registry, *socket, Delivery::CatchUp);
        }
    }

    /// Keeps the live subscription up, forever: dispatches what arrives; after every
    /// (re-)connection tells the sockets to catch up.
    pub async fn subscribe(self: Arc<Self>, client: redis::Client) {
        self.subscribe_pinging(client, SUBSCRIPTION_PING).await;
    }

    /// [`Hub::subscribe`], pinging the subscription's connection every `ping`.
    pub async fn subscribe_pinging(self: Arc<Self>, client: redis::Client, ping: Duration) {
        let first_delay = Duration::from_millis(250);
        let mut delay = first_delay;
        loop {
            let Err(e) = self.subscription(&client, ping).await;
            tracing::warn!(error = %e, "live events: subscription lost; reconnecting");
            // A subscription that was up starts the backoff afresh.
            if self.subscribed.swap(false, Ordering::SeqCst) {
                delay = first_delay;
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(Duration::from_secs(5));
        }
    }

    /// One subscription, until its connection fails.
    async fn subscription(
        &self,
        client: &redis::Client,
        ping: Duration,
    ) -> Result<Infallible, String> {
        let connect = client.get_async_pubsub();
        let mut pubsub = tokio::time::timeout(ping, connect)
            .await
            .map_err(|_| format!("no connection within {ping:?}"))?
            .map_err(|e| e.to_string())?;
        pubsub
            .subscribe(LIVE_CHANNEL)
            .await
            .map_err(|e| e.to_string())?;
        pubsub
            .subscribe(CREDENTIALS_ENDED_CHANNEL)
            .await
            .map_err(|e| e.to_string())?;
        let (mut sink, mut messages) = pubsub.split();
        self.subscribed.store(true, Ordering::SeqCst);
        self.metrics.subscriptions.inc();
        tracing::info!("live events: subscribed");
        self.catch_up_all();
        let mut pings = tokio::time::interval(ping);
        pings.tick().await;
        loop {
            tokio::select! {
                message = messages.next() => {
                    let Some(message) = message else {
                        return Err("the connection closed".to_owned());
                    };
                    let Ok(payload) = message.get_payload::<String>() else {
                        continue;
                    };
                    if message.get_channel_name() == CREDENTIALS_ENDED_CHANNEL {
                        if let Ok(credential) = payload.parse() {
                            self.end_credential(credential);
                        }
                    } else if let Some(event) = parse_announcement(&payload).map(live_event) {
                        self.dispatch(event);
                    } else {
                        tracing::warn!("live events: an announcement could not be read");
                    }
                }
                _ = pings.tick() => {
                    // In subscribed mode Redis answers a ping with ["pong", ""].
                    match tokio::time::timeout(ping, sink.ping::<redis::Value>()).await {
                        Ok(Ok(_)) => {}
                        Ok(Err(e)) => return Err(e.to_string()),
                        Err(_) => return Err("Redis did not answer a ping".to_owned()),
                    }
                }
            }
        }
    }

    /// Every `every`: closes sockets whose session or token has ended or expired, and makes
    /// each socket carry exactly its user's ledgers (membership events do that at once;
    /// this repairs what an outage hid).
    pub async fn recheck_forever(self: Arc<Self>, db: PgPool, every: Duration) {
        let mut tick = tokio::time::interval(every);
        tick.tick().await;
        loop {
            tick.tick().await;
            if let Err(e) = self.recheck(&db).await {
                tracing::warn!(error = %e, "live events: cannot check sessions and memberships");
            }
        }
    }

    pub async fn recheck(&self, db: &PgPool) -> Result<(), sqlx::Error> {
        let (users, credentials) = {
            let registry = self.registry.read().expect("never poisoned");
            (
                registry.by_user.keys().copied().collect::<Vec<_>>(),
                registry.by_credential.keys().copied().collect::<Vec<_>>(),
            )
        };
        if users.is_empty() {
            return Ok(());
        }
        let live: HashSet<Uuid> = sqlx::query_scalar!(
            r#"SELECT family_id AS "id!" FROM refresh_tokens
               WHERE family_id = ANY($1) AND revoked_at IS NULL AND expires_at > now()
               UNION
               SELECT id FROM personal_access_tokens
               WHERE id = ANY($1) AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())"#,
            &credentials,
        )
        .fetch_all(db)
        .await?
        .into_iter()
        .collect();
        for credential in credentials.iter().filter(|c| !live.contains(c)) {
            self.end_credential(*credential);
        }
        let epoch = self.membership_epoch.load(Ordering::SeqCst);
        let rows = sqlx::query!(
            "SELECT user_id, ledger_id FROM ledger_members WHERE user_id = ANY($1)",
            &users,
        )
        .fetch_all(db)
        .await?;
        let mut member_of: HashMap<Uuid, HashSet<Uuid>> = HashMap::new();
        for row in rows {
            member_of
                .entry(row.user_id)
                .or_default()
                .insert(row.ledger_id);
        }
        let mut registry = self.registry.write().expect("never poisoned");
        if self.membership_epoch.load(Ordering::SeqCst) != epoch {
            // A membership event came in while we read: the next check looks again.
            return Ok(());
        }
        let none = HashSet::new();
        let changes: Vec<(u64, Vec<Uuid>, Vec<Uuid>)> = registry
            .sockets
            .iter()
            .map(|(id, s)| {
                let wanted = member_of.get(&s.user_id).unwrap_or(&none);
                (
                    *id,
                    wanted
                        .difference(&s.ledgers)
                        .copied()
                        .collect::<Vec<Uuid>>(),
                    s.ledgers.difference(wanted).copied().collect::<Vec<Uuid>>(),
                )
            })
            .filter(|(_, add, drop)| !add.is_empty() || !drop.is_empty())
            .collect();
        for (socket, add, drop) in changes {
            for ledger in add {
                registry.follow(socket, ledger);
                Self::deliver(&registry, socket, Delivery::Follow(ledger));
            }
            for ledger in drop {
                registry.unfollow(socket, ledger);
                Self::deliver(&registry, socket, Delivery::Unfollow(ledger));
            }
        }
        Ok(())
    }

    pub fn metrics(&self) -> &RealtimeMetrics {
        &self.metrics
    }
}

/// The user a membership event names.
#[derive(Deserialize)]
struct MemberRef {
    user_id: Uuid,
}

/// Pure: the event an announcement carries, its frame built and its effect on membership
/// read.
pub fn live_event(a: Announced<'_>) -> LiveEvent {
    let member = || {
        serde_json::from_str::<MemberRef>(a.data)
            .ok()
            .map(|m| m.user_id)
    };
    let membership = match a.kind {
        "ledger.member_added" => member().map(Membership::Added),
        "ledger.member_removed" => member().map(Membership::Removed),
        "ledger.deleted" => Some(Membership::LedgerDeleted),
        _ => None,
    };
    LiveEvent {
        ledger_id: a.ledger_id,
        id: a.id,
        frame: event_frame(a.id, a.kind, a.ledger_id, a.data).into(),
        recorded_at_ms: a.recorded_at_ms,
        membership,
    }
}

/// Reads a ledger's stream after `after` (exclusive), up to `count` entries, as events.
pub async fn read_stream(
    redis: &LazyRedis,
    ledger_id: Uuid,
    after: StreamId,
    count: usize,
) -> Result<Vec<LiveEvent>, String> {
    let entries: Vec<service_kit::streams::Entry> = redis
        .query(
            redis::cmd("XRANGE")
                .arg(service_kit::events::stream_key(ledger_id))
                .arg(format!("({after}"))
                .arg("+")
                .arg("COUNT")
                .arg(count),
        )
        .await?;
    Ok(entries
        .iter()
        .filter_map(|(id, flat)| {
            let fields = service_kit::streams::fields(flat);
            Some(live_event(Announced {
                id: id.parse().ok()?,
                recorded_at_ms: fields.get("at")?.parse().ok()?,
                ledger_id,
                kind: fields.get("type")?,
                data: fields.get("data")?,
            }))
        })
        .collect())
}

/// Whether the ledger's stream still holds the event `id`, and so everything after it.
pub async fn stream_holds(
    redis: &LazyRedis,
    ledger_id: Uuid,
    id: StreamId,
) -> Result<bool, String> {
    let entries: Vec<service_kit::streams::Entry> = redis
        .query(
            redis::cmd("XRANGE")
                .arg(service_kit::events::stream_key(ledger_id))
                .arg(id.to_string())
                .arg(id.to_string()),
        )
        .await?;
    Ok(!entries.is_empty())
}

/// The id of the ledger's newest event, or [`StreamId::ZERO`] when it has none.
pub async fn stream_end(redis: &LazyRedis, ledger_id: Uuid) -> Result<StreamId, String> {
    let entries: Vec<service_kit::streams::Entry> = redis
        .query(
            redis::cmd("XREVRANGE")
                .arg(service_kit::events::stream_key(ledger_id))
                .arg("+")
                .arg("-")
                .arg("COUNT")
                .arg(1),
        )
        .await?;
    Ok(entries
        .first()
        .and_then(|(id, _)| id.parse().ok())
        .unwrap_or(StreamId::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metrics() -> RealtimeMetrics {
        RealtimeMetrics::new(&service_kit::metrics::Metrics::new("test"))
    }

    fn event(ledger: Uuid, id: &str, kind: &str, data: &str) -> LiveEvent {
        live_event(Announced {
            id: id.parse().expect("id"),
            recorded_at_ms: 0,
            ledger_id: ledger,
            kind,
            data,
        })
    }

    fn received(registration: &mut Registration) -> Vec<String> {
        let mut got = Vec::new();
        while let Ok(delivery) = registration.deliveries.try_recv() {
            got.push(match delivery {
                Delivery::Event(e) => e.id.to_string(),
                Delivery::CatchUp => "catch-up".to_owned(),
                Delivery::Follow(l) => format!("follow {l}"),
                Delivery::Unfollow(l) => format!("unfollow {l}"),
            });
        }
        got
    }

    #[test]
    fn an_event_reaches_the_sockets_of_its_ledger_only() {
        let hub = Hub::new(8, metrics());
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let mut in_a = hub.register(
            Uuid::from_u128(10),
            Uuid::from_u128(20),
            &HashSet::from([a]),
        );
        let mut in_b = hub.register(
            Uuid::from_u128(11),
            Uuid::from_u128(21),
            &HashSet::from([b]),
        );
        hub.dispatch(event(a, "1-0", "goal.deleted", "{}"));
        assert_eq!(received(&mut in_a), ["1-0"]);
        assert!(received(&mut in_b).is_empty());
        drop(in_a);
        hub.dispatch(event(a, "2-0", "goal.deleted", "{}"));
        assert_eq!(hub.len(), 1);
    }

    #[test]
    fn membership_events_change_who_carries_the_ledger_at_once() {
        let hub = Hub::new(8, metrics());
        let ledger = Uuid::from_u128(1);
        let (owner, joiner) = (Uuid::from_u128(10), Uuid::from_u128(11));
        let mut owners = hub.register(owner, Uuid::from_u128(20), &HashSet::from([ledger]));
        let mut joiners = hub.register(joiner, Uuid::from_u128(21), &HashSet::new());
        hub.dispatch(event(ledger, "1-0", "goal.deleted", "{}"));
        let added = format!(r#"{{"user_id":"{joiner}","display_name":"J","role":"viewer"}}"#);
        hub.dispatch(event(ledger, "2-0", "ledger.member_added", &added));
        hub.dispatch(event(ledger, "3-0", "goal.deleted", "{}"));
        let removed = format!(r#"{{"user_id":"{joiner}"}}"#);
        hub.dispatch(event(ledger, "4-0", "ledger.member_removed", &removed));
        hub.dispatch(event(ledger, "5-0", "goal.deleted", "{}"));
        assert_eq!(received(&mut owners), ["1-0", "2-0", "3-0", "4-0", "5-0"]);
        assert_eq!(
            received(&mut joiners),
            ["2-0", "3-0", "4-0"],
            "from the event that added them to the one that removed them"
        );
        hub.dispatch(event(ledger, "6-0", "ledger.deleted", "{}"));
        hub.dispatch(event(ledger, "7-0", "goal.deleted", "{}"));
        assert_eq!(received(&mut owners), ["6-0"]);
    }

    #[test]
    fn a_socket_whose_buffer_is_full_is_closed_as_too_slow_and_the_others_go_on() {
        let hub = Hub::new(2, metrics());
        let ledger = Uuid::from_u128(1);
        let mut slow = hub.register(
            Uuid::from_u128(10),
            Uuid::from_u128(20),
            &HashSet::from([ledger]),
        );
        let mut fast = hub.register(
            Uuid::from_u128(11),
            Uuid::from_u128(21),
            &HashSet::from([ledger]),
        );
        let mut fast_got = Vec::new();
        for n in 1..=5 {
            hub.dispatch(event(ledger, &format!("{n}-0"), "goal.deleted", "{}"));
            fast_got.extend(received(&mut fast));
        }
        assert_eq!(fast_got, ["1-0", "2-0", "3-0", "4-0", "5-0"]);
        assert_eq!(*slow.close.borrow_and_update(), Some(CloseReason::TooSlow));
        assert_eq!(*fast.close.borrow(), None);
        assert_eq!(received(&mut slow), ["1-0", "2-0"]);
    }

    /// On the real Redis: the subscription survives its own pings (Redis answers a ping
    /// in subscribed mode differently) and hands announcements to the sockets.
    #[tokio::test]
    async fn the_subscription_stays_up_through_its_pings_and_delivers() {
        let m = metrics();
        let hub = Hub::new(8, m.clone());
        let url =
            std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned());
        let client = redis::Client::open(url).expect("REDIS_URL");
        let ledger = Uuid::new_v4();
        let mut socket = hub.register(Uuid::new_v4(), Uuid::new_v4(), &HashSet::from([ledger]));
        let task = tokio::spawn(
            Arc::clone(&hub).subscribe_pinging(client.clone(), Duration::from_millis(100)),
        );
        tokio::time::sleep(Duration::from_secs(1)).await;
        let mut redis = client
            .get_multiplexed_async_connection()
            .await
            .expect("redis");
        let _: i64 = redis::cmd("PUBLISH")
            .arg(LIVE_CHANNEL)
            .arg(format!("7-1\n0\n{ledger}\ngoal.deleted\n{{}}"))
            .query_async(&mut redis)
            .await
            .expect("publish");
        tokio::time::sleep(Duration::from_millis(200)).await;
        task.abort();
        assert_eq!(
            m.subscriptions.get(),
            1,
            "ten pings later, still the first subscription"
        );
        assert_eq!(received(&mut socket), ["catch-up", "7-1"]);
    }

    #[test]
    fn an_ended_credential_closes_its_sockets_only() {
        let hub = Hub::new(2, metrics());
        let user = Uuid::from_u128(10);
        let (ended, other) = (Uuid::from_u128(20), Uuid::from_u128(21));
        let mut a = hub.register(user, ended, &HashSet::new());
        let mut b = hub.register(user, ended, &HashSet::new());
        let mut c = hub.register(user, other, &HashSet::new());
        hub.end_credential(ended);
        assert_eq!(
            *a.close.borrow_and_update(),
            Some(CloseReason::SessionEnded)
        );
        assert_eq!(
            *b.close.borrow_and_update(),
            Some(CloseReason::SessionEnded)
        );
        assert_eq!(*c.close.borrow_and_update(), None);
    }
}
