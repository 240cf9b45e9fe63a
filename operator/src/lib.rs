//! The FinanceTracker Kubernetes operator.

pub mod apply;
pub mod child;
pub mod config;
pub mod controller;
pub mod crd;
pub mod error;
pub mod finance_tracker;
pub mod leader;
pub mod metrics;
pub mod model_experiment;
pub mod serve;
pub mod shutdown;
