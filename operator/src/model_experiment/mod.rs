//! `ModelExperiment`: a candidate model reaches households step by step, judged by
//! Prometheus measurements, and is promoted or rolled back. This module holds the decision
//! (pure, in `decide`); the resource, routing and analysis loop build on it.

pub mod decide;
