//! The FinanceTracker API service: REST under `/api/v1`, probes and metrics.

pub mod accounts;
pub mod analytics;
pub mod auth;
pub mod categories;
pub mod config;
pub mod demo;
pub mod error;
pub mod exchange_rates;
pub mod http;
pub mod ledgers;
pub mod money;
pub mod serve;
pub mod transactions;
