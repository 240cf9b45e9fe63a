//! The ML worker's configuration: every flag is also an environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;

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

    /// Folder of model versions, as `make model` builds it.
    #[arg(long, env = "MODEL_DIR", default_value = "models")]
    pub model_dir: PathBuf,

    /// The model version to serve (a folder in `MODEL_DIR`).
    #[arg(long, env = "MODEL_VERSION", default_value = "minilm-l6-v2-int8")]
    pub model_version: String,

    /// Threads ONNX Runtime uses for one batch.
    #[arg(long, env = "MODEL_THREADS", default_value_t = 2,
          value_parser = clap::value_parser!(u64).range(1..=64))]
    pub model_threads: u64,

    #[command(flatten)]
    pub stores: StoreArgs,

    #[command(flatten)]
    pub log: LogArgs,
}
