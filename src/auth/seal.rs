//! Sealing what must be kept but must not be readable from the database alone: replayable
//! responses (idempotency) and a spent refresh token's successor. AES-256-GCM under a key
//! derived (HKDF-SHA256) from a server secret and a secret only the client holds (its
//! idempotency key, its refresh token), so a copy of the database opens nothing, and neither
//! does the server without the client's secret. Every configured token key can open; the first
//! seals, so rotating keys keeps what was sealed before readable while the old key is listed.

use aws_lc_rs::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use aws_lc_rs::hkdf::{HKDF_SHA256, Salt};
use aws_lc_rs::hmac;
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};

const SALT: &[u8] = b"camau seal v1";

pub struct Sealer {
    secrets: Vec<SecretString>,
}

fn key(secret: &SecretString, purpose: &[u8], client_secret: &[u8]) -> Option<LessSafeKey> {
    let prk = Salt::new(HKDF_SHA256, SALT).extract(secret.expose_secret().as_bytes());
    let info = [purpose, b"\0", client_secret];
    let okm = prk.expand(&info, &AES_256_GCM).ok()?;
    Some(LessSafeKey::new(UnboundKey::from(okm)))
}

impl Sealer {
    /// From the server secrets, the sealing one first.
    pub fn new(secrets: Vec<SecretString>) -> Self {
        Sealer { secrets }
    }

    /// `nonce || ciphertext || tag` of `plaintext`, bound to `purpose` and `client_secret`.
    pub fn seal(&self, purpose: &[u8], client_secret: &[u8], plaintext: &[u8]) -> Option<Vec<u8>> {
        let key = key(self.secrets.first()?, purpose, client_secret)?;
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let mut sealed = plaintext.to_vec();
        key.seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(purpose),
            &mut sealed,
        )
        .ok()?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Some(out)
    }

    /// Keyed fingerprints of `data` (HMAC-SHA256 under a key derived from a server secret and
    /// `purpose`), stored where a plain hash of something short or guessable could be
    /// reversed by someone holding only the database. One per configured secret, the current
    /// one first: what was stored before a rotation is still found while the old secret is
    /// listed.
    pub fn fingerprints(&self, purpose: &[u8], data: &[&[u8]]) -> Vec<Vec<u8>> {
        let mut all: Vec<Vec<u8>> = self
            .secrets
            .iter()
            .map(|s| fingerprint_with(s.expose_secret().as_bytes(), purpose, data))
            .collect();
        if all.is_empty() {
            all.push(fingerprint_with(b"", purpose, data));
        }
        all
    }

    /// The plaintext, or `None` when no configured secret opens it (or it was altered).
    pub fn open(&self, purpose: &[u8], client_secret: &[u8], sealed: &[u8]) -> Option<Vec<u8>> {
        let (nonce, body) = sealed.split_at_checked(NONCE_LEN)?;
        self.secrets.iter().find_map(|secret| {
            let key = key(secret, purpose, client_secret)?;
            let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
            let mut buf = body.to_vec();
            let plain = key
                .open_in_place(nonce, Aad::from(purpose), &mut buf)
                .ok()?;
            Some(plain.to_vec())
        })
    }
}

fn fingerprint_with(secret: &[u8], purpose: &[u8], data: &[&[u8]]) -> Vec<u8> {
    let prk = Salt::new(HKDF_SHA256, SALT).extract(secret);
    let mut key = [0u8; 32];
    let info = [b"fingerprint\0", purpose];
    let _ = prk
        .expand(&info, HKDF_SHA256)
        .and_then(|okm| okm.fill(&mut key));
    let key = hmac::Key::new(hmac::HMAC_SHA256, &key);
    let mut ctx = hmac::Context::with_key(&key);
    for part in data {
        ctx.update(&(part.len() as u64).to_be_bytes());
        ctx.update(part);
    }
    ctx.sign().as_ref().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealer(secrets: &[&str]) -> Sealer {
        Sealer::new(secrets.iter().map(|s| SecretString::from(*s)).collect())
    }

    #[test]
    fn opens_only_with_the_same_purpose_client_secret_and_a_listed_server_secret() {
        let s = sealer(&["server-secret-one-long-enough-32b"]);
        let sealed = s.seal(b"idempotency", b"client-key", b"Rhiannon").unwrap();
        assert!(!sealed.windows(8).any(|w| w == b"Rhiannon"));
        assert_eq!(
            s.open(b"idempotency", b"client-key", &sealed).as_deref(),
            Some(&b"Rhiannon"[..])
        );
        assert_eq!(s.open(b"idempotency", b"other-key", &sealed), None);
        assert_eq!(s.open(b"refresh", b"client-key", &sealed), None);
        assert_eq!(
            sealer(&["another-server-secret"]).open(b"idempotency", b"client-key", &sealed),
            None
        );
        // After rotation the old secret still opens what it sealed.
        let rotated = sealer(&["new-server-secret", "server-secret-one-long-enough-32b"]);
        assert!(
            rotated
                .open(b"idempotency", b"client-key", &sealed)
                .is_some()
        );
        let f =
            |s: &Sealer, purpose: &[u8], data: &[&[u8]]| s.fingerprints(purpose, data)[0].clone();
        let one = f(&s, b"key", &[b"retry-1"]);
        assert_eq!(one, f(&s, b"key", &[b"retry-1"]));
        assert_ne!(one, f(&s, b"key", &[b"retry-2"]));
        assert_ne!(one, f(&s, b"other", &[b"retry-1"]));
        assert_ne!(
            one,
            f(&sealer(&["another-server-secret"]), b"key", &[b"retry-1"])
        );
        // Parts are length-prefixed: ("ab", "c") is not ("a", "bc").
        assert_ne!(f(&s, b"k", &[b"ab", b"c"]), f(&s, b"k", &[b"a", b"bc"]));
        // After rotation the old fingerprint is still among them, second.
        let all = rotated.fingerprints(b"key", &[b"retry-1"]);
        assert_eq!(all.len(), 2);
        assert_eq!(all[1], one);
        let mut tampered = sealed.clone();
        *tampered.last_mut().unwrap() ^= 1;
        assert_eq!(s.open(b"idempotency", b"client-key", &tampered), None);
        assert_eq!(s.open(b"idempotency", b"client-key", b"short"), None);
    }
}
