//! `ws-load`: the load generator of `bench/realtime/run.sh`.
//!
//! - `idle` opens many sockets as one signed-in user and holds them open (answering
//!   pings), so the script can read the API's memory with them open.
//! - `latency` opens sockets spread over several API processes, then renames an account
//!   once per event through those processes in turn, and reports how long each event took
//!   to reach each socket: measured from just before the request (an upper bound of the
//!   time from the write's commit) and from its answer (which follows the commit, so a lower
//!   bound).

use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};
use futures::{SinkExt, StreamExt};
use tokio::sync::{Semaphore, watch};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{self, Message};

#[derive(Debug, Parser)]
#[command(name = "ws-load", about = "WebSocket load for bench/realtime")]
struct Cli {
    #[command(subcommand)]
    mode: Mode,
}

#[derive(Debug, Subcommand)]
enum Mode {
    /// Open `clients` sockets on `api` and hold them for `hold` seconds.
    Idle {
        #[arg(long)]
        api: String,
        /// The `Cookie` header of a signed-in session.
        #[arg(long)]
        cookie: String,
        #[arg(long)]
        clients: usize,
        #[arg(long, default_value_t = 30)]
        hold: u64,
    },
    /// Spread `clients` sockets over `apis`, then cause `events` account renames.
    Latency {
        /// Comma-separated base URLs of the API processes.
        #[arg(long, value_delimiter = ',')]
        apis: Vec<String>,
        #[arg(long)]
        cookie: String,
        /// The session's CSRF token (for the writes).
        #[arg(long)]
        csrf: String,
        #[arg(long)]
        ledger: String,
        #[arg(long)]
        account: String,
        #[arg(long)]
        clients: usize,
        #[arg(long, default_value_t = 200)]
        events: usize,
        /// Pause between writes, in milliseconds.
        #[arg(long, default_value_t = 50)]
        interval_ms: u64,
    },
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Opens one socket as the signed-in page of `api` would, and sends an empty resume.
async fn open(api: &str, cookie: &str) -> Result<Socket, tungstenite::Error> {
    let mut request =
        format!("{}/api/v1/ws", api.replacen("http", "ws", 1)).into_client_request()?;
    let headers = request.headers_mut();
    headers.insert(
        "cookie",
        HeaderValue::from_str(cookie).map_err(|e| tungstenite::Error::HttpFormat(e.into()))?,
    );
    headers.insert(
        "origin",
        HeaderValue::from_str(api).map_err(|e| tungstenite::Error::HttpFormat(e.into()))?,
    );
    let config = WebSocketConfig::default()
        .read_buffer_size(4 * 1024)
        .write_buffer_size(0);
    let (mut socket, _) =
        tokio_tungstenite::connect_async_with_config(request, Some(config), false).await?;
    socket
        .send(Message::text(r#"{"type":"resume","ledgers":{}}"#))
        .await?;
    Ok(socket)
}

/// Opens `count` sockets, `api_of(n)` for the n-th, 256 handshakes at a time.
async fn open_many(
    count: usize,
    cookie: &str,
    api_of: impl Fn(usize) -> String,
) -> (Vec<Socket>, usize, Duration) {
    let started = Instant::now();
    let gate = Arc::new(Semaphore::new(256));
    let tasks: Vec<_> = (0..count)
        .map(|n| {
            let gate = Arc::clone(&gate);
            let api = api_of(n);
            let cookie = cookie.to_owned();
            tokio::spawn(async move {
                let _permit = gate.acquire_owned().await.expect("open");
                open(&api, &cookie).await
            })
        })
        .collect();
    let mut sockets = Vec::with_capacity(count);
    let mut failed = 0;
    for task in tasks {
        match task.await.expect("join") {
            Ok(socket) => sockets.push(socket),
            Err(e) => {
                if failed == 0 {
                    eprintln!("ws-load: a socket failed to open: {e}");
                }
                failed += 1;
            }
        }
    }
    (sockets, failed, started.elapsed())
}

/// Reads `socket` until `stop`, noting when each renamed account's event (named
/// `bench-<n>`) arrived.
async fn listen(
    mut socket: Socket,
    events: usize,
    mut stop: watch::Receiver<bool>,
) -> Vec<Option<Instant>> {
    let mut arrived = vec![None; events];
    loop {
        tokio::select! {
            _ = stop.wait_for(|s| *s) => break,
            message = socket.next() => match message {
                Some(Ok(Message::Text(text))) => {
                    let at = Instant::now();
                    let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) else { continue };
                    if value["type"] != "account.updated" {
                        continue;
                    }
                    let index = value["data"]["name"]
                        .as_str()
                        .and_then(|n| n.strip_prefix("bench-"))
                        .and_then(|n| n.parse::<usize>().ok());
                    if let Some(slot) = index.and_then(|i| arrived.get_mut(i)) {
                        slot.get_or_insert(at);
                    }
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => break,
            },
        }
    }
    let _ = socket.close(None).await;
    arrived
}

/// Pure: the `q` quantile (0 to 1) of sorted `values`.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let index = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn summary(mut millis: Vec<f64>) -> serde_json::Value {
    millis.sort_by(f64::total_cmp);
    serde_json::json!({
        "p50_ms": quantile(&millis, 0.5),
        "p95_ms": quantile(&millis, 0.95),
        "p99_ms": quantile(&millis, 0.99),
        "max_ms": millis.last().copied().unwrap_or(f64::NAN),
    })
}

#[tokio::main]
async fn main() {
    match Cli::parse().mode {
        Mode::Idle {
            api,
            cookie,
            clients,
            hold,
        } => idle(&api, &cookie, clients, hold).await,
        Mode::Latency {
            apis,
            cookie,
            csrf,
            ledger,
            account,
            clients,
            events,
            interval_ms,
        } => {
            let writes = Writes {
                csrf,
                ledger,
                account,
                events,
                interval: Duration::from_millis(interval_ms),
            };
            latency(&apis, &cookie, clients, &writes).await;
        }
    }
}

/// Opens `clients` sockets on `api`, prints how that went, holds them for `hold` seconds.
async fn idle(api: &str, cookie: &str, clients: usize, hold: u64) {
    let (sockets, failed, took) = open_many(clients, cookie, |_| api.to_owned()).await;
    let (stop_tx, stop) = watch::channel(false);
    let opened = sockets.len();
    let readers: Vec<_> = sockets
        .into_iter()
        .map(|s| tokio::spawn(listen(s, 0, stop.clone())))
        .collect();
    println!(
        "{}",
        serde_json::json!({ "opened": opened, "failed": failed, "open_seconds": took.as_secs_f64() })
    );
    tokio::time::sleep(Duration::from_secs(hold)).await;
    stop_tx.send_replace(true);
    for reader in readers {
        let _ = reader.await;
    }
}

/// The renames `latency` causes.
#[derive(Debug)]
struct Writes {
    csrf: String,
    ledger: String,
    account: String,
    events: usize,
    interval: Duration,
}

/// Spreads `clients` sockets over `apis`, causes the renames, prints the delivery times.
async fn latency(apis: &[String], cookie: &str, clients: usize, writes: &Writes) {
    let Writes {
        csrf,
        ledger,
        account,
        events,
        interval,
    } = writes;
    let events = *events;
    let (sockets, failed, _) = open_many(clients, cookie, |n| apis[n % apis.len()].clone()).await;
    let (stop_tx, stop) = watch::channel(false);
    let opened = sockets.len();
    let readers: Vec<_> = sockets
        .into_iter()
        .map(|s| tokio::spawn(listen(s, events, stop.clone())))
        .collect();
    // Every socket has had its welcome and resume read by now.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let http = reqwest::Client::new();
    let mut sent = Vec::with_capacity(events);
    for n in 0..events {
        let api = &apis[n % apis.len()];
        let started = Instant::now();
        let response = http
            .patch(format!("{api}/api/v1/ledgers/{ledger}/accounts/{account}"))
            .header("cookie", cookie)
            .header("x-csrf-token", csrf.as_str())
            .json(&serde_json::json!({ "name": format!("bench-{n}") }))
            .send()
            .await
            .expect("write");
        let answered = Instant::now();
        assert!(
            response.status().is_success(),
            "write {n}: {}",
            response.status()
        );
        sent.push((started, answered));
        tokio::time::sleep(*interval).await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    stop_tx.send_replace(true);
    let mut from_request = Vec::new();
    let mut from_answer = Vec::new();
    let mut missing = 0;
    // Per event, the deliveries that took over 50 ms from the write's start.
    let mut late = vec![0_usize; events];
    for reader in readers {
        for (n, at) in reader.await.expect("join").into_iter().enumerate() {
            match at {
                Some(at) => {
                    let (started, answered) = sent[n];
                    let ms = at.duration_since(started).as_secs_f64() * 1000.0;
                    if ms > 50.0 {
                        late[n] += 1;
                    }
                    from_request.push(ms);
                    from_answer.push(at.saturating_duration_since(answered).as_secs_f64() * 1000.0);
                }
                None => missing += 1,
            }
        }
    }
    let late: Vec<_> = late
        .iter()
        .enumerate()
        .filter(|(_, count)| **count > 0)
        .map(|(n, count)| serde_json::json!({ "event": n, "late_deliveries": count }))
        .collect();
    println!(
        "{}",
        serde_json::json!({
            "sockets": opened, "failed": failed, "events": events,
            "deliveries": from_request.len(), "missing": missing,
            "from_request": summary(from_request), "from_answer": summary(from_answer),
            "late": late,
        })
    );
}
