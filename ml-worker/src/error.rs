//! Errors that stop the ML worker process.

use service_kit::ConfigError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("HTTP server failed")]
    Serve(#[source] std::io::Error),
}
