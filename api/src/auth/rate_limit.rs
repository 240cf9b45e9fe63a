//! Fixed-window rate limits kept in Redis (shared by every API replica): a counter per key
//! that expires with its window. If Redis is unreachable the limit is not enforced (and a
//! warning is logged): sign-in stays possible, and argon2 still makes guessing slow.

use std::time::Duration;

use service_kit::stores::LazyRedis;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: u64,
    pub window: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    Deny { retry_after_seconds: u64 },
}

/// Pure: `count` hits so far in a window with `ttl_ms` left (negative when Redis reports
/// no expiry) against `limit`.
pub fn decide(count: u64, ttl_ms: i64, limit: Limit) -> Decision {
    if count <= limit.max {
        return Decision::Allow;
    }
    let window_ms = u64::try_from(limit.window.as_millis()).unwrap_or(u64::MAX);
    let ttl_ms = u64::try_from(ttl_ms).unwrap_or(window_ms);
    Decision::Deny {
        retry_after_seconds: ttl_ms.div_ceil(1000).max(1),
    }
}

#[derive(Debug, Clone)]
pub struct RateLimiter {
    redis: LazyRedis,
}

impl RateLimiter {
    pub fn new(redis: LazyRedis) -> Self {
        Self { redis }
    }

    /// Counts one hit on `key` and decides.
    pub async fn hit(&self, key: &str, limit: Limit) -> Decision {
        let key = format!("ft:ratelimit:{key}");
        let window_ms = u64::try_from(limit.window.as_millis()).unwrap_or(u64::MAX);
        let mut pipeline = redis::pipe();
        pipeline
            .atomic()
            .incr(&key, 1)
            .cmd("PEXPIRE")
            .arg(&key)
            .arg(window_ms)
            .arg("NX")
            .ignore()
            .pttl(&key);
        match self.redis.pipeline::<(u64, i64)>(&pipeline).await {
            Ok((count, ttl_ms)) => decide(count, ttl_ms, limit),
            Err(e) => {
                tracing::warn!(error = %e, "rate limit not enforced: Redis unavailable");
                Decision::Allow
            }
        }
    }

    /// Forgets the hits on `key` (after a successful sign-in, for example).
    pub async fn reset(&self, key: &str) {
        let key = format!("ft:ratelimit:{key}");
        if let Err(e) = self.redis.query::<()>(redis::cmd("DEL").arg(&key)).await {
            tracing::warn!(error = %e, "cannot reset a rate limit counter");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: Limit = Limit {
        max: 3,
        window: Duration::from_mins(1),
    };

    #[test]
    fn allows_up_to_the_limit_then_denies_until_the_window_ends() {
        assert_eq!(decide(1, 60_000, LIMIT), Decision::Allow);
        assert_eq!(decide(3, 10, LIMIT), Decision::Allow);
        assert_eq!(
            decide(4, 12_300, LIMIT),
            Decision::Deny {
                retry_after_seconds: 13
            }
        );
        assert_eq!(
            decide(4, 1, LIMIT),
            Decision::Deny {
                retry_after_seconds: 1
            }
        );
        assert_eq!(
            decide(9, -1, LIMIT),
            Decision::Deny {
                retry_after_seconds: 60
            }
        );
    }
}
