//! Password hashing and policy. argon2id with OWASP's parameters (m=19456 KiB, t=2, p=1), run on
//! blocking threads behind a semaphore so a burst of sign-ins cannot starve the async workers or
//! exhaust memory. Unknown accounts are verified against a dummy hash, so they take as long as a
//! wrong password and do not reveal which emails exist.

use std::sync::Arc;

use argon2::password_hash::SaltString;
use argon2::password_hash::rand_core::OsRng;
use argon2::{
    Algorithm, Argon2, Params, PasswordHash, PasswordHasher as _, PasswordVerifier, Version,
};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Semaphore;

use crate::error::{ApiError, ApiResult, ErrorCode};

pub const MIN_CHARS: usize = 12;
pub const MAX_CHARS: usize = 128;

#[derive(Clone)]
pub struct Passwords {
    permits: Arc<Semaphore>,
    dummy_hash: Arc<str>,
}

fn argon2() -> Argon2<'static> {
    // The parameters are constants; `Params::new` only rejects out-of-range values.
    let params = Params::new(19_456, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_blocking(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(argon2()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

impl Passwords {
    /// `concurrency` bounds the hashes in flight.
    pub fn new(concurrency: usize) -> Result<Self, argon2::password_hash::Error> {
        Ok(Passwords {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            dummy_hash: hash_blocking("camau-dummy-password-for-timing")?.into(),
        })
    }

    /// Hashes a password that already passed [`check_policy`].
    pub async fn hash(&self, password: &SecretString) -> ApiResult<String> {
        let _permit = self.permits.acquire().await.map_err(ApiError::internal)?;
        let password = password.clone();
        actix_web::rt::task::spawn_blocking(move || hash_blocking(password.expose_secret()))
            .await
            .map_err(ApiError::internal)?
            .map_err(|e| ApiError::internal(e.to_string()))
    }

    /// Verifies `password` against `hash`; with no hash (unknown account) it verifies against a
    /// dummy and returns false, taking the same time.
    pub async fn verify(&self, password: &SecretString, hash: Option<&str>) -> ApiResult<bool> {
        let _permit = self.permits.acquire().await.map_err(ApiError::internal)?;
        let known = hash.is_some();
        let hash = hash.map_or_else(|| self.dummy_hash.to_string(), str::to_owned);
        let password = password.clone();
        let ok = actix_web::rt::task::spawn_blocking(move || {
            PasswordHash::new(&hash).is_ok_and(|parsed| {
                argon2()
                    .verify_password(password.expose_secret().as_bytes(), &parsed)
                    .is_ok()
            })
        })
        .await
        .map_err(ApiError::internal)?;
        Ok(known && ok)
    }
}

/// 12–128 characters, any characters, and not easy to guess (zxcvbn score 3 or more, taking
/// the account's own email and name into account).
pub fn check_policy(password: &SecretString, user_inputs: &[&str]) -> ApiResult<()> {
    let password = password.expose_secret();
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(ApiError::new(ErrorCode::PasswordTooShort)
            .with_detail(format!("use at least {MIN_CHARS} characters")));
    }
    if chars > MAX_CHARS {
        return Err(ApiError::new(ErrorCode::PasswordTooLong)
            .with_detail(format!("use at most {MAX_CHARS} characters")));
    }
    let estimate = zxcvbn::zxcvbn(password, user_inputs);
    if estimate.score() < zxcvbn::Score::Three {
        let hint = estimate
            .feedback()
            .and_then(|f| f.warning().map(|w| w.to_string()))
            .unwrap_or_else(|| "add more words or characters that are hard to guess".into());
        return Err(ApiError::new(ErrorCode::PasswordTooWeak).with_detail(hint));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(s: &str) -> SecretString {
        SecretString::from(s.to_owned())
    }

    #[test]
    fn policy_bounds_length_and_refuses_guessable_passwords() {
        let code = |p: &str| check_policy(&secret(p), &[]).err().map(|e| e.code);
        assert_eq!(code("short"), Some(ErrorCode::PasswordTooShort));
        assert_eq!(code(&"x".repeat(129)), Some(ErrorCode::PasswordTooLong));
        assert_eq!(code("password1234"), Some(ErrorCode::PasswordTooWeak));
        assert_eq!(code("aaaaaaaaaaaa"), Some(ErrorCode::PasswordTooWeak));
        assert_eq!(code("correct horse battery staple"), None);
        // Any characters are allowed, counted as characters rather than bytes.
        assert_eq!(code("Cŵn bach yn chwarae ⚽ ar y traeth"), None);
    }

    #[test]
    fn policy_uses_the_accounts_own_details() {
        let p = secret("rhiannon.evans@example.org");
        assert!(check_policy(&p, &["rhiannon.evans@example.org", "Rhiannon Evans"]).is_err());
    }

    #[actix_web::test]
    async fn hashes_verify_and_unknown_accounts_never_match() {
        let passwords = Passwords::new(2).unwrap();
        let p = secret("correct horse battery staple");
        let hash = passwords.hash(&p).await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(passwords.verify(&p, Some(&hash)).await.unwrap());
        assert!(
            !passwords
                .verify(&secret("wrong horse battery staple"), Some(&hash))
                .await
                .unwrap()
        );
        assert!(!passwords.verify(&p, None).await.unwrap());
        assert!(!passwords.verify(&p, Some("not a hash")).await.unwrap());
    }
}
