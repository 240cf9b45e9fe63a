//! What every FinanceTracker binary shares, so each service's `main` stays a few lines:
//! configuration pieces read by `clap` from flags or environment, logging, the `/healthz`,
//! `/readyz` and `/metrics` endpoints, and serving with a graceful drain on SIGTERM.

pub mod config_error;
pub mod digest;
pub mod events;
pub mod exit;
pub mod json;
pub mod logging;
pub mod metrics;
pub mod probes;
pub mod schema;
pub mod secret;
pub mod server;
pub mod stores;
pub mod streams;

pub use config_error::ConfigError;
pub use secret::Secret;
