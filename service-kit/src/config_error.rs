//! The one error a binary reports when a setting is unusable: it names the flag and the
//! environment variable so the operator of the service knows exactly what to change.

/// A setting that cannot be used, reported as `invalid DATABASE_URL (--database-url): ...`.
#[derive(Debug, thiserror::Error)]
#[error("invalid {env} ({flag}): {reason}")]
pub struct ConfigError {
    pub env: &'static str,
    pub flag: &'static str,
    pub reason: String,
}

impl ConfigError {
    pub fn new(env: &'static str, flag: &'static str, reason: impl Into<String>) -> Self {
        Self {
            env,
            flag,
            reason: reason.into(),
        }
    }
}
