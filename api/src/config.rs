//! The API's configuration: every flag is also an environment variable of the same meaning.

use std::net::SocketAddr;

use clap::{ArgAction, Args, Parser, Subcommand};
use service_kit::Secret;
use service_kit::logging::LogArgs;
use service_kit::stores::StoreArgs;

#[derive(Debug, Parser)]
#[command(name = "api", version, about = "FinanceTracker REST and WebSocket API")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub config: Config,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve HTTP (the default): applies pending migrations in the background first.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create the demo user (demo@financetracker.local) with a year of sample data, once.
    SeedDemo,
    /// Print the OpenAPI document (JSON) and exit; needs no database.
    Openapi,
    /// Read a bank file as an import would and print the detected format, mapping, row
    /// count, row errors and first rows; needs no database. Exit code 0 when the file was
    /// read (even with row errors), 2 when it was rejected (the reason on stderr).
    ImportPreview {
        /// The bank file (CSV, OFX/QFX or QIF).
        #[arg(long)]
        file: std::path::PathBuf,
        /// One JSON object: `format`, `mapping`, `rows`, `errors`, `sample`.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct Config {
    /// Address the HTTP server listens on (`0.0.0.0:8080` inside a container).
    #[arg(long, env = "LISTEN_ADDR", default_value = "127.0.0.1:8080")]
    pub listen_addr: SocketAddr,

    /// Seconds that in-flight requests get to finish after SIGTERM.
    #[arg(long, env = "SHUTDOWN_GRACE_SECONDS", default_value_t = 25)]
    pub shutdown_grace_seconds: u64,

    /// Largest request body accepted, in bytes.
    #[arg(long, env = "MAX_BODY_BYTES", default_value_t = 1024 * 1024)]
    pub max_body_bytes: usize,

    #[command(flatten)]
    pub auth: AuthArgs,

    /// The ML worker's base URL (`http://127.0.0.1:8090`). Unset: transactions without a
    /// category are queued for the worker instead of categorised on creation.
    #[arg(long, env = "ML_WORKER_URL")]
    pub ml_worker_url: Option<url::Url>,

    /// A model routing file (JSON, `contracts::model_routing`: the operator's
    /// `<name>-ml-routing` ConfigMap, mounted) naming a worker and a weight per model
    /// version; read again every `ML_ROUTING_POLL_SECONDS`. Unset: `ML_WORKER_URL` takes all.
    #[arg(long, env = "ML_ROUTING_FILE")]
    pub ml_routing_file: Option<std::path::PathBuf>,

    /// How often the routing file is read again, in seconds.
    #[arg(long, env = "ML_ROUTING_POLL_SECONDS", default_value_t = 5,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub ml_routing_poll_seconds: u64,

    /// How long a retired variant's queue stream must go unwritten, and an entry taken from
    /// it unacknowledged, before the API moves it to the variant that serves its household
    /// now, in seconds: longer than a changed routing takes to reach every API.
    #[arg(long, env = "ML_QUEUE_SETTLE_SECONDS", default_value_t = 120,
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub ml_queue_settle_seconds: u64,

    /// How long creating a transaction waits for the ML worker, in milliseconds.
    #[arg(long, env = "ML_TIMEOUT_MS", default_value_t = 300,
          value_parser = clap::value_parser!(u64).range(10..=10_000))]
    pub ml_timeout_ms: u64,

    #[command(flatten)]
    pub imports: ImportArgs,

    #[command(flatten)]
    pub realtime: RealtimeArgs,

    #[command(flatten)]
    pub stores: StoreArgs,

    #[command(flatten)]
    pub log: LogArgs,
}

#[derive(Debug, Args)]
pub struct AuthArgs {
    /// Key that signs access tokens: at least 32 bytes, the same on every replica. When
    /// unset, a random key is made at start (sessions then end when the process restarts).
    #[arg(long, env = "JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<Secret>,

    /// Lifetime of an access token, in seconds.
    #[arg(long, env = "ACCESS_TOKEN_TTL_SECONDS", default_value_t = 900,
          value_parser = clap::value_parser!(u64).range(30..=86_400))]
    pub access_token_ttl_seconds: u64,

    /// Lifetime of a sign-in (its refresh token), in days.
    #[arg(long, env = "REFRESH_TOKEN_TTL_DAYS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=365))]
    pub refresh_token_ttl_days: u64,

    /// Seconds after a refresh token is used during which it may be used again without
    /// ending the session as stolen: two tabs that refresh at the same moment both stay
    /// signed in. 0 turns the allowance off. Later reuse always ends the session.
    #[arg(long, env = "REFRESH_REUSE_GRACE_SECONDS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(0..=300))]
    pub refresh_reuse_grace_seconds: u64,

    /// Mark session cookies `Secure`. Turn off only for plain-HTTP development.
    #[arg(long, env = "COOKIE_SECURE", default_value_t = true, action = ArgAction::Set)]
    pub cookie_secure: bool,

    /// Take the client address for rate limits from the last `X-Forwarded-For` entry.
    /// Turn on only behind a proxy that sets it (the bundled nginx does).
    #[arg(long, env = "TRUST_FORWARDED_FOR", default_value_t = false, action = ArgAction::Set)]
    pub trust_forwarded_for: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Largest bank file an import accepts, in bytes (a larger upload gets 413).
    #[arg(long, env = "IMPORT_MAX_BYTES", default_value_t = 50 * 1024 * 1024)]
    pub import_max_bytes: usize,

    /// Rows an import writes per database transaction (its resume granularity).
    #[arg(long, env = "IMPORT_CHUNK_ROWS", default_value_t = 5_000,
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub import_chunk_rows: u32,

    /// Chunks an import writes at once, each on its own database connection.
    #[arg(long, env = "IMPORT_WRITERS", default_value_t = 2,
          value_parser = clap::value_parser!(u32).range(1..=16))]
    pub import_writers: u32,

    /// Seconds an import job stays with an API process that stopped answering before
    /// another process takes it over and resumes it.
    #[arg(long, env = "IMPORT_MIN_IDLE_SECONDS", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..=3_600))]
    pub import_min_idle_seconds: u64,
}

#[derive(Debug, Args)]
pub struct RealtimeArgs {
    /// Origins (`https://money.example.com`, comma-separated) whose pages may open the
    /// WebSocket with the session cookie. Unset: only pages of the origin the request was
    /// sent to (its `Host`), which is right behind the bundled nginx.
    #[arg(long, env = "PUBLIC_ORIGINS", value_delimiter = ',')]
    pub public_origins: Vec<String>,

    /// How long events stay replayable for a client that reconnects, in seconds; a longer
    /// gap gets a `resync` message instead.
    #[arg(long, env = "EVENTS_REPLAY_SECONDS", default_value_t = 86_400,
          value_parser = clap::value_parser!(u64).range(60..=2_592_000))]
    pub events_replay_seconds: u64,

    /// Seconds between the server's pings on a WebSocket; a socket that has not answered
    /// the previous ping by the next is dropped.
    #[arg(long, env = "WS_PING_SECONDS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=300))]
    pub ws_ping_seconds: u64,

    /// Events a WebSocket may have waiting to be written; a client that falls further behind
    /// is closed (4008) and resumes when it reconnects.
    #[arg(long, env = "WS_CLIENT_BUFFER", default_value_t = 256,
          value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub ws_client_buffer: u64,

    /// Seconds a ticket from `POST /ws/ticket` stays valid.
    #[arg(long, env = "WS_TICKET_TTL_SECONDS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=300))]
    pub ws_ticket_ttl_seconds: u64,

    /// Seconds between checks of the sessions and memberships of open WebSocket connections
    /// (sign-outs and membership changes also reach them at once through Redis).
    #[arg(long, env = "WS_RECHECK_SECONDS", default_value_t = 15,
          value_parser = clap::value_parser!(u64).range(1..=3_600))]
    pub ws_recheck_seconds: u64,
}
