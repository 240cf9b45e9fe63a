//! The FinanceTracker Kubernetes operator.

pub mod config;
pub mod error;
pub mod serve;
