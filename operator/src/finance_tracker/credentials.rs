//! The passwords and signing key the operator generates. A value is made once, when its
//! Secret does not exist, and read back from the Secret on every later reconcile: a new
//! value for an existing database would lock the platform out of its own data.

use std::collections::BTreeMap;

use crate::crd::FinanceTrackerSpec;
use crate::crd::finance_tracker::{SecretKeyRef, SigningKeyRef, StoreMode};

use super::names::Names;

pub const POSTGRES_USER: &str = "financetracker";
pub const POSTGRES_DB: &str = "financetracker";
pub const PASSWORD_KEY: &str = "password";
pub const URL_KEY: &str = "url";
pub const SIGNING_KEY: &str = "signing-key";

/// Generated values, `None` where the spec points at the user's own Secret instead.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Credentials {
    pub postgres_password: Option<String>,
    pub redis_password: Option<String>,
    pub jwt_key: Option<String>,
    /// A digest of every secret value the pods read (generated and referenced), so that a
    /// changed value rolls the pods that read it at start.
    pub digest: String,
}

// Never print a password, even in a test failure.
impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("digest", &self.digest)
            .finish_non_exhaustive()
    }
}

/// One Secret as read from the cluster: its keys and their decoded values.
pub type SecretData = BTreeMap<String, String>;

/// Which generated value lives where: `(secret name, key)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generated {
    PostgresPassword,
    RedisPassword,
    JwtKey,
}

impl Generated {
    pub fn location(self, names: &Names) -> (String, &'static str) {
        match self {
            Self::PostgresPassword => (names.postgres_secret(), PASSWORD_KEY),
            Self::RedisPassword => (names.redis_secret(), PASSWORD_KEY),
            Self::JwtKey => (names.jwt_secret(), SIGNING_KEY),
        }
    }

    /// Length of a fresh value: alphanumeric, so it needs no escaping inside a URL.
    pub fn length(self) -> usize {
        match self {
            Self::PostgresPassword | Self::RedisPassword => 32,
            Self::JwtKey => 64,
        }
    }
}

/// The generated values this spec needs.
pub fn needed(spec: &FinanceTrackerSpec) -> Vec<Generated> {
    let mut needed = Vec::new();
    if spec.postgres.mode == StoreMode::Managed {
        needed.push(Generated::PostgresPassword);
    }
    if spec.redis.mode == StoreMode::Managed {
        needed.push(Generated::RedisPassword);
    }
    if spec.auth.jwt_secret_ref.is_none() {
        needed.push(Generated::JwtKey);
    }
    needed
}

/// Pure: the credentials, keeping every value already in `secrets` (by Secret name) and
/// taking a fresh one from `fresh` only where none exists. `referenced` holds the values
/// of the user's own Secrets the pods read, for the digest.
pub fn resolve(
    spec: &FinanceTrackerSpec,
    names: &Names,
    secrets: &BTreeMap<String, SecretData>,
    referenced: &[&str],
    fresh: &mut dyn FnMut(Generated) -> String,
) -> Credentials {
    let mut value = |which: Generated| {
        let (secret, key) = which.location(names);
        secrets
            .get(&secret)
            .and_then(|data| data.get(key))
            .filter(|v| !v.is_empty())
            .cloned()
            .unwrap_or_else(|| fresh(which))
    };
    let mut credentials = Credentials::default();
    for which in needed(spec) {
        let v = Some(value(which));
        match which {
            Generated::PostgresPassword => credentials.postgres_password = v,
            Generated::RedisPassword => credentials.redis_password = v,
            Generated::JwtKey => credentials.jwt_key = v,
        }
    }
    let mut material = String::new();
    for v in [
        &credentials.postgres_password,
        &credentials.redis_password,
        &credentials.jwt_key,
    ] {
        material.push_str(v.as_deref().unwrap_or(""));
        material.push('\n');
    }
    for v in referenced {
        material.push_str(v);
        material.push('\n');
    }
    credentials.digest = service_kit::digest::sha256_hex(material.as_bytes());
    credentials
}

/// Where the pods read the database URL.
pub fn database_url(spec: &FinanceTrackerSpec, names: &Names) -> SecretKeyRef {
    match (&spec.postgres.mode, &spec.postgres.external_secret_ref) {
        (StoreMode::External, Some(external)) => external.clone(),
        _ => SecretKeyRef {
            name: names.postgres_secret(),
            key: URL_KEY.to_owned(),
        },
    }
}

/// Where the pods read the Redis URL.
pub fn redis_url(spec: &FinanceTrackerSpec, names: &Names) -> SecretKeyRef {
    match (&spec.redis.mode, &spec.redis.external_secret_ref) {
        (StoreMode::External, Some(external)) => external.clone(),
        _ => SecretKeyRef {
            name: names.redis_secret(),
            key: URL_KEY.to_owned(),
        },
    }
}

/// Where the API reads its token-signing key.
pub fn jwt_key(spec: &FinanceTrackerSpec, names: &Names) -> SecretKeyRef {
    spec.auth.jwt_secret_ref.as_ref().map_or_else(
        || SecretKeyRef {
            name: names.jwt_secret(),
            key: SIGNING_KEY.to_owned(),
        },
        SigningKeyRef::secret_key,
    )
}

/// The Secret keys of the user's own that the spec references, for the dereference step.
pub fn references(spec: &FinanceTrackerSpec) -> Vec<(&'static str, SecretKeyRef)> {
    let mut refs = Vec::new();
    if let (StoreMode::External, Some(r)) = (spec.postgres.mode, &spec.postgres.external_secret_ref)
    {
        refs.push(("spec.postgres.externalSecretRef", r.clone()));
    }
    if let (StoreMode::External, Some(r)) = (spec.redis.mode, &spec.redis.external_secret_ref) {
        refs.push(("spec.redis.externalSecretRef", r.clone()));
    }
    if let Some(r) = &spec.auth.jwt_secret_ref {
        refs.push(("spec.auth.jwtSecretRef", r.secret_key()));
    }
    refs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crd::FinanceTracker;

    fn names() -> Names {
        Names::new(&FinanceTracker::stored(
            "home",
            FinanceTrackerSpec::default(),
        ))
    }

    #[test]
    fn values_already_in_their_secrets_are_kept_and_only_missing_ones_are_generated() {
        let spec = FinanceTrackerSpec::default();
        let secrets = BTreeMap::from([(
            "home-postgres".to_owned(),
            SecretData::from([("password".to_owned(), "kept-password".to_owned())]),
        )]);
        let mut made = Vec::new();
        let credentials = resolve(&spec, &names(), &secrets, &[], &mut |which| {
            made.push(which);
            format!("fresh-{which:?}")
        });
        assert_eq!(
            credentials.postgres_password.as_deref(),
            Some("kept-password")
        );
        assert_eq!(
            credentials.redis_password.as_deref(),
            Some("fresh-RedisPassword")
        );
        assert_eq!(made, [Generated::RedisPassword, Generated::JwtKey]);
    }

    #[test]
    fn external_stores_and_an_own_signing_key_need_nothing_generated() {
        let mut spec = FinanceTrackerSpec::default();
        spec.postgres.mode = StoreMode::External;
        spec.redis.mode = StoreMode::External;
        spec.auth.jwt_secret_ref = Some(SigningKeyRef {
            name: "mine".to_owned(),
            key: "k".to_owned(),
        });
        assert!(needed(&spec).is_empty());
    }

    #[test]
    fn the_digest_changes_with_any_value_the_pods_read() {
        let spec = FinanceTrackerSpec::default();
        let mut fixed = |_: Generated| "same".to_owned();
        let a = resolve(&spec, &names(), &BTreeMap::new(), &["x"], &mut fixed);
        let b = resolve(&spec, &names(), &BTreeMap::new(), &["x"], &mut fixed);
        let c = resolve(&spec, &names(), &BTreeMap::new(), &["y"], &mut fixed);
        assert_eq!(a.digest, b.digest);
        assert_ne!(a.digest, c.digest);
        assert!(
            !format!("{a:?}").contains("same"),
            "Debug must not print values"
        );
    }
}
