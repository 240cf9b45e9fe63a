//! The local sentence-embedding model: its files as `make model` writes them (checked
//! against their manifest before loading) and the embeddings computed with them.

pub mod embedder;
pub mod manifest;
