//! The FinanceTracker controller: dereference → validate → build (pure) → apply → status,
//! one module per step, plus the deletion cleanup.

pub mod build;
pub mod credentials;
pub mod deletion;
pub mod images;
pub mod names;
pub mod nginx;
pub mod reconcile;
pub mod rollout;
pub mod status;
pub mod validate;
pub mod volumes;
