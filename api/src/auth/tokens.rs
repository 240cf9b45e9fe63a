//! The three kinds of credential and how each is checked:
//! - access tokens: short-lived JWTs (HS256) naming the user and the session family;
//! - refresh tokens and personal access tokens: 256 random bits, stored only as SHA-256;
//! - CSRF tokens: random, compared in constant time with the cookie of the same value.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// Personal access tokens start with this, so a leaked one is recognisable (secret scanners)
/// and the API can tell it from a JWT.
pub const PAT_PREFIX: &str = "ftp_";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessClaims {
    /// The user id.
    pub sub: Uuid,
    /// The refresh-token family (one per sign-in).
    pub sid: Uuid,
    pub iat: i64,
    pub exp: i64,
}

/// Signs and checks access tokens with one HMAC key.
#[derive(Clone)]
pub struct AccessKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl std::fmt::Debug for AccessKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AccessKeys(<redacted>)")
    }
}

impl AccessKeys {
    pub fn new(secret: &[u8]) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
        }
    }

    pub fn sign(&self, claims: &AccessClaims) -> String {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
            .expect("HS256 signing with an in-memory key cannot fail")
    }

    /// The claims of a valid, unexpired token.
    pub fn verify(&self, token: &str) -> Option<AccessClaims> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 5;
        validation.set_required_spec_claims(&["exp", "sub"]);
        jsonwebtoken::decode::<AccessClaims>(token, &self.decoding, &validation)
            .ok()
            .map(|data| data.claims)
    }
}

/// 256 random bits, URL-safe base64, after `prefix`.
pub fn random_token(prefix: &str) -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// What is stored of a token: its SHA-256 (the token is random, so no salt is needed).
pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Compares two secrets without leaking where they differ through timing.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// What to do with a presented refresh token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefreshDecision {
    /// Unused and current: mark it used and issue the next pair.
    Rotate,
    /// Used moments ago, by another tab refreshing at the same time: issue another pair
    /// of the same session and revoke nothing.
    RotateAgain,
    /// Used before the grace period: a copy is in someone else's hands. End the session.
    Reused,
    /// Revoked (signed out, or ended after a reuse).
    Ended,
    Expired,
}

/// Pure: the decision for a refresh token in this state at `now`.
pub fn refresh_decision(
    revoked: bool,
    used_at: Option<DateTime<Utc>>,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
    grace: std::time::Duration,
) -> RefreshDecision {
    if revoked {
        return RefreshDecision::Ended;
    }
    if expires_at <= now {
        return RefreshDecision::Expired;
    }
    match used_at {
        None => RefreshDecision::Rotate,
        Some(used) => {
            let since = (now - used).to_std().unwrap_or_default();
            if since <= grace {
                RefreshDecision::RotateAgain
            } else {
                RefreshDecision::Reused
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp_offset: i64) -> AccessClaims {
        let now = chrono::Utc::now().timestamp();
        AccessClaims {
            sub: Uuid::new_v4(),
            sid: Uuid::new_v4(),
            iat: now,
            exp: now + exp_offset,
        }
    }

    #[test]
    fn a_signed_token_verifies_with_the_same_key_only() {
        let keys = AccessKeys::new(b"0123456789abcdef0123456789abcdef");
        let c = claims(60);
        let token = keys.sign(&c);
        assert_eq!(keys.verify(&token), Some(c));
        let other = AccessKeys::new(b"another key of at least 32 bytes!!");
        assert_eq!(other.verify(&token), None);
        assert_eq!(keys.verify(&format!("{token}x")), None);
    }

    #[test]
    fn an_expired_token_is_refused() {
        let keys = AccessKeys::new(b"0123456789abcdef0123456789abcdef");
        assert_eq!(keys.verify(&keys.sign(&claims(-60))), None);
    }

    #[test]
    fn random_tokens_are_distinct_and_prefixed() {
        let a = random_token(PAT_PREFIX);
        let b = random_token(PAT_PREFIX);
        assert_ne!(a, b);
        assert!(a.starts_with("ftp_") && a.len() == 4 + 43, "{a}");
        assert_eq!(token_hash(&a).len(), 32);
        assert_ne!(token_hash(&a), token_hash(&b));
    }

    #[test]
    fn constant_time_eq_is_equality() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
    }

    #[test]
    fn a_refresh_token_rotates_once_and_a_late_second_use_is_theft() {
        let now = Utc::now();
        let later = now + chrono::Duration::days(1);
        let grace = std::time::Duration::from_secs(30);
        let decide = |revoked, used_at, expires_at| {
            refresh_decision(revoked, used_at, expires_at, now, grace)
        };
        assert_eq!(decide(false, None, later), RefreshDecision::Rotate);
        let moments_ago = now - chrono::Duration::seconds(2);
        assert_eq!(
            decide(false, Some(moments_ago), later),
            RefreshDecision::RotateAgain
        );
        let at_the_edge = now - chrono::Duration::seconds(30);
        assert_eq!(
            decide(false, Some(at_the_edge), later),
            RefreshDecision::RotateAgain
        );
        let past_the_edge = now - chrono::Duration::seconds(31);
        assert_eq!(
            decide(false, Some(past_the_edge), later),
            RefreshDecision::Reused
        );
        assert_eq!(
            refresh_decision(
                false,
                Some(moments_ago),
                later,
                now,
                std::time::Duration::ZERO
            ),
            RefreshDecision::Reused,
            "no grace: any second use is theft"
        );
        assert_eq!(decide(true, None, later), RefreshDecision::Ended);
        assert_eq!(
            decide(true, Some(moments_ago), later),
            RefreshDecision::Ended
        );
        assert_eq!(decide(false, None, now), RefreshDecision::Expired);
    }
}
