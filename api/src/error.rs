//! Errors that stop the API process. Request-level errors live with the routes.

use service_kit::ConfigError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("HTTP server failed")]
    Serve(#[source] std::io::Error),
    #[error("cannot apply database migrations")]
    Migrate(#[source] sqlx::migrate::MigrateError),
    #[error("cannot create the demo data: {0}")]
    Seed(String),
}
