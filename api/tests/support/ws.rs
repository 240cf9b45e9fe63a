//! A WebSocket client of `/api/v1/ws`, as a browser tab or a script opens one: with the
//! session cookie and the page's `Origin`, or with a ticket.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use uuid::Uuid;

use super::Client;

/// How long a test waits for a message it expects.
pub const EXPECT: Duration = Duration::from_secs(5);

#[derive(Debug)]
pub struct Socket {
    stream: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

/// How a connection attempt was refused: the HTTP status and the JSON error body.
#[derive(Debug)]
pub struct Refused {
    pub status: u16,
    pub body: Value,
}

/// What the socket received next.
#[derive(Debug, Clone, PartialEq)]
pub enum Received {
    Message(Value),
    Closed(Option<(u16, String)>),
    /// Nothing within the time allowed.
    Nothing,
}

fn ws_url(base: &str) -> String {
    format!("{}/api/v1/ws", base.replacen("http", "ws", 1))
}

/// The upgrade request a page at `origin` makes, with `client`'s cookies.
fn browser_request(
    client: &Client,
    origin: Option<&str>,
) -> tungstenite::handshake::client::Request {
    let mut request = ws_url(&client.base).into_client_request().expect("request");
    if let Some(cookie) = client.cookie_header() {
        request
            .headers_mut()
            .insert("cookie", HeaderValue::from_str(&cookie).expect("cookie"));
    }
    if let Some(origin) = origin {
        request
            .headers_mut()
            .insert("origin", HeaderValue::from_str(origin).expect("origin"));
    }
    request
}

impl Socket {
    /// Opens a socket as `client`'s browser tab would: its cookies, and `origin` (the page's
    /// origin; `None` sends none, as a non-browser program would).
    pub async fn open(client: &Client, origin: Option<&str>) -> Result<Self, Refused> {
        Self::connect(browser_request(client, origin)).await
    }

    /// A same-origin socket whose receive buffer is tiny, for a client that stops reading:
    /// the server's writes back up quickly.
    pub async fn open_slow(client: &Client) -> Self {
        let address = client
            .base
            .trim_start_matches("http://")
            .parse::<std::net::SocketAddr>()
            .expect("an address");
        let socket = tokio::net::TcpSocket::new_v4().expect("socket");
        socket.set_recv_buffer_size(4096).expect("buffer size");
        let stream = socket.connect(address).await.expect("connect");
        let request = browser_request(client, Some(&client.base));
        let (stream, _) = tokio_tungstenite::client_async(request, MaybeTlsStream::Plain(stream))
            .await
            .expect("handshake");
        Self { stream }
    }

    /// Opens a socket as `client`'s own page would: the Origin of the API itself.
    pub async fn open_same_origin(client: &Client) -> Self {
        Self::open(client, Some(&client.base))
            .await
            .unwrap_or_else(|r| panic!("socket refused: {r:?}"))
    }

    /// Opens a socket with a ticket in the URL and nothing else.
    pub async fn open_with_ticket(base: &str, ticket: &str) -> Result<Self, Refused> {
        let request = format!("{}?ticket={ticket}", ws_url(base))
            .into_client_request()
            .expect("request");
        Self::connect(request).await
    }

    async fn connect(request: tungstenite::handshake::client::Request) -> Result<Self, Refused> {
        match tokio_tungstenite::connect_async(request).await {
            Ok((stream, _)) => Ok(Self { stream }),
            Err(tungstenite::Error::Http(response)) => Err(Refused {
                status: response.status().as_u16(),
                body: response
                    .body()
                    .as_deref()
                    .and_then(|b| serde_json::from_slice(b).ok())
                    .unwrap_or(Value::Null),
            }),
            Err(e) => panic!("cannot connect: {e}"),
        }
    }

    /// Reads the `welcome` and sends `resume` with `ledgers` (ledger, last event id);
    /// returns the welcome.
    pub async fn start(&mut self, ledgers: &[(Uuid, &str)]) -> Value {
        let welcome = self.message().await;
        assert_eq!(welcome["type"], "welcome", "{welcome}");
        let resume: serde_json::Map<String, Value> = ledgers
            .iter()
            .map(|(ledger, id)| (ledger.to_string(), json!(id)))
            .collect();
        self.send_text(&json!({ "type": "resume", "ledgers": resume }).to_string())
            .await;
        welcome
    }

    pub async fn send_text(&mut self, text: &str) {
        self.stream.send(Message::text(text)).await.expect("send");
    }

    pub async fn send(&mut self, message: Message) {
        self.stream.send(message).await.expect("send");
    }

    /// The next message, close or silence within `within`. Pings are answered by the
    /// client library and not reported.
    pub async fn receive(&mut self, within: Duration) -> Received {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let next = tokio::time::timeout_at(deadline, self.stream.next()).await;
            return match next {
                Err(_) => Received::Nothing,
                Ok(None | Some(Err(_))) => Received::Closed(None),
                Ok(Some(Ok(Message::Text(text)))) => {
                    Received::Message(serde_json::from_str(&text).expect("JSON text"))
                }
                Ok(Some(Ok(Message::Close(frame)))) => Received::Closed(
                    frame.map(|CloseFrame { code, reason }| (u16::from(code), reason.to_string())),
                ),
                Ok(Some(Ok(Message::Binary(_)))) => panic!("the server sent a binary frame"),
                Ok(Some(Ok(_))) => continue,
            };
        }
    }

    /// The next message, which must come within [`EXPECT`].
    pub async fn message(&mut self) -> Value {
        match self.receive(EXPECT).await {
            Received::Message(value) => value,
            other => panic!("expected a message, got {other:?}"),
        }
    }

    /// The next event of type `kind`, skipping other events and control messages.
    pub async fn event(&mut self, kind: &str) -> Value {
        let deadline = tokio::time::Instant::now() + EXPECT;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.receive(left).await {
                Received::Message(m) if m["type"] == kind => return m,
                Received::Message(_) => {}
                other => panic!("expected a {kind} event, got {other:?}"),
            }
        }
    }

    /// Every message that arrives within `within` of silence.
    pub async fn drain(&mut self, within: Duration) -> Vec<Value> {
        let mut got = Vec::new();
        while let Received::Message(m) = self.receive(within).await {
            got.push(m);
        }
        got
    }

    /// The close code the server ends the socket with (within `within`), skipping messages.
    pub async fn close_code(&mut self, within: Duration) -> Option<u16> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.receive(left).await {
                Received::Message(_) => {}
                Received::Closed(frame) => return frame.map(|(code, _)| code),
                Received::Nothing => panic!("the socket stayed open for {within:?}"),
            }
        }
    }

    pub async fn close(mut self) {
        let _ = self.stream.close(None).await;
    }
}

/// A ticket from `POST /ws/ticket`.
pub async fn ticket(client: &Client) -> String {
    let (status, body) = client.post("/api/v1/ws/ticket", json!({})).await;
    assert_eq!(status, 201, "{body}");
    body["ticket"].as_str().expect("ticket").to_owned()
}
