//! Errors that stop the ML worker process.

use service_kit::ConfigError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("cannot load the model: {0}")]
    Model(#[from] crate::model::embedder::LoadError),
    #[error(transparent)]
    Eval(#[from] crate::eval::EvalError),
    #[error("HTTP server failed")]
    Serve(#[source] std::io::Error),
}
