//! One open WebSocket, from the welcome to the close. It keeps, per ledger it carries, the
//! id of the last event it sent: an event at or before that id is never sent again, and a
//! catch-up reads the ledger's stream from there. That one position makes the seams safe:
//! after a resume, after the subscription was down, after a membership change, a client
//! gets each event once, in the stream's order.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket};
use uuid::Uuid;

use super::Realtime;
use super::hub::{
    Delivery, LiveEvent, Membership, Registration, read_stream, stream_end, stream_holds,
};
use super::protocol::{
    ClientMessage, CloseReason, ControlMessage, ErrorCode, StreamId, parse_client_message,
    plan_resume,
};

/// How long the server waits for a client's `resume` before it starts sending.
pub const RESUME_WAIT: Duration = Duration::from_secs(2);
/// The largest message a client may send.
pub const MAX_CLIENT_MESSAGE: usize = 16 * 1024;
/// Malformed messages a client may send before the socket is closed.
const MAX_ERRORS: u32 = 20;
/// How long one message may take to write before the client counts as too slow.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Events read from a stream at a time when catching up.
const CATCH_UP_BATCH: usize = 500;

/// Who the socket belongs to and what it carries at first.
#[derive(Debug)]
pub struct Opened {
    pub user_id: Uuid,
    /// The session or personal access token it was opened with.
    pub credential: Uuid,
    pub ledgers: HashSet<Uuid>,
}

/// How a socket ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    /// The client closed it or went away.
    ClientLeft,
    /// Pings went unanswered.
    Dead,
    /// The server closes it for this reason.
    Closed(CloseReason),
}

/// Serves one socket until it ends.
pub async fn serve(socket: WebSocket, realtime: Arc<Realtime>, opened: Opened) {
    let metrics = realtime.metrics.clone();
    metrics.connections.inc();
    let registration = realtime
        .hub
        .register(opened.user_id, opened.credential, &opened.ledgers);
    let mut connection = Connection {
        socket,
        realtime: &realtime,
        user_id: opened.user_id,
        follows: BTreeMap::new(),
        errors: 0,
        awaiting_pong: false,
        behind: false,
    };
    let ending = connection.run(registration, opened.ledgers).await;
    let label = match ending {
        Ending::ClientLeft => None,
        Ending::Dead => Some("dead"),
        Ending::Closed(reason) => Some(reason.metric_label()),
    };
    if let Some(label) = label {
        metrics.dropped.with_label_values(&[label]).inc();
    }
    if let Ending::Closed(reason) = ending {
        let frame = CloseFrame {
            code: reason.code(),
            reason: reason.text().into(),
        };
        let _ = tokio::time::timeout(
            Duration::from_secs(1),
            connection.socket.send(Message::Close(Some(frame))),
        )
        .await;
    }
    metrics.connections.dec();
}

struct Connection<'a> {
    socket: WebSocket,
    realtime: &'a Realtime,
    user_id: Uuid,
    /// Per ledger carried: the last event id sent (or known to be before everything new).
    follows: BTreeMap<Uuid, StreamId>,
    errors: u32,
    awaiting_pong: bool,
    /// A catch-up failed (Redis away): try again shortly.
    behind: bool,
}

impl Connection<'_> {
    async fn run(&mut self, mut registration: Registration, ledgers: HashSet<Uuid>) -> Ending {
        // Where each ledger stands now, read after registering: nothing published since is
        // missed, as the catch-up below reads from here.
        for ledger in ledgers {
            match stream_end(&self.realtime.redis, ledger).await {
                Ok(end) => {
                    self.follows.insert(ledger, end);
                }
                Err(e) => {
                    tracing::warn!(error = %e, "WebSocket: cannot read where the ledgers' streams stand");
                    return Ending::Closed(CloseReason::TryAgainLater);
                }
            }
        }
        let welcome = ControlMessage::Welcome {
            ledgers: self.follows.keys().copied().collect(),
        };
        if let Err(ending) = self.send_control(&welcome).await {
            return ending;
        }
        if let Err(ending) = self.await_resume(&mut registration).await {
            return ending;
        }
        if let Err(ending) = self.catch_up_all().await {
            return ending;
        }
        let ping_every = self.realtime.settings.ping_interval;
        let mut ping =
            tokio::time::interval_at(tokio::time::Instant::now() + ping_every, ping_every);
        loop {
            let outcome = tokio::select! {
                biased;
                changed = registration.close.changed() => match *registration.close.borrow() {
                    Some(reason) if changed.is_ok() => Err(Ending::Closed(reason)),
                    _ => Err(Ending::ClientLeft),
                },
                delivery = registration.deliveries.recv() => match delivery {
                    Some(delivery) => self.deliver(delivery).await,
                    None => Err(Ending::ClientLeft),
                },
                message = self.socket.recv() => self.received(message).await,
                _ = ping.tick() => self.ping().await,
                () = tokio::time::sleep(Duration::from_secs(1)), if self.behind => {
                    self.catch_up_all().await
                }
            };
            if let Err(ending) = outcome {
                return ending;
            }
        }
    }

    /// Waits for the client's first message (up to [`RESUME_WAIT`]) and applies a
    /// `resume`. Events that arrive meanwhile wait in the socket's buffer.
    async fn await_resume(&mut self, registration: &mut Registration) -> Result<(), Ending> {
        let deadline = tokio::time::sleep(RESUME_WAIT);
        tokio::pin!(deadline);
        let text = loop {
            tokio::select! {
                () = &mut deadline => return Ok(()),
                changed = registration.close.changed() => {
                    return match *registration.close.borrow() {
                        Some(reason) if changed.is_ok() => Err(Ending::Closed(reason)),
                        _ => Err(Ending::ClientLeft),
                    };
                }
                message = self.socket.recv() => match message {
                    Some(Ok(Message::Text(text))) => break text,
                    Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                    other => return self.received(other).await,
                },
            }
        };
        let ledgers = match parse_client_message(&text) {
            Ok(ClientMessage::Resume { ledgers }) => ledgers,
            Err(answer) => return self.protocol_error(&answer).await,
        };
        let (plan, errors) = plan_resume(&self.follows, &ledgers);
        for error in &errors {
            self.protocol_error(error).await?;
        }
        for (ledger, last_seen) in plan {
            match stream_holds(&self.realtime.redis, ledger, last_seen).await {
                Ok(true) => {
                    self.follows.insert(ledger, last_seen);
                }
                // What came after `last_seen` is no longer all there: the client refetches,
                // and events after where the stream stood at the welcome follow.
                Ok(false) => {
                    self.send_control(&ControlMessage::Resync { ledger_id: ledger })
                        .await?;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "WebSocket: cannot check a resume point");
                    return Err(Ending::Closed(CloseReason::TryAgainLater));
                }
            }
        }
        Ok(())
    }

    async fn deliver(&mut self, delivery: Delivery) -> Result<(), Ending> {
        match delivery {
            Delivery::Event(event) => self.live(&event).await,
            Delivery::CatchUp => self.catch_up_all().await,
            Delivery::Follow(ledger) => {
                let end = stream_end(&self.realtime.redis, ledger)
                    .await
                    .unwrap_or(StreamId::ZERO);
                self.follows.insert(ledger, end);
                self.send_control(&ControlMessage::Resync { ledger_id: ledger })
                    .await
            }
            Delivery::Unfollow(ledger) => {
                self.follows.remove(&ledger);
                Ok(())
            }
        }
    }

    /// A live event: sent unless it was sent already; membership changes about this user
    /// start or stop the ledger.
    async fn live(&mut self, event: &LiveEvent) -> Result<(), Ending> {
        let me = self.user_id;
        let mine = |m: Membership| match m {
            Membership::Added(user) | Membership::Removed(user) => user == me,
            Membership::LedgerDeleted => true,
        };
        if let Some(Membership::Added(_)) = event.membership.filter(|m| mine(*m))
            && !self.follows.contains_key(&event.ledger_id)
        {
            self.follows.insert(event.ledger_id, StreamId::ZERO);
        }
        let Some(last) = self.follows.get(&event.ledger_id).copied() else {
            return Ok(());
        };
        if event.id > last {
            self.send_event(event).await?;
            let now_ms = chrono::Utc::now().timestamp_millis();
            #[allow(clippy::cast_precision_loss, reason = "milliseconds of latency")]
            let seconds = (now_ms - event.recorded_at_ms).max(0) as f64 / 1000.0;
            self.realtime.metrics.commit_to_send.observe(seconds);
            self.follows.insert(event.ledger_id, event.id);
        }
        if event
            .membership
            .is_some_and(|m| mine(m) && m != Membership::Added(me))
        {
            self.follows.remove(&event.ledger_id);
        }
        Ok(())
    }

    /// Sends every followed ledger's events after its position; on a Redis failure, tries
    /// again a second later.
    async fn catch_up_all(&mut self) -> Result<(), Ending> {
        let ledgers: Vec<Uuid> = self.follows.keys().copied().collect();
        self.behind = false;
        for ledger in ledgers {
            match self.catch_up(ledger).await {
                Ok(()) => {}
                Err(CatchUpError::Redis(e)) => {
                    tracing::debug!(error = %e, "WebSocket: catch-up postponed");
                    self.behind = true;
                }
                Err(CatchUpError::Socket(ending)) => return Err(ending),
            }
        }
        Ok(())
    }

    async fn catch_up(&mut self, ledger: Uuid) -> Result<(), CatchUpError> {
        loop {
            let Some(after) = self.follows.get(&ledger).copied() else {
                return Ok(());
            };
            let events = read_stream(&self.realtime.redis, ledger, after, CATCH_UP_BATCH)
                .await
                .map_err(CatchUpError::Redis)?;
            for event in &events {
                self.send_event(event).await.map_err(CatchUpError::Socket)?;
                self.follows.insert(ledger, event.id);
            }
            if events.len() < CATCH_UP_BATCH {
                return Ok(());
            }
        }
    }

    /// A client message after the first.
    async fn received(
        &mut self,
        message: Option<Result<Message, axum::Error>>,
    ) -> Result<(), Ending> {
        match message {
            Some(Ok(Message::Text(text))) => match parse_client_message(&text) {
                Ok(ClientMessage::Resume { .. }) => {
                    let answer = ControlMessage::error(
                        ErrorCode::ResumeTooLate,
                        "resume is accepted as the first message only: reconnect to resume",
                        None,
                    );
                    self.protocol_error(&answer).await
                }
                Err(answer) => self.protocol_error(&answer).await,
            },
            Some(Ok(Message::Binary(_))) => Err(Ending::Closed(CloseReason::Binary)),
            Some(Ok(Message::Pong(_))) => {
                self.awaiting_pong = false;
                Ok(())
            }
            Some(Ok(Message::Ping(_))) => Ok(()),
            Some(Ok(Message::Close(_))) | None => Err(Ending::ClientLeft),
            Some(Err(e)) => Err(if too_big(e) {
                Ending::Closed(CloseReason::TooBig)
            } else {
                Ending::ClientLeft
            }),
        }
    }

    async fn protocol_error(&mut self, answer: &ControlMessage) -> Result<(), Ending> {
        self.errors += 1;
        if self.errors > MAX_ERRORS {
            return Err(Ending::Closed(CloseReason::TooManyErrors));
        }
        self.send_control(answer).await
    }

    /// Sends a ping; a client that did not answer the previous one is gone.
    async fn ping(&mut self) -> Result<(), Ending> {
        if self.awaiting_pong {
            return Err(Ending::Dead);
        }
        self.awaiting_pong = true;
        self.send(Message::Ping(axum::body::Bytes::new())).await
    }

    async fn send_event(&mut self, event: &LiveEvent) -> Result<(), Ending> {
        self.send(Message::Text(event.frame.clone())).await?;
        self.realtime.metrics.delivered.inc();
        Ok(())
    }

    async fn send_control(&mut self, message: &ControlMessage) -> Result<(), Ending> {
        self.send(Message::Text(Utf8Bytes::from(message.to_json())))
            .await
    }

    async fn send(&mut self, message: Message) -> Result<(), Ending> {
        match tokio::time::timeout(WRITE_TIMEOUT, self.socket.send(message)).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(_)) => Err(Ending::ClientLeft),
            Err(_) => Err(Ending::Closed(CloseReason::TooSlow)),
        }
    }
}

#[derive(Debug)]
enum CatchUpError {
    Redis(String),
    Socket(Ending),
}

/// Whether a receive failed on a message over the size limit.
fn too_big(error: axum::Error) -> bool {
    error
        .into_inner()
        .downcast::<tungstenite::Error>()
        .is_ok_and(|e| matches!(*e, tungstenite::Error::Capacity(_)))
}
