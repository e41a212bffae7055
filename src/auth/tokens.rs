//! Access tokens: short-lived HS256 JWTs (RFC 9068 `typ: at+jwt`), algorithm pinned, with
//! `iss`, `aud`, `exp`, `nbf` and `typ` checked and a `kid` so keys can rotate: the first
//! configured key signs, every configured key verifies. The token names its session; whether
//! the session is still live is checked against the database on every request (see
//! `current_user`), so a token is never enough on its own.
//!
//! Refresh tokens are opaque random strings; only their SHA-256 is stored.

use std::collections::HashMap;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::config::TokenConfig;
use crate::ids::{AccountId, SessionId};

pub const ACCESS_TOKEN_TYPE: &str = "at+jwt";
const ALGORITHM: Algorithm = Algorithm::HS256;

/// Claims of an access token.
#[derive(Debug, Serialize, Deserialize)]
pub struct AccessClaims {
    pub iss: String,
    pub aud: String,
    pub sub: Uuid,
    pub sid: Uuid,
    pub iat: u64,
    pub nbf: u64,
    pub exp: u64,
    pub jti: Uuid,
}

/// Why a token was refused. Logged at debug level; the client only learns "401".
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("malformed token or header")]
    Malformed,
    #[error("token type is not {ACCESS_TOKEN_TYPE}")]
    WrongType,
    #[error("algorithm is not pinned HS256")]
    WrongAlgorithm,
    #[error("unknown key id")]
    UnknownKey,
    #[error("token rejected: {0}")]
    Invalid(jsonwebtoken::errors::Error),
    /// Issued in the future, or living longer than this service ever issues: only a leaked
    /// signing key makes such a token.
    #[error("token lifetime is outside what this service issues")]
    Lifetime,
    #[error("could not sign: {0}")]
    Signing(jsonwebtoken::errors::Error),
}

pub struct TokenKeys {
    signing_kid: String,
    signing: EncodingKey,
    verifying: HashMap<String, DecodingKey>,
    validation: Validation,
    issuer: String,
    audience: String,
    pub access_ttl: Duration,
}

pub struct IssuedAccessToken {
    pub token: String,
    pub expires_in: u64,
}

impl TokenKeys {
    pub fn new(config: &TokenConfig) -> Self {
        let mut validation = Validation::new(ALGORITHM);
        validation.set_issuer(&[&config.issuer]);
        validation.set_audience(&[&config.audience]);
        validation.set_required_spec_claims(&["exp", "nbf", "iat", "iss", "aud", "sub"]);
        validation.validate_nbf = true;
        validation.leeway = 5;
        let (signing_kid, signing_secret) = &config.keys[0];
        TokenKeys {
            signing_kid: signing_kid.clone(),
            signing: EncodingKey::from_secret(signing_secret.expose_secret().as_bytes()),
            verifying: config
                .keys
                .iter()
                .map(|(kid, secret)| {
                    (
                        kid.clone(),
                        DecodingKey::from_secret(secret.expose_secret().as_bytes()),
                    )
                })
                .collect(),
            validation,
            issuer: config.issuer.clone(),
            audience: config.audience.clone(),
            access_ttl: config.access_ttl,
        }
    }

    pub fn issue(
        &self,
        account: AccountId,
        session: SessionId,
    ) -> Result<IssuedAccessToken, TokenError> {
        let now = jsonwebtoken::get_current_timestamp();
        let ttl = self.access_ttl.as_secs();
        let claims = AccessClaims {
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            sub: account.0,
            sid: session.0,
            iat: now,
            nbf: now,
            exp: now + ttl,
            jti: Uuid::now_v7(),
        };
        let mut header = Header::new(ALGORITHM);
        header.typ = Some(ACCESS_TOKEN_TYPE.into());
        header.kid = Some(self.signing_kid.clone());
        let token =
            jsonwebtoken::encode(&header, &claims, &self.signing).map_err(TokenError::Signing)?;
        Ok(IssuedAccessToken {
            token,
            expires_in: ttl,
        })
    }

    pub fn verify(&self, token: &str) -> Result<AccessClaims, TokenError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Malformed)?;
        if header.alg != ALGORITHM {
            return Err(TokenError::WrongAlgorithm);
        }
        if header.typ.as_deref() != Some(ACCESS_TOKEN_TYPE) {
            return Err(TokenError::WrongType);
        }
        let key = header
            .kid
            .as_deref()
            .and_then(|kid| self.verifying.get(kid))
            .ok_or(TokenError::UnknownKey)?;
        let data = jsonwebtoken::decode::<AccessClaims>(token, key, &self.validation)
            .map_err(TokenError::Invalid)?;
        let claims = data.claims;
        let now = jsonwebtoken::get_current_timestamp();
        if claims.iat > now + self.validation.leeway
            || claims.exp.saturating_sub(claims.iat) > self.access_ttl.as_secs()
        {
            return Err(TokenError::Lifetime);
        }
        Ok(claims)
    }
}

/// A new opaque refresh token: 256 random bits, base64url.
pub fn new_refresh_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored for an opaque secret (refresh token, invitation code): its SHA-256. The
/// secrets carry 256 (refresh) or 80+ (codes) random bits, so a fast hash is enough.
pub fn secret_hash(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::SecretString;

    fn config(keys: &[(&str, &str)]) -> TokenConfig {
        TokenConfig {
            issuer: "camau".into(),
            audience: "camau-api".into(),
            keys: keys
                .iter()
                .map(|(k, s)| (k.to_string(), SecretString::from(s.to_string())))
                .collect(),
            access_ttl: Duration::from_secs(600),
            refresh_ttl: Duration::from_secs(3600),
            session_max_age: Duration::from_secs(7200),
            refresh_grace: Duration::from_secs(30),
        }
    }

    const OLD: (&str, &str) = ("old", "an-old-key-that-is-at-least-32-bytes!!");
    const NEW: (&str, &str) = ("new", "a-new-key-that-is-at-least-32-bytes!!!");

    #[test]
    fn signs_and_verifies_and_keeps_old_keys_during_rotation() {
        let before = TokenKeys::new(&config(&[OLD]));
        let during = TokenKeys::new(&config(&[NEW, OLD]));
        let after = TokenKeys::new(&config(&[NEW]));
        let (account, session) = (AccountId::new(), SessionId::new());
        let old_token = before.issue(account, session).unwrap().token;
        let claims = during.verify(&old_token).unwrap();
        assert_eq!((claims.sub, claims.sid), (account.0, session.0));
        assert!(matches!(
            after.verify(&old_token),
            Err(TokenError::UnknownKey)
        ));
        let new_token = during.issue(account, session).unwrap().token;
        assert!(after.verify(&new_token).is_ok());
        assert!(before.verify(&new_token).is_err());
    }

    #[test]
    fn refresh_tokens_are_random_and_hashed() {
        let (a, b) = (new_refresh_token(), new_refresh_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(secret_hash(&a), secret_hash(&a));
        assert_ne!(secret_hash(&a), secret_hash(&b));
    }
}
