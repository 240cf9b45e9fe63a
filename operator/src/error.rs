//! Errors that stop the operator process.

use service_kit::ConfigError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("HTTP server failed")]
    Serve(#[source] std::io::Error),
}
