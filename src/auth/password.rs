//! Password hashing and policy. argon2id with OWASP's parameters (m=19456 KiB, t=2, p=1), run on
//! a fixed pool of hashing threads, so a burst of sign-ins neither starves the async workers nor
//! grows memory: each hash needs 19 MiB, and a thread keeps what it allocated, so the number of
//! threads (not only of hashes in flight) must stay fixed. The strength check (zxcvbn, a few
//! milliseconds) runs there too, never on the async workers. The queue in front of the threads
//! is bounded: when it is full the request is shed at once with 503 and `Retry-After` rather
//! than queued without limit. Unknown accounts are verified against a dummy hash, so they take
//! as long as a wrong password and do not reveal which emails exist.

use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{self, Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::oneshot;

use crate::error::{ApiError, ApiResult, ErrorCode};

pub const MIN_CHARS: usize = 12;
pub const MAX_CHARS: usize = 128;

type Job = Box<dyn FnOnce() + Send>;

#[derive(Clone)]
pub struct Passwords {
    jobs: SyncSender<Job>,
    dummy_hash: Arc<str>,
    /// Jobs accepted onto the hashing threads (hashes, verifications, strength checks).
    accepted: Arc<std::sync::atomic::AtomicU64>,
}

fn params() -> Params {
    // Constants within argon2's ranges; `Params::new` only rejects out-of-range values.
    Params::new(19_456, 2, 1, Some(32)).unwrap_or_default()
}

thread_local! {
    /// The argon2 working memory of this hashing thread, reused for every hash: allocating
    /// 19 MiB per hash left each thread's heap holding several of them.
    static MEMORY: std::cell::RefCell<Vec<Block>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Runs argon2id with `params` into `out`, on this thread's reused memory.
fn argon2_into(password: &[u8], salt: &[u8], params: Params, out: &mut [u8]) -> argon2::Result<()> {
    MEMORY.with_borrow_mut(|memory| {
        memory.resize(params.block_count(), Block::default());
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params).hash_password_into_with_memory(
            password,
            salt,
            out,
            &mut memory[..],
        )
    })
}

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) for `password`.
fn hash_blocking(password: &str) -> Result<String, password_hash::Error> {
    let mut salt_bytes = [0u8; 16];
    OsRng.fill_bytes(&mut salt_bytes);
    let salt = SaltString::encode_b64(&salt_bytes)?;
    let params = params();
    let mut out = [0u8; 32];
    argon2_into(password.as_bytes(), &salt_bytes, params.clone(), &mut out)?;
    let hash = PasswordHash {
        algorithm: argon2::ARGON2ID_IDENT,
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params)?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out)?),
    };
    Ok(hash.to_string())
}

/// Whether `password` matches the PHC string `hash` (constant-time comparison).
fn verify_blocking(password: &str, hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    let Ok(params) = Params::try_from(&parsed) else {
        return false;
    };
    let mut salt_buf = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_buf) else {
        return false;
    };
    let mut out = vec![0u8; expected.len()];
    argon2_into(password.as_bytes(), salt, params, &mut out).is_ok()
        && Output::new(&out).is_ok_and(|computed| computed == expected)
}

fn worker(jobs: Arc<Mutex<Receiver<Job>>>) {
    loop {
        // The lock is held only while taking a job, not while running it.
        let job = match jobs.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        match job {
            Ok(job) => job(),
            Err(_) => return, // every sender dropped: the service is shutting down
        }
    }
}

impl Passwords {
    /// Starts `threads` hashing threads; up to `queue` more hashes wait, and beyond that a
    /// request is refused with 503.
    pub fn new(threads: usize, queue: usize) -> Result<Self, password_hash::Error> {
        let (jobs, rx) = sync_channel::<Job>(queue.max(1));
        let rx = Arc::new(Mutex::new(rx));
        for i in 0..threads.max(1) {
            let rx = rx.clone();
            // A thread that cannot start leaves the others; with none, `run` reports an error.
            let _ = std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || worker(rx));
        }
        // Made on a hashing thread, whose working memory is kept anyway.
        let (tx, rx) = std::sync::mpsc::channel();
        let job: Job = Box::new(move || {
            let _ = tx.send(hash_blocking("camau-dummy-password-for-timing"));
        });
        let dummy = jobs
            .send(job)
            .ok()
            .and_then(|()| rx.recv().ok())
            .ok_or(password_hash::Error::Crypto)??;
        Ok(Passwords {
            jobs,
            dummy_hash: dummy.into(),
            accepted: Arc::default(),
        })
    }

    /// How many jobs the hashing threads have accepted since start: for `/metrics`, and for
    /// tests that prove an endpoint did no password work.
    pub fn jobs_accepted(&self) -> u64 {
        self.accepted.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Queues `f` on a hashing thread at once (refusing with 503 when the queue is full) and
    /// returns its result when it has run.
    fn run<T: Send + 'static, F: FnOnce() -> T + Send + 'static>(
        &self,
        f: F,
    ) -> impl Future<Output = ApiResult<T>> + use<T, F> {
        let (tx, rx) = oneshot::channel();
        let queued = self
            .jobs
            .try_send(Box::new(move || {
                let _ = tx.send(f());
            }))
            .inspect(|()| {
                self.accepted
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            })
            .map_err(|e| match e {
                TrySendError::Full(_) => {
                    tracing::warn!(
                        request_id = crate::platform::telemetry::request_id::current(),
                        "password hashing queue full: request shed"
                    );
                    ApiError::busy()
                }
                TrySendError::Disconnected(_) => {
                    ApiError::internal("password hashing threads are gone")
                }
            });
        async move {
            queued?;
            rx.await
                .map_err(|_| ApiError::internal("password hashing thread failed"))
        }
    }

    /// Checks a secret against `policy` on a hashing thread, without hashing it.
    pub async fn check(
        &self,
        secret: &SecretString,
        policy: Policy,
        user_inputs: &[&str],
    ) -> ApiResult<()> {
        let secret = secret.clone();
        let inputs: Vec<String> = user_inputs.iter().map(|s| (*s).to_owned()).collect();
        self.run(move || {
            let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
            match policy {
                Policy::Password => check_policy(&secret, &inputs),
                Policy::PinOrPassword => check_pin_or_password(&secret, &inputs),
            }
        })
        .await?
    }

    /// Checks a new secret against `policy` (with the account's own details as
    /// `user_inputs`) and hashes it, both on a hashing thread.
    pub async fn hash(
        &self,
        secret: &SecretString,
        policy: Policy,
        user_inputs: &[&str],
    ) -> ApiResult<String> {
        let secret = secret.clone();
        let inputs: Vec<String> = user_inputs.iter().map(|s| (*s).to_owned()).collect();
        self.run(move || {
            let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
            match policy {
                Policy::Password => check_policy(&secret, &inputs)?,
                Policy::PinOrPassword => check_pin_or_password(&secret, &inputs)?,
            }
            hash_blocking(secret.expose_secret()).map_err(|e| ApiError::internal(e.to_string()))
        })
        .await?
    }

    /// Verifies `password` against `hash`; with no hash (unknown account) it verifies against a
    /// dummy and returns false, taking the same time.
    pub async fn verify(&self, password: &SecretString, hash: Option<&str>) -> ApiResult<bool> {
        let known = hash.is_some();
        let hash = hash.map_or_else(|| self.dummy_hash.to_string(), str::to_owned);
        let password = password.clone();
        let ok = self
            .run(move || verify_blocking(password.expose_secret(), &hash))
            .await?;
        Ok(known && ok)
    }
}

/// Which rules a new secret must meet.
#[derive(Debug, Clone, Copy)]
pub enum Policy {
    /// Staff and supporters: [`check_policy`].
    Password,
    /// Supported people: [`check_pin_or_password`].
    PinOrPassword,
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

/// A supported person's secret: a PIN of 6 to 12 digits that is not a run or a repeat, or a
/// password under [`check_policy`].
pub fn check_pin_or_password(secret: &SecretString, user_inputs: &[&str]) -> ApiResult<()> {
    let raw = secret.expose_secret();
    if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return check_policy(secret, user_inputs);
    }
    let digits: Vec<i16> = raw.bytes().map(|b| i16::from(b - b'0')).collect();
    if digits.len() < 6 {
        return Err(
            ApiError::new(ErrorCode::PasswordTooShort).with_detail("a PIN has at least 6 digits")
        );
    }
    if digits.len() > 12 {
        return Err(
            ApiError::new(ErrorCode::PasswordTooLong).with_detail("a PIN has at most 12 digits")
        );
    }
    let steps: Vec<i16> = digits.windows(2).map(|w| w[1] - w[0]).collect();
    let repeat = steps.iter().all(|s| *s == 0);
    let run = steps.iter().all(|s| *s == 1) || steps.iter().all(|s| *s == -1);
    let pairs = digits.len().is_multiple_of(2) && digits.chunks(2).all(|c| c == &digits[..2]);
    if repeat || run || pairs {
        return Err(
            ApiError::new(ErrorCode::PasswordTooWeak).with_detail("this PIN is too easy to guess")
        );
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
    fn pins_must_be_long_enough_and_not_a_pattern() {
        let code = |p: &str| check_pin_or_password(&secret(p), &[]).err().map(|e| e.code);
        assert_eq!(code("12345"), Some(ErrorCode::PasswordTooShort));
        assert_eq!(code("1234567890123"), Some(ErrorCode::PasswordTooLong));
        for weak in ["111111", "123456", "987654", "121212"] {
            assert_eq!(code(weak), Some(ErrorCode::PasswordTooWeak), "{weak}");
        }
        assert_eq!(code("480137"), None);
        assert_eq!(code("correct horse battery staple"), None);
        assert_eq!(code("password"), Some(ErrorCode::PasswordTooShort));
    }

    #[test]
    fn policy_uses_the_accounts_own_details() {
        let p = secret("rhiannon.evans@example.org");
        assert!(check_policy(&p, &["rhiannon.evans@example.org", "Rhiannon Evans"]).is_err());
    }

    #[actix_web::test]
    async fn hashes_verify_and_unknown_accounts_never_match() {
        let passwords = Passwords::new(2, 8).unwrap();
        let p = secret("correct horse battery staple");
        let hash = passwords.hash(&p, Policy::Password, &[]).await.unwrap();
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
        let weak = passwords
            .hash(&secret("123456"), Policy::PinOrPassword, &[])
            .await;
        assert_eq!(weak.unwrap_err().code, ErrorCode::PasswordTooWeak);
    }

    #[actix_web::test]
    async fn a_full_queue_sheds_load_with_503() {
        let passwords = Passwords::new(1, 1).unwrap();
        // Hold the only thread, fill the one queue slot, then one more is refused.
        let (release, wait) = std::sync::mpsc::channel::<()>();
        let (started, running) = std::sync::mpsc::channel::<()>();
        let busy = passwords.run(move || {
            let _ = started.send(());
            wait.recv().ok()
        });
        running.recv().unwrap();
        let queued = passwords.run(|| ());
        let shed = passwords.run(|| ()).await.unwrap_err();
        assert_eq!(shed.code, ErrorCode::ServiceUnavailable);
        assert!(shed.retry_after_secs.is_some());
        release.send(()).unwrap();
        assert!(busy.await.is_ok() && queued.await.is_ok());
    }
}
