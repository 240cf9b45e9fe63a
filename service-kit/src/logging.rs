//! Logging: human-readable lines on a terminal, one JSON object per line with
//! `LOG_FORMAT=json` (what log collectors expect in a cluster). Levels use `tracing`'s filter
//! syntax, for example `info` or `info,sqlx=warn`.

use std::io::IsTerminal;

use clap::{Args, ValueEnum};
use tracing_subscriber::EnvFilter;

use crate::ConfigError;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable, coloured when standard output is a terminal.
    #[default]
    Human,
    /// One JSON object per line.
    Json,
}

#[derive(Clone, Debug, Args)]
pub struct LogArgs {
    /// Log line format.
    #[arg(long, env = "LOG_FORMAT", value_enum, default_value_t = LogFormat::Human)]
    pub log_format: LogFormat,

    /// Which events to log, in `tracing` filter syntax (`info`, `debug`, `info,sqlx=warn`).
    #[arg(long, env = "LOG_LEVEL", default_value = "info")]
    pub log_level: String,
}

impl LogArgs {
    /// Installs the global subscriber, logging to stdout (a service). Call once, first
    /// thing after parsing the config.
    pub fn init(&self) -> Result<(), ConfigError> {
        self.init_to(std::io::stdout, std::io::stdout().is_terminal())
    }

    /// The same, logging to stderr: for a command whose stdout is its result (JSON, say).
    pub fn init_stderr(&self) -> Result<(), ConfigError> {
        self.init_to(std::io::stderr, std::io::stderr().is_terminal())
    }

    fn init_to<W>(&self, writer: W, ansi: bool) -> Result<(), ConfigError>
    where
        W: for<'w> tracing_subscriber::fmt::MakeWriter<'w> + Send + Sync + 'static,
    {
        let filter = EnvFilter::try_new(&self.log_level)
            .map_err(|e| ConfigError::new("LOG_LEVEL", "--log-level", e.to_string()))?;
        let builder = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(writer);
        match self.log_format {
            LogFormat::Json => builder
                .json()
                .flatten_event(true)
                .with_current_span(false)
                .init(),
            LogFormat::Human => builder.with_ansi(ansi).init(),
        }
        Ok(())
    }
}
