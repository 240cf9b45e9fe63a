//! Helpers for tests that start the real binaries against the real Postgres and Redis:
//! a TCP switch that makes a store look down or up, a spawned service that is stopped
//! with SIGTERM, and the store addresses `make test` exports.

pub mod prometheus;
pub mod readiness;
pub mod service;
pub mod stores;
pub mod tcp_switch;

pub use service::Service;
pub use tcp_switch::TcpSwitch;

/// `MODEL_DIR`, or the repository's `models/` that `make model` fills.
pub fn model_dir() -> std::path::PathBuf {
    std::env::var_os("MODEL_DIR").map_or_else(
        || std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models"),
        std::path::PathBuf::from,
    )
}
