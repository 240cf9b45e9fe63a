//! The operator's configuration: every flag is also an environment variable.

use std::net::SocketAddr;

use clap::{ArgAction, Args, Parser, Subcommand};
use service_kit::logging::LogArgs;

#[derive(Debug, Parser)]
#[command(
    name = "operator",
    version,
    about = "FinanceTracker Kubernetes operator"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub config: Config,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the controllers (the default).
    Run,
    /// Print the CustomResourceDefinitions the operator serves, as YAML, and exit.
    Crd,
    /// Print the nginx.conf of the web tier for an API at `--api`, and exit (the operator
    /// renders the same text into each FinanceTracker's ConfigMap).
    NginxConfig {
        /// `host:port` of the API.
        #[arg(long, default_value = "api:8080")]
        api: String,
        /// Largest request body nginx passes on, in MiB.
        #[arg(long, default_value_t = 51)]
        max_body_mib: i32,
    },
}

#[derive(Debug, Args)]
pub struct Config {
    /// Address for `/healthz`, `/readyz` and `/metrics` (`0.0.0.0:8070` inside a container).
    #[arg(long, env = "LISTEN_ADDR", default_value = "127.0.0.1:8070")]
    pub listen_addr: SocketAddr,

    /// Seconds that in-flight work gets to finish after SIGTERM.
    #[arg(long, env = "SHUTDOWN_GRACE_SECONDS", default_value_t = 10)]
    pub shutdown_grace_seconds: u64,

    /// The only namespace whose FinanceTrackers this operator manages; unset: all.
    #[arg(long, env = "WATCH_NAMESPACE")]
    pub watch_namespace: Option<String>,

    /// Hold a Lease so that of several replicas only one acts. Turn off only when a
    /// single replica runs.
    #[arg(long, env = "LEADER_ELECTION", default_value_t = true, action = ArgAction::Set)]
    pub leader_election: bool,

    /// Name of the leader Lease.
    #[arg(long, env = "LEASE_NAME", default_value = "financetracker-operator")]
    pub lease_name: String,

    /// Namespace of the leader Lease (in a pod: its own namespace, from the downward API);
    /// unset: the kubeconfig's namespace.
    #[arg(long, env = "POD_NAMESPACE")]
    pub lease_namespace: Option<String>,

    /// This replica's identity in the Lease and in events (in a pod: its name); unset: the
    /// host name.
    #[arg(long, env = "POD_NAME")]
    pub pod_name: Option<String>,

    #[command(flatten)]
    pub log: LogArgs,
}
