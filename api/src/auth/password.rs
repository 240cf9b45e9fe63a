//! Password hashing with argon2id (OWASP's parameters: 19 MiB, 2 passes). Hashing is slow
//! on purpose, so it runs on the blocking pool, never on the async workers.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::http::error::ApiError;

pub const MIN_LENGTH: usize = 10;
pub const MAX_LENGTH: usize = 1024;

fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("static parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A PHC string (`$argon2id$v=19$...`) for `password`.
pub async fn hash(password: String) -> Result<String, ApiError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|e| ApiError::internal(e.to_string()))
    })
    .await
    .map_err(ApiError::internal)?
}

/// Whether `password` matches `phc`. With `None` (no such user) it still spends the time of
/// a real check, so response times do not tell which e-mail addresses have accounts.
pub async fn verify(password: String, phc: Option<String>) -> Result<bool, ApiError> {
    tokio::task::spawn_blocking(move || {
        let phc = phc.unwrap_or_else(|| DECOY.to_owned());
        let parsed = PasswordHash::new(&phc).map_err(|e| ApiError::internal(e.to_string()))?;
        let ok = argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(ok && phc != DECOY)
    })
    .await
    .map_err(ApiError::internal)?
}

/// A valid argon2id hash of a random string, verified against when the user is unknown.
const DECOY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0Y0zF4nI3mQ2k0w1eOqV0bq3Gg3M0ZqvYtYpJ1nF2x8";

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_and_nothing_else() {
        let phc = hash("correct horse battery".to_owned())
            .await
            .expect("hash");
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(
            verify("correct horse battery".to_owned(), Some(phc.clone()))
                .await
                .expect("verify")
        );
        assert!(
            !verify("wrong horse battery".to_owned(), Some(phc))
                .await
                .expect("verify")
        );
    }

    #[tokio::test]
    async fn an_unknown_user_never_verifies() {
        assert!(
            !verify("anything at all".to_owned(), None)
                .await
                .expect("verify")
        );
    }
}
