//! The operator against a fake Kubernetes API server (no real one can run on this
//! machine): the controller loop in-process, and the real binary over HTTP.

mod apply_calls;
mod binary;
mod controller;
mod experiment;
mod fake;
mod harness;
