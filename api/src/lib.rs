//! The FinanceTracker API service: REST under `/api/v1`, live events on a WebSocket, probes
//! and metrics.

pub mod accounts;
pub mod analytics;
pub mod auth;
pub mod budgets;
pub mod categories;
pub mod config;
pub mod dates;
pub mod demo;
pub mod error;
pub mod events;
pub mod exchange_rates;
pub mod goals;
pub mod http;
pub mod imports;
pub mod ledgers;
pub mod ml;
pub mod money;
pub mod serve;
pub mod transactions;
