//! The operator's configuration: every flag is also an environment variable.

use std::net::SocketAddr;

use clap::Parser;
use service_kit::logging::LogArgs;

#[derive(Debug, Parser)]
#[command(
    name = "operator",
    version,
    about = "FinanceTracker Kubernetes operator"
)]
pub struct Config {
    /// Address for `/healthz`, `/readyz` and `/metrics` (`0.0.0.0:8070` inside a container).
    #[arg(long, env = "LISTEN_ADDR", default_value = "127.0.0.1:8070")]
    pub listen_addr: SocketAddr,

    /// Seconds that in-flight work gets to finish after SIGTERM.
    #[arg(long, env = "SHUTDOWN_GRACE_SECONDS", default_value_t = 10)]
    pub shutdown_grace_seconds: u64,

    #[command(flatten)]
    pub log: LogArgs,
}
