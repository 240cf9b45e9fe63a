//! The FinanceTracker ML worker: categorises transactions with a local model.

pub mod classifier;
pub mod config;
pub mod error;
pub mod eval;
pub mod ledgers;
pub mod metrics;
pub mod model;
pub mod normalise;
pub mod queue;
pub mod routes;
pub mod seeds;
pub mod serve;
