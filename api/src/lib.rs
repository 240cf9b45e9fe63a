//! The FinanceTracker API service: REST under `/api/v1`, probes and metrics.

pub mod config;
pub mod error;
pub mod serve;
