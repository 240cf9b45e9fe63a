//! Live-update events, written by the API and the ML worker alike. A writer records an event
//! in its own database transaction ([`record`] into `event_outbox`): it exists only if the
//! write commits. The API's relay then publishes it to the ledger's Redis stream
//! ([`stream_key`], the replay window a reconnecting client resumes from; the stream entry id
//! is the event id clients see) and to [`LIVE_CHANNEL`], which every API instance listens
//! to for its own clients.

use uuid::Uuid;

/// The Redis stream that keeps a ledger's recent events.
pub fn stream_key(ledger_id: Uuid) -> String {
    format!("ft:events:{ledger_id}")
}

/// The Redis channel every published event is announced on, whatever its ledger.
pub const LIVE_CHANNEL: &str = "ft:events:live";

/// The Postgres notification channel the outbox's trigger wakes the relay on.
pub const OUTBOX_CHANNEL: &str = "ft_event_outbox";

/// Records an event of `kind` (such as `transaction.created`) with `data` for `ledger_id`
/// on `conn`, which should be inside the transaction of the write it announces.
///
/// `data` is serialised as it is (a typed struct rather than a `serde_json::Value`, whose
/// numbers are f64, keeps an f32 confidence of 0.9 from reading 0.8999999761581421).
pub async fn record(
    conn: &mut sqlx::PgConnection,
    ledger_id: Uuid,
    kind: &str,
    data: &impl serde::Serialize,
) -> Result<(), sqlx::Error> {
    let data = serde_json::to_string(data).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    record_json(conn, ledger_id, kind, &data).await
}

/// [`record`] with `data` already JSON.
pub async fn record_json(
    conn: &mut sqlx::PgConnection,
    ledger_id: Uuid,
    kind: &str,
    data: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO event_outbox (ledger_id, type, data) VALUES ($1, $2, $3::json)")
        .bind(ledger_id)
        .bind(kind)
        .bind(data)
        .execute(conn)
        .await
        .map(drop)
}
