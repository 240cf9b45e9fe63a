//! The API's configuration: every flag is also an environment variable of the same meaning.

use std::net::SocketAddr;

use clap::{Args, Parser, Subcommand};
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
}

#[derive(Debug, Args)]
pub struct Config {
    /// Address the HTTP server listens on (`0.0.0.0:8080` inside a container).
    #[arg(long, env = "LISTEN_ADDR", default_value = "127.0.0.1:8080")]
    pub listen_addr: SocketAddr,

    /// Seconds that in-flight requests get to finish after SIGTERM.
    #[arg(long, env = "SHUTDOWN_GRACE_SECONDS", default_value_t = 25)]
    pub shutdown_grace_seconds: u64,

    #[command(flatten)]
    pub stores: StoreArgs,

    #[command(flatten)]
    pub log: LogArgs,
}
