//! Events for live updates, published by the API and the ML worker alike: appended to one
//! Redis stream per ledger
//! (`ft:events:<ledger id>`, capped near 10,000 entries) with fields `type`, `ledger_id`
//! and `data` (JSON). The stream entry id is the event id a reconnecting client resumes
//! from. Publishing is best-effort: what an event reports is already in Postgres.

use crate::stores::LazyRedis;
use serde_json::Value;
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct Events {
    redis: LazyRedis,
}

pub fn stream_key(ledger_id: Uuid) -> String {
    format!("ft:events:{ledger_id}")
}

impl Events {
    pub fn new(redis: LazyRedis) -> Self {
        Self { redis }
    }

    /// Appends an event; returns its stream id, or `None` if Redis was unavailable. `data` is
    /// serialised as it is (a typed struct rather than a `serde_json::Value`, whose numbers
    /// are f64, keeps an f32 confidence of 0.9 from reading 0.8999999761581421).
    pub async fn publish(
        &self,
        ledger_id: Uuid,
        kind: &str,
        data: &impl serde::Serialize,
    ) -> Option<String> {
        let data = match serde_json::to_string(data) {
            Ok(data) => data,
            Err(e) => {
                tracing::error!(error = %e, kind, %ledger_id, "event not published: data not JSON");
                return None;
            }
        };
        let mut command = redis::cmd("XADD");
        command
            .arg(stream_key(ledger_id))
            .arg("MAXLEN")
            .arg("~")
            .arg(10_000)
            .arg("*")
            .arg("type")
            .arg(kind)
            .arg("ledger_id")
            .arg(ledger_id.to_string())
            .arg("data")
            .arg(data);
        match self.redis.query::<String>(&command).await {
            Ok(id) => Some(id),
            Err(e) => {
                tracing::warn!(error = %e, kind, %ledger_id, "event not published: Redis unavailable");
                None
            }
        }
    }

    /// The data of every `kind` event on the ledger's stream, oldest first: what
    /// [`Events::publish`] wrote, read back (the tests check the events with it).
    pub async fn read(&self, ledger_id: Uuid, kind: &str) -> Result<Vec<Value>, String> {
        let mut command = redis::cmd("XRANGE");
        command.arg(stream_key(ledger_id)).arg("-").arg("+");
        let entries: Vec<crate::streams::Entry> = self.redis.query(&command).await?;
        entries
            .iter()
            .map(|(_, flat)| crate::streams::fields(flat))
            .filter(|fields| fields.get("type") == Some(&kind))
            .map(|fields| {
                let data = fields.get("data").copied().unwrap_or_default();
                serde_json::from_str(data).map_err(|e| format!("a {kind} event's data: {e}"))
            })
            .collect()
    }
}
