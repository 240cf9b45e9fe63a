//! The ML worker's configuration: every flag is also an environment variable.

use std::net::SocketAddr;

use clap::Parser;
use service_kit::logging::LogArgs;
use service_kit::stores::StoreArgs;

#[derive(Debug, Parser)]
#[command(
    name = "ml-worker",
    version,
    about = "FinanceTracker categorisation service"
)]
pub struct Config {
    /// Address the HTTP server listens on (`0.0.0.0:8090` inside a container).
    #[arg(long, env = "LISTEN_ADDR", default_value = "127.0.0.1:8090")]
    pub listen_addr: SocketAddr,

    /// Seconds that in-flight requests get to finish after SIGTERM.
    #[arg(long, env = "SHUTDOWN_GRACE_SECONDS", default_value_t = 25)]
    pub shutdown_grace_seconds: u64,

    #[command(flatten)]
    pub stores: StoreArgs,

    #[command(flatten)]
    pub log: LogArgs,
}
