//! The ML worker's configuration: every flag is also an environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use service_kit::logging::LogArgs;
use service_kit::stores::StoreArgs;

#[derive(Debug, Parser)]
#[command(
    name = "ml-worker",
    version,
    about = "FinanceTracker categorisation service"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub config: Config,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the HTTP API (the default).
    Serve,
    /// Measure the categoriser on a labelled CSV (columns description, amount, category).
    Eval(EvalArgs),
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// One labelled CSV, split by distinct normalised description.
    #[arg(long, conflicts_with_all = ["train", "test"], required_unless_present_all = ["train", "test"])]
    pub data: Option<PathBuf>,

    /// Share of the distinct descriptions held out for testing (with --data).
    #[arg(long, default_value_t = 0.5)]
    pub test_fraction: f64,

    /// Chooses the split (with --data).
    #[arg(long, default_value_t = 42)]
    pub seed: u64,

    /// Training rows, used as they are (with --test).
    #[arg(long, requires = "test")]
    pub train: Option<PathBuf>,

    /// Test rows (with --train).
    #[arg(long, requires = "train")]
    pub test: Option<PathBuf>,

    /// `logreg` (what the worker uses) or `knn` (nearest neighbours, for comparison).
    #[arg(long, default_value = "logreg", value_parser = ["logreg", "knn"])]
    pub method: String,

    /// Neighbours that vote, with `--method knn`.
    #[arg(long, default_value_t = 5)]
    pub k: usize,

    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,

    /// Also write the split as DIR/train.csv and DIR/test.csv, for other tools to score
    /// the same rows (`bench/categorization/tfidf_baseline.py`).
    #[arg(long, value_name = "DIR")]
    pub write_split: Option<PathBuf>,

    /// Also write each test row with the best guess and its confidence as a CSV
    /// (`description`, `amount`, `category`, `predicted`, `confidence`).
    #[arg(long, value_name = "FILE")]
    pub write_predictions: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct Config {
    /// Address the HTTP server listens on (`0.0.0.0:8090` inside a container).
    #[arg(long, env = "LISTEN_ADDR", default_value = "127.0.0.1:8090")]
    pub listen_addr: SocketAddr,

    /// Seconds that in-flight requests get to finish after SIGTERM.
    #[arg(long, env = "SHUTDOWN_GRACE_SECONDS", default_value_t = 25)]
    pub shutdown_grace_seconds: u64,

    /// Folder of model versions, as `make model` builds it.
    #[arg(long, env = "MODEL_DIR", default_value = "models", global = true)]
    pub model_dir: PathBuf,

    /// The model version to serve (a folder in `MODEL_DIR`).
    #[arg(
        long,
        env = "MODEL_VERSION",
        default_value = "minilm-l6-v2-int8",
        global = true
    )]
    pub model_version: String,

    /// Threads ONNX Runtime uses for one batch.
    #[arg(long, env = "MODEL_THREADS", default_value_t = 2,
          value_parser = clap::value_parser!(u64).range(1..=64))]
    pub model_threads: u64,

    /// Seconds a queued job may sit with a worker that took it before another worker
    /// claims it (the first one presumably crashed).
    #[arg(long, env = "QUEUE_MIN_IDLE_SECONDS", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub queue_min_idle_seconds: u64,

    /// The Redis stream of queued categorisation jobs: `ft:ml:queue`, the serving workers';
    /// a ModelExperiment's candidate reads `ft:ml:queue:<version>`, where the API queues its
    /// households' jobs (the operator sets it). The tests give each worker its own.
    #[arg(long, env = "QUEUE_STREAM", default_value = contracts::categorization::QUEUE_STREAM)]
    pub queue_stream: String,

    #[command(flatten)]
    pub stores: StoreArgs,

    #[command(flatten)]
    pub log: LogArgs,
}
