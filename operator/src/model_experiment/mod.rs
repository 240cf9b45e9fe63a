//! `ModelExperiment`: a candidate model reaches households step by step, judged by
//! Prometheus measurements, and is promoted or rolled back. This module holds the decision
//! (`decide`) and the queries and verdicts of a measurement (`measure`), both pure, and the
//! Prometheus client that asks them (`prometheus`); the resource, routing and analysis loop
//! build on them.

pub mod analysis;
pub mod decide;
pub mod measure;
pub mod prometheus;
pub mod reconcile;
pub mod variants;
