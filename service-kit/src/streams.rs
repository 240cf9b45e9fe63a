//! A Redis stream read by a consumer group, as the ML queue and the import jobs are: entries
//! a crashed reader left pending are claimed after `min_idle`, otherwise new entries are
//! awaited; the caller acknowledges an entry only once its work is written.
//!
//! Give a reader its own [`LazyRedis`]: a blocking read holds its connection until an entry
//! comes, and every other command on that connection would wait behind it.

use std::collections::HashMap;
use std::time::Duration;

use crate::stores::LazyRedis;

/// A stream entry as Redis returns it: `[id, [field, value, ...]]`.
pub type Entry = (String, Vec<String>);

#[derive(Debug, Clone)]
pub struct GroupReader {
    pub redis: LazyRedis,
    pub stream: String,
    pub group: String,
    /// This reader's consumer name.
    pub name: String,
    /// How long an entry stays with a consumer before another may claim it.
    pub min_idle: Duration,
}

impl GroupReader {
    /// Creates the consumer group (and the stream) if they do not exist yet.
    pub async fn ensure_group(&self) -> Result<(), String> {
        let created = self
            .redis
            .query::<()>(
                redis::cmd("XGROUP")
                    .arg("CREATE")
                    .arg(&self.stream)
                    .arg(&self.group)
                    .arg("0")
                    .arg("MKSTREAM"),
            )
            .await;
        match created {
            Err(e) if !e.contains("BUSYGROUP") => Err(e),
            _ => Ok(()),
        }
    }

    /// Up to `count` entries: those idle longer than `min_idle` (a crashed reader's, whose
    /// work may be partly done) first, else new ones, waiting up to `block` for them (zero:
    /// not at all). Empty when none came.
    pub async fn next(&self, count: usize, block: Duration) -> Result<Vec<Entry>, String> {
        let idle_ms = u64::try_from(self.min_idle.as_millis()).unwrap_or(u64::MAX);
        let (_, claimed, _): (String, Vec<Entry>, Vec<String>) = self
            .redis
            .query(
                redis::cmd("XAUTOCLAIM")
                    .arg(&self.stream)
                    .arg(&self.group)
                    .arg(&self.name)
                    .arg(idle_ms)
                    .arg("0-0")
                    .arg("COUNT")
                    .arg(count),
            )
            .await?;
        if !claimed.is_empty() {
            return Ok(claimed);
        }
        let mut read = redis::cmd("XREADGROUP");
        read.arg("GROUP")
            .arg(&self.group)
            .arg(&self.name)
            .arg("COUNT")
            .arg(count);
        if !block.is_zero() {
            // `BLOCK 0` would wait for ever.
            read.arg("BLOCK")
                .arg(u64::try_from(block.as_millis()).unwrap_or(u64::MAX).max(1));
        }
        read.arg("STREAMS").arg(&self.stream).arg(">");
        let reply: Option<Vec<(String, Vec<Entry>)>> = self.redis.query(&read).await?;
        Ok(reply
            .unwrap_or_default()
            .into_iter()
            .flat_map(|(_, entries)| entries)
            .collect())
    }

    /// The group's backlog: entries not yet handed to any reader, and entries handed out
    /// but not acknowledged (being worked on, or left by a crashed reader). From
    /// `XINFO GROUPS` (`lag` needs Redis 7; without it, waiting is unknown).
    pub async fn backlog(&self) -> Result<Backlog, String> {
        let groups: Vec<Vec<redis::Value>> = self
            .redis
            .query(redis::cmd("XINFO").arg("GROUPS").arg(&self.stream))
            .await?;
        Ok(groups
            .iter()
            .map(|flat| group_backlog(flat))
            .find(|(name, _)| name.as_deref() == Some(self.group.as_str()))
            .map(|(_, backlog)| backlog)
            .unwrap_or_default())
    }

    /// Acknowledges finished entries: they are never handed out again.
    pub async fn ack(&self, entries: &[String]) -> Result<(), String> {
        if entries.is_empty() {
            return Ok(());
        }
        self.redis
            .query::<u64>(
                redis::cmd("XACK")
                    .arg(&self.stream)
                    .arg(&self.group)
                    .arg(entries),
            )
            .await
            .map(drop)
    }
}

/// A consumer group's backlog (see [`GroupReader::backlog`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Backlog {
    /// `None` when Redis cannot tell (it answers a nil `lag` after some deletions).
    pub waiting: Option<u64>,
    pub taken: u64,
}

/// Pure: a group's name and backlog from one `XINFO GROUPS` item (`[key, value, ...]`).
pub fn group_backlog(flat: &[redis::Value]) -> (Option<String>, Backlog) {
    let mut name = None;
    let mut backlog = Backlog::default();
    for pair in flat.chunks(2) {
        let [key, value] = pair else { continue };
        let key: Option<String> = redis::from_redis_value(key).ok();
        match key.as_deref() {
            Some("name") => name = redis::from_redis_value(value).ok(),
            Some("pending") => backlog.taken = redis::from_redis_value(value).unwrap_or(0),
            Some("lag") => backlog.waiting = redis::from_redis_value(value).ok(),
            _ => {}
        }
    }
    (name, backlog)
}

/// Pure: an entry's `[field, value, ...]` list as a map.
pub fn fields(flat: &[String]) -> HashMap<&str, &str> {
    flat.chunks(2)
        .filter_map(|p| Some((p.first()?.as_str(), p.get(1)?.as_str())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use redis::Value;

    fn text(s: &str) -> Value {
        Value::BulkString(s.as_bytes().to_vec())
    }

    #[test]
    fn a_groups_backlog_is_read_from_its_xinfo_item_and_a_nil_lag_is_unknown() {
        let item = |lag: Value| {
            vec![
                text("name"),
                text("ml-workers"),
                text("consumers"),
                Value::Int(2),
                text("pending"),
                Value::Int(7),
                text("last-delivered-id"),
                text("1-0"),
                text("entries-read"),
                Value::Int(10),
                text("lag"),
                lag,
            ]
        };
        assert_eq!(
            group_backlog(&item(Value::Int(3))),
            (
                Some("ml-workers".to_owned()),
                Backlog {
                    waiting: Some(3),
                    taken: 7
                }
            )
        );
        assert_eq!(group_backlog(&item(Value::Nil)).1.waiting, None);
    }
}
