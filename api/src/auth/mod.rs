//! Authentication: who the caller is (cookies or bearer tokens), sessions with rotating
//! refresh tokens, personal access tokens, and rate limits on sign-in.

pub mod caller;
pub mod ended_sessions;
pub mod password;
pub mod rate_limit;
pub mod routes;
pub mod session;
pub mod tokens;
