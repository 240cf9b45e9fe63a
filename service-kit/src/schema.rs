//! The database schema: the migrations under `migrations/`, embedded at compile time. The API
//! applies them at start (in the background, so it can report not-ready while Postgres is
//! down) and on `api migrate`; sqlx's advisory lock makes concurrent replicas safe.

use std::sync::Arc;
use std::time::Duration;

use sqlx::PgPool;
use sqlx::migrate::Migrator;

use crate::probes::Condition;

pub static MIGRATOR: Migrator = sqlx::migrate!("../migrations");

/// Applies pending migrations, retrying with backoff (1 s doubling to 30 s) until they
/// succeed. `condition` tells readiness where it stands.
pub async fn apply_until_done(pool: PgPool, condition: Arc<Condition>) {
    let mut delay = Duration::from_secs(1);
    loop {
        match MIGRATOR.run(&pool).await {
            Ok(()) => {
                tracing::info!(
                    migrations = MIGRATOR.iter().count(),
                    "database schema is up to date"
                );
                condition.succeed();
                return;
            }
            Err(e) => {
                tracing::warn!(error = %e, retry_in_seconds = delay.as_secs(), "cannot apply migrations yet");
                condition.fail(format!("not applied: {e}"));
            }
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(30));
    }
}
