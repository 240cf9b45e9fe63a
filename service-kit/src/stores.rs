//! Connections to the two stores the services share: PostgreSQL (all durable state) and
//! Redis (events, job streams, counters). Both connect lazily, so a service starts and
//! reports not-ready while a store is down instead of crashing, and recovers on its own.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use redis::aio::MultiplexedConnection;
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use tokio::sync::Mutex;

use crate::probes::{Check, CheckFuture};
use crate::{ConfigError, Secret};

/// How long a probe or a pool waits for a store before calling it unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Clone, Debug, Args)]
pub struct StoreArgs {
    /// PostgreSQL connection URL.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "postgres://financetracker:financetracker@127.0.0.1:5432/financetracker",
        hide_env_values = true,
        hide_default_value = true
    )]
    pub database_url: Secret,

    /// Largest number of PostgreSQL connections this process opens.
    #[arg(long, env = "DATABASE_MAX_CONNECTIONS", default_value_t = 10,
          value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub database_max_connections: u32,

    /// Redis connection URL.
    #[arg(
        long,
        env = "REDIS_URL",
        default_value = "redis://127.0.0.1:6379",
        hide_env_values = true
    )]
    pub redis_url: Secret,
}

impl StoreArgs {
    /// A pool that opens connections on first use. Fails only on a malformed URL.
    ///
    /// Each prepared statement keeps its generic plan (`plan_cache_mode =
    /// force_generic_plan`): our queries are a few fixed shapes whose best plan does not
    /// depend on the values bound, and Postgres otherwise re-plans them on every call (a
    /// fifth of the work of reading a page of transactions, measured with
    /// `bench/ledger-api`).
    pub fn postgres_pool(&self) -> Result<PgPool, ConfigError> {
        let options = postgres_options(&self.database_url)?
            .options([("plan_cache_mode", "force_generic_plan")]);
        Ok(PgPoolOptions::new()
            .max_connections(self.database_max_connections)
            .acquire_timeout(CONNECT_TIMEOUT)
            .connect_lazy_with(options))
    }

    /// A Redis connection opened on first use. Fails only on a malformed URL.
    pub fn redis(&self) -> Result<LazyRedis, ConfigError> {
        redis::Client::open(self.redis_url.expose())
            .map(LazyRedis::new)
            .map_err(|e| ConfigError::new("REDIS_URL", "--redis-url", e.to_string()))
    }
}

/// Parses a PostgreSQL URL; the error never repeats the URL, which may hold a password.
pub fn postgres_options(url: &Secret) -> Result<PgConnectOptions, ConfigError> {
    let invalid = |reason: String| ConfigError::new("DATABASE_URL", "--database-url", reason);
    let url = url.expose();
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return Err(invalid(
            "expected a URL like postgres://user:password@host:5432/database".to_owned(),
        ));
    }
    PgConnectOptions::from_str(url).map_err(|e| invalid(e.to_string()))
}

/// Begins a transaction on a connection from `pool`, in a task of its own, so that a caller
/// dropped meanwhile (a client that hung up, a timeout) cannot leave the connection in the
/// pool inside an open transaction. sqlx 0.8.6's own `begin` can: dropped after sending
/// `BEGIN` and before reading the answer, it hands the connection back without a rollback
/// (transact-rs/sqlx#4393), and every later query on it then runs inside that transaction,
/// holding its locks, until the connection closes and rolls all of it back. Here the task
/// always finishes `begin`; a transaction nobody took is dropped, and so rolled back.
pub async fn begin(
    pool: &PgPool,
) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
    let pool = pool.clone();
    #[allow(clippy::disallowed_methods, reason = "the one caller of sqlx's begin")]
    let sqlx_begin = async move { pool.begin().await };
    match tokio::spawn(sqlx_begin).await {
        Ok(result) => result,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        // The runtime is shutting down.
        Err(_) => Err(sqlx::Error::PoolClosed),
    }
}

/// Ready when PostgreSQL answers a trivial query.
#[derive(Debug)]
pub struct PostgresCheck(pub PgPool);

impl Check for PostgresCheck {
    fn name(&self) -> &'static str {
        "postgres"
    }

    fn check(&self) -> CheckFuture<'_> {
        Box::pin(async move {
            sqlx::query("SELECT 1")
                .execute(&self.0)
                .await
                .map(drop)
                .map_err(|e| e.to_string())
        })
    }
}

/// A Redis connection opened on first use and reopened after a failure, so the service
/// keeps working through a Redis restart. Cheap to clone.
#[derive(Clone)]
pub struct LazyRedis {
    client: redis::Client,
    connection: Arc<Mutex<Option<MultiplexedConnection>>>,
}

impl std::fmt::Debug for LazyRedis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LazyRedis").finish_non_exhaustive()
    }
}

impl LazyRedis {
    pub fn new(client: redis::Client) -> Self {
        Self {
            client,
            connection: Arc::new(Mutex::new(None)),
        }
    }

    /// The client, for connections of their own (a subscription, a blocking read).
    pub fn client(&self) -> &redis::Client {
        &self.client
    }

    /// Runs `command`; after a connection failure the next call reconnects.
    pub async fn query<T: redis::FromRedisValue>(&self, command: &redis::Cmd) -> Result<T, String> {
        let mut connection = self.connection().await?;
        let result = command.query_async(&mut connection).await;
        self.settle(result).await
    }

    /// Runs a pipeline; after a connection failure the next call reconnects.
    pub async fn pipeline<T: redis::FromRedisValue>(
        &self,
        pipeline: &redis::Pipeline,
    ) -> Result<T, String> {
        let mut connection = self.connection().await?;
        let result = pipeline.query_async(&mut connection).await;
        self.settle(result).await
    }

    async fn settle<T>(&self, result: redis::RedisResult<T>) -> Result<T, String> {
        if let Err(e) = &result
            && (e.is_io_error() || e.is_connection_dropped() || e.is_timeout())
        {
            *self.connection.lock().await = None;
        }
        result.map_err(|e| e.to_string())
    }

    async fn connection(&self) -> Result<MultiplexedConnection, String> {
        let mut slot = self.connection.lock().await;
        if let Some(connection) = slot.as_ref() {
            return Ok(connection.clone());
        }
        let fresh = tokio::time::timeout(
            CONNECT_TIMEOUT,
            self.client.get_multiplexed_async_connection(),
        )
        .await
        .map_err(|_| format!("no connection within {CONNECT_TIMEOUT:?}"))?
        .map_err(|e| e.to_string())?;
        *slot = Some(fresh.clone());
        Ok(fresh)
    }
}

/// Ready when Redis answers `PING`.
#[derive(Debug)]
pub struct RedisCheck(pub LazyRedis);

impl Check for RedisCheck {
    fn name(&self) -> &'static str {
        "redis"
    }

    fn check(&self) -> CheckFuture<'_> {
        Box::pin(async move {
            let pong: String = self.0.query(&redis::cmd("PING")).await?;
            if pong == "PONG" {
                Ok(())
            } else {
                Err(format!("PING answered {pong:?}"))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A caller that gives up on `begin` once Postgres has opened the transaction, before
    /// the answer is read, leaves the connection clean for the next query. (With sqlx's own
    /// `pool.begin()` in place of `begin`, the next query runs inside that transaction.)
    #[sqlx::test(migrations = false)]
    async fn a_begin_given_up_midway_leaves_no_transaction_open(admin: PgPool) {
        use futures_util::FutureExt;
        use sqlx::Row;
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .connect_with((*admin.connect_options()).clone())
            .await
            .expect("pool");
        let backend: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
            .fetch_one(&pool)
            .await
            .expect("pid");
        let mut given_up_midway = 0;
        for _ in 0..20 {
            // Dropped at the end of the block, midway or not.
            let open_on_the_server = {
                let mut begun = std::pin::pin!(begin(&pool));
                let mut open = false;
                for _ in 0..1_000 {
                    if begun.as_mut().now_or_never().is_some() {
                        break;
                    }
                    open = sqlx::query_scalar(
                        "SELECT state = 'idle in transaction' FROM pg_stat_activity WHERE pid = $1",
                    )
                    .bind(backend)
                    .fetch_one(&admin)
                    .await
                    .expect("activity");
                    if open {
                        break;
                    }
                }
                open
            };
            given_up_midway += usize::from(open_on_the_server);
            // In an open transaction, now() is when it began, not when this statement did.
            let in_transaction: bool = sqlx::raw_sql("SELECT now() <> statement_timestamp()")
                .fetch_one(&pool)
                .await
                .expect("query")
                .get(0);
            assert!(
                !in_transaction,
                "the next query ran inside the abandoned transaction"
            );
        }
        assert!(given_up_midway > 0, "no begin was given up midway");
    }

    #[test]
    fn a_malformed_database_url_names_the_setting_without_echoing_the_password() {
        for url in [
            "not a url",
            "mysql://root:hunter2@localhost/db",
            "postgres://user:hunter2@host:notaport/db",
        ] {
            let err = postgres_options(&Secret::new(url)).expect_err(url);
            let message = err.to_string();
            assert!(
                message.starts_with("invalid DATABASE_URL (--database-url): "),
                "{message}"
            );
            assert!(!message.contains("hunter2"), "{message}");
        }
    }

    #[test]
    fn a_well_formed_database_url_is_accepted() {
        let options = postgres_options(&Secret::new("postgres://u:p@db.internal:6543/ledger"))
            .expect("valid");
        assert_eq!(options.get_host(), "db.internal");
        assert_eq!(options.get_port(), 6543);
        assert_eq!(options.get_database(), Some("ledger"));
    }
}
