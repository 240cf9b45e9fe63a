//! The WebSocket protocol's pure parts: event ids, the messages each side sends, the close
//! codes, and the checks made on an upgrade request. No I/O here.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A Redis stream entry id, `<milliseconds>-<sequence>`: the id of an event, ordered as the
/// ledger's stream orders them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StreamId {
    pub ms: u64,
    pub seq: u64,
}

impl StreamId {
    /// Before every event.
    pub const ZERO: Self = Self { ms: 0, seq: 0 };
}

impl FromStr for StreamId {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        let (ms, seq) = s.split_once('-').ok_or(())?;
        let number = |part: &str| {
            if part.is_empty() || part.len() > 20 || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(());
            }
            part.parse::<u64>().map_err(drop)
        };
        Ok(Self {
            ms: number(ms)?,
            seq: number(seq)?,
        })
    }
}

impl fmt::Display for StreamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.ms, self.seq)
    }
}

/// Close codes the server ends a socket with (RFC 6455 section 7.4, and 4000-4999 of our
/// own). The README lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseReason {
    /// 1001: the server is shutting down; reconnect (another instance takes it).
    GoingAway,
    /// 1003: a binary frame; this protocol speaks JSON text only.
    Binary,
    /// 1008: too many malformed messages.
    TooManyErrors,
    /// 1009: a message over the size limit.
    TooBig,
    /// 1013: the server could not reach a store it needs for a socket; reconnect later.
    TryAgainLater,
    /// 4001: the session ended (signed out, ended after its refresh token was used twice,
    /// expired) or the personal access token was revoked or expired: sign in again.
    SessionEnded,
    /// 4008: the client did not read its messages fast enough and the server's buffer for
    /// it filled up; reconnect and resume from the last id.
    TooSlow,
}

impl CloseReason {
    pub fn code(self) -> u16 {
        match self {
            Self::GoingAway => 1001,
            Self::Binary => 1003,
            Self::TooManyErrors => 1008,
            Self::TooBig => 1009,
            Self::TryAgainLater => 1013,
            Self::SessionEnded => 4001,
            Self::TooSlow => 4008,
        }
    }

    /// The close frame's reason text (at most 123 bytes, as a close frame allows).
    pub fn text(self) -> &'static str {
        match self {
            Self::GoingAway => "server shutting down: reconnect",
            Self::Binary => "binary frames are not accepted: send JSON text",
            Self::TooManyErrors => "too many malformed messages",
            Self::TooBig => "message too large",
            Self::TryAgainLater => "live updates are unavailable right now: reconnect later",
            Self::SessionEnded => "the session has ended: sign in again",
            Self::TooSlow => "too slow to keep up: reconnect and resume from your last id",
        }
    }

    /// The label of `financetracker_api_ws_clients_dropped_total` for it.
    pub fn metric_label(self) -> &'static str {
        match self {
            Self::GoingAway => "shutdown",
            Self::Binary | Self::TooManyErrors | Self::TooBig => "protocol",
            Self::TryAgainLater => "unavailable",
            Self::SessionEnded => "session_ended",
            Self::TooSlow => "slow",
        }
    }
}

/// What a client may send: one `resume` as its first message.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientMessage {
    /// Per ledger, the id of the last event the client saw: it receives what came after,
    /// then live events. Ledgers left out start from now. Send it (`{}` when there is
    /// nothing to resume) first, within two seconds of connecting; until then (or until
    /// those two seconds pass) the server holds events back.
    Resume { ledgers: HashMap<String, String> },
}

/// A message from the server that is not an event.
#[derive(Debug, Serialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ControlMessage {
    /// The first message on a socket: the ledgers it carries events of.
    Welcome { ledgers: Vec<Uuid> },
    /// The events after the client's last id for this ledger are no longer kept: refetch
    /// what the ledger's screens show. Events after this message follow as usual.
    Resync { ledger_id: Uuid },
    /// A message the server could not act on. `code` is stable; `message` is for a person.
    Error {
        code: ErrorCode,
        message: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        ledger_id: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Not JSON, or not a message this protocol knows.
    MalformedMessage,
    /// `resume` after the first message.
    ResumeTooLate,
    /// A ledger this socket does not carry (no such ledger, or not a member).
    UnknownLedger,
    /// Not an event id (`<milliseconds>-<sequence>`).
    InvalidEventId,
}

impl ControlMessage {
    pub fn error(code: ErrorCode, message: impl Into<String>, ledger_id: Option<&str>) -> Self {
        Self::Error {
            code,
            message: message.into(),
            // Echo at most what an id could be; never a client's megabyte back.
            ledger_id: ledger_id.map(|l| l.chars().take(64).collect()),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("control messages always serialise")
    }
}

/// Pure: the client message in `text`, or the error to answer it with.
pub fn parse_client_message(text: &str) -> Result<ClientMessage, ControlMessage> {
    serde_json::from_str(text).map_err(|e| {
        ControlMessage::error(
            ErrorCode::MalformedMessage,
            format!(
                "expected {{\"type\": \"resume\", \"ledgers\": {{\"<ledger id>\": \"<last event id>\"}}}}: {e}"
            ),
            None,
        )
    })
}

/// Pure: which of the followed ledgers resume from which id, and an error for every entry
/// that names a ledger the socket does not carry or an id that is not an event id. A
/// ledger the caller is not in gets the same answer as one that does not exist.
pub fn plan_resume<S: std::hash::BuildHasher>(
    followed: &BTreeMap<Uuid, StreamId>,
    requested: &HashMap<String, String, S>,
) -> (BTreeMap<Uuid, StreamId>, Vec<ControlMessage>) {
    let mut plan = BTreeMap::new();
    let mut errors = Vec::new();
    let mut requested: Vec<_> = requested.iter().collect();
    requested.sort();
    for (ledger, id) in requested {
        let Some(ledger_id) = ledger
            .parse::<Uuid>()
            .ok()
            .filter(|l| followed.contains_key(l))
        else {
            errors.push(ControlMessage::error(
                ErrorCode::UnknownLedger,
                "this socket carries no such ledger: it does not exist or you are not a member",
                Some(ledger),
            ));
            continue;
        };
        match id.parse::<StreamId>() {
            Ok(id) => {
                plan.insert(ledger_id, id);
            }
            Err(()) => errors.push(ControlMessage::error(
                ErrorCode::InvalidEventId,
                "not an event id: send the `id` of the last event you received, like 1733400000000-0",
                Some(ledger),
            )),
        }
    }
    (plan, errors)
}

/// Pure: the text frame of an event, `{"id","type","ledger_id","data"}`. `data` is the
/// payload's JSON as the outbox stored it, inserted as it is.
pub fn event_frame(id: StreamId, kind: &str, ledger_id: Uuid, data: &str) -> String {
    let kind = serde_json::to_string(kind).expect("a string serialises");
    format!(r#"{{"id":"{id}","type":{kind},"ledger_id":"{ledger_id}","data":{data}}}"#)
}

/// An event as the relay announces it on the live channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Announced<'a> {
    pub id: StreamId,
    /// When the writing transaction recorded it, in Unix milliseconds.
    pub recorded_at_ms: i64,
    pub ledger_id: Uuid,
    pub kind: &'a str,
    pub data: &'a str,
}

/// Pure: reads an announcement, `id \n recorded_at_ms \n ledger_id \n type \n data` (the
/// relay's Lua script writes it; `data` comes last, so whatever it holds cannot confuse the
/// split).
pub fn parse_announcement(message: &str) -> Option<Announced<'_>> {
    let mut parts = message.splitn(5, '\n');
    Some(Announced {
        id: parts.next()?.parse().ok()?,
        recorded_at_ms: parts.next()?.parse().ok()?,
        ledger_id: parts.next()?.parse().ok()?,
        kind: parts.next()?,
        data: parts.next()?,
    })
}

/// Pure: whether a browser page at `origin` may open a socket on this server. With
/// `allowed` origins configured, it must be one of them; otherwise it must be the origin
/// the request was sent to (`host`, as the `Host` header gives it, with its port). A client
/// that sends no `Origin` is not a browser, so no other site can be acting through it.
pub fn origin_allowed(origin: Option<&str>, host: Option<&str>, allowed: &[String]) -> bool {
    let Some(origin) = origin else {
        return true;
    };
    let origin = origin.trim_end_matches('/');
    if !allowed.is_empty() {
        return allowed
            .iter()
            .any(|a| a.trim_end_matches('/').eq_ignore_ascii_case(origin));
    }
    let Some(host) = host else {
        return false;
    };
    let authority = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    authority.is_some_and(|a| a.eq_ignore_ascii_case(host))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> StreamId {
        s.parse().expect("stream id")
    }

    #[test]
    fn stream_ids_parse_strictly_and_order_numerically() {
        assert_eq!(
            id("1733400000000-3"),
            StreamId {
                ms: 1_733_400_000_000,
                seq: 3
            }
        );
        assert_eq!(id("1733400000000-3").to_string(), "1733400000000-3");
        assert!(id("9-10") > id("9-9"), "by number, not by text");
        assert!(id("10-0") > id("9-99"));
        for bad in [
            "",
            "5",
            "-",
            "5-",
            "-5",
            "a-1",
            "1-b",
            "1-2-3",
            "+1-2",
            " 1-2",
            "1-2 ",
            "99999999999999999999-0",
            "123456789012345678901-0",
            "1.5-0",
        ] {
            assert!(bad.parse::<StreamId>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn close_codes_are_the_documented_ones() {
        let codes: Vec<u16> = [
            CloseReason::GoingAway,
            CloseReason::Binary,
            CloseReason::TooManyErrors,
            CloseReason::TooBig,
            CloseReason::TryAgainLater,
            CloseReason::SessionEnded,
            CloseReason::TooSlow,
        ]
        .iter()
        .map(|r| {
            assert!(r.text().len() <= 123, "{r:?}");
            r.code()
        })
        .collect();
        assert_eq!(codes, [1001, 1003, 1008, 1009, 1013, 4001, 4008]);
    }

    #[test]
    fn a_resume_names_followed_ledgers_and_valid_ids_and_each_bad_entry_gets_an_error() {
        let (mine, theirs) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let followed = BTreeMap::from([(mine, id("5-0"))]);
        let ask = |pairs: &[(&str, &str)]| {
            let requested: HashMap<String, String> = pairs
                .iter()
                .map(|(l, i)| ((*l).to_owned(), (*i).to_owned()))
                .collect();
            plan_resume(&followed, &requested)
        };
        let (plan, errors) = ask(&[(&mine.to_string(), "3-1")]);
        assert_eq!(plan, BTreeMap::from([(mine, id("3-1"))]));
        assert!(errors.is_empty());

        let (plan, errors) = ask(&[
            (&theirs.to_string(), "3-1"),
            ("not-a-uuid", "3-1"),
            (&mine.to_string(), "$"),
        ]);
        assert!(plan.is_empty());
        let codes: Vec<String> = errors
            .iter()
            .map(|e| {
                serde_json::to_value(e).expect("json")["code"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect();
        assert_eq!(
            codes,
            ["invalid_event_id", "unknown_ledger", "unknown_ledger"]
        );
        // A ledger that exists but is not the caller's reads exactly like one that does not.
        let message =
            |e: &ControlMessage| serde_json::to_value(e).expect("json")["message"].clone();
        assert_eq!(message(&errors[1]), message(&errors[2]));
    }

    #[test]
    fn client_messages_parse_or_say_what_was_expected() {
        let ok = parse_client_message(r#"{"type":"resume","ledgers":{"a":"1-0"}}"#);
        assert!(matches!(ok, Ok(ClientMessage::Resume { ledgers }) if ledgers["a"] == "1-0"));
        for bad in [
            "",
            "null",
            "[]",
            "{}",
            r#"{"type":"hello"}"#,
            r#"{"type":"resume"}"#,
            r#"{"type":"resume","ledgers":[]}"#,
            r#"{"type":"resume","ledgers":{},"x":1}"#,
            "\u{0}",
        ] {
            let answer = parse_client_message(bad).expect_err(bad);
            let json = serde_json::to_value(&answer).expect("json");
            assert_eq!(json["type"], "error", "{bad}");
            assert_eq!(json["code"], "malformed_message", "{bad}");
        }
    }

    #[test]
    fn an_error_echoes_at_most_an_ids_length_of_what_it_was_sent() {
        let long = "x".repeat(10_000);
        let json = serde_json::to_value(ControlMessage::error(
            ErrorCode::UnknownLedger,
            "m",
            Some(&long),
        ))
        .expect("json");
        assert_eq!(json["ledger_id"].as_str().map(str::len), Some(64));
    }

    #[test]
    fn an_event_frame_is_the_documented_shape() {
        let ledger = Uuid::from_u128(9);
        let frame = event_frame(id("7-1"), "goal.deleted", ledger, r#"{"id":"x"}"#);
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&frame).expect("json"),
            serde_json::json!({"id": "7-1", "type": "goal.deleted", "ledger_id": ledger, "data": {"id": "x"}})
        );
    }

    #[test]
    fn announcements_split_into_their_five_parts_whatever_the_data_holds() {
        let ledger = Uuid::from_u128(3);
        let text = format!("12-0\n1700\n{ledger}\nimport.failed\n{{\"error\":\"a\\nb\"}}\n");
        let a = parse_announcement(&text).expect("parsed");
        assert_eq!(
            (a.id, a.recorded_at_ms, a.ledger_id, a.kind),
            (id("12-0"), 1700, ledger, "import.failed")
        );
        assert_eq!(a.data, "{\"error\":\"a\\nb\"}\n");
        assert_eq!(parse_announcement("12-0\n1700\nnot-a-uuid\nx\n{}"), None);
        assert_eq!(parse_announcement("12-0\n1700"), None);
    }

    #[test]
    fn a_browser_origin_must_be_allowed_or_the_server_itself() {
        let none: &[String] = &[];
        let listed = ["https://money.example.com".to_owned()];
        assert!(
            origin_allowed(None, Some("x"), none),
            "no Origin: not a browser"
        );
        assert!(origin_allowed(
            Some("http://127.0.0.1:8080"),
            Some("127.0.0.1:8080"),
            none
        ));
        assert!(origin_allowed(
            Some("https://Money.example.com"),
            Some("money.example.com"),
            none
        ));
        assert!(
            !origin_allowed(Some("http://127.0.0.1:9999"), Some("127.0.0.1:8080"), none),
            "another port is another origin"
        );
        assert!(!origin_allowed(
            Some("https://evil.example"),
            Some("money.example.com"),
            none
        ));
        assert!(!origin_allowed(
            Some("null"),
            Some("money.example.com"),
            none
        ));
        assert!(!origin_allowed(Some("http://a"), None, none));
        assert!(origin_allowed(
            Some("https://money.example.com/"),
            Some("internal:8080"),
            &listed
        ));
        assert!(
            !origin_allowed(Some("http://internal:8080"), Some("internal:8080"), &listed),
            "a list replaces the Host rule"
        );
    }
}
