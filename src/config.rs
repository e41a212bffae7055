//! Typed configuration, read once from the environment and validated at start-up, so that a
//! misconfigured deployment stops with a message naming the variable instead of failing later.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};

/// Everything the service needs to run. Secrets are `SecretString`: their `Debug` is redacted.
#[derive(Debug, Clone)]
pub struct Config {
    pub bind: SocketAddr,
    pub workers: Option<usize>,
    pub database: DatabaseConfig,
    pub tokens: TokenConfig,
    pub storage: StorageConfig,
    pub log_format: LogFormat,
    /// How many argon2 hashes may run at once (each uses ~19 MiB and one core).
    pub password_hash_concurrency: usize,
    /// How many more may wait; past that, 503 with `Retry-After`.
    pub password_hash_queue: usize,
    pub invitation_ttl: Duration,
    /// A console session ends after this long without a request (`CAMAU_CONSOLE_IDLE_MINUTES`).
    pub console_idle: Duration,
    pub login_throttle: LoginThrottleConfig,
    pub quotas: QuotaConfig,
    /// Largest JSON body accepted, in bytes.
    pub max_json_bytes: usize,
    /// How often `serve` purges expired rows (see `housekeeping`).
    pub housekeeping_interval: Duration,
    /// A request body must have arrived this long after the request started, or 408.
    pub request_body_timeout: Duration,
    /// The bearer token `/metrics` asks for; without one `/metrics` answers 404.
    pub metrics_token: Option<SecretString>,
    /// Reverse proxies whose `X-Forwarded-For` is believed (addresses or CIDR ranges).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    pub mail: MailConfig,
    /// How long a password-reset token works.
    pub password_reset_ttl: Duration,
    pub photos: PhotoConfig,
    pub streams: StreamConfig,
    pub push: PushConfig,
}

#[derive(Debug, Clone)]
pub struct PushConfig {
    pub transport: PushTransport,
    /// How often `serve` sends what is due.
    pub poll_interval: Duration,
    /// Attempts before a notification is given up (dead-lettered).
    pub max_attempts: i32,
}

#[derive(Debug, Clone)]
pub enum PushTransport {
    /// Development: a log line with ids only.
    Log,
    /// FCM HTTP v1 with a service account's JSON key (a secret), sent to `endpoint`.
    Fcm {
        credentials: SecretString,
        endpoint: String,
    },
}

#[derive(Debug, Clone)]
pub struct StreamConfig {
    /// Live streams one account may hold open on one instance (a phone and a tablet, and
    /// some slack for reconnects).
    pub per_account: usize,
    /// Live streams one instance holds open; past it, 503 and another instance takes them.
    pub per_instance: usize,
    /// How often an open stream sends a heartbeat and checks the caller's access again.
    pub heartbeat: Duration,
}

#[derive(Debug, Clone)]
pub struct PhotoConfig {
    /// Largest photo upload accepted, in bytes.
    pub max_bytes: usize,
    /// Most bytes of photo uploads one instance holds at once (arriving or waiting).
    pub max_bytes_in_flight: usize,
    /// A photo body must have arrived this long after the request started (phones on a
    /// slow network need longer than for JSON).
    pub body_timeout: Duration,
    /// How many photos are decoded and encoded at once (each takes a core and up to ~150 MB).
    pub concurrency: usize,
    /// How long an upload waits for a turn before 503 with `Retry-After`.
    pub queue_wait: Duration,
    /// How long a signed S3 URL for a photo works (at most 5 minutes).
    pub url_ttl: Duration,
}

#[derive(Debug, Clone)]
pub struct MailConfig {
    pub transport: MailTransport,
    /// The `From` of every mail.
    pub from: String,
    /// How often `serve` delivers the outbox.
    pub poll_interval: Duration,
    /// Attempts before a mail is given up.
    pub max_attempts: i32,
}

#[derive(Debug, Clone)]
pub enum MailTransport {
    /// Development: mails are logged (their id only), not sent.
    Log,
    /// `smtp://host:port` (plain), `smtp://host:587?tls=required` (STARTTLS) or `smtps://...`,
    /// with `user:password@` when the server asks; a secret, since it may hold a password.
    Smtp(SecretString),
}

#[derive(Debug, Clone)]
pub struct DatabaseConfig {
    pub url: SecretString,
    pub pool_size: usize,
    /// How long a request waits for a connection before the service answers 503.
    pub pool_timeout: Duration,
    /// `statement_timeout` of every pooled connection.
    pub statement_timeout: Duration,
    /// `idle_in_transaction_session_timeout` of every pooled connection.
    pub idle_in_transaction_timeout: Duration,
    /// A streaming replica for reports, dashboards and exports (`CAMAU_READ_DATABASE_URL`).
    pub read_url: Option<SecretString>,
    /// How long a read waits for the replica to replay what the primary had committed when
    /// the read began, before reading the primary instead (`CAMAU_READ_REPLICA_WAIT_MS`, 500).
    pub read_wait: Duration,
}

#[derive(Debug, Clone)]
pub struct TokenConfig {
    pub issuer: String,
    pub audience: String,
    /// Signing keys by key id; the first signs, all verify (rotation).
    pub keys: Vec<(String, SecretString)>,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
    /// A session ends this long after sign-in, however often it is refreshed.
    pub session_max_age: Duration,
    /// A spent refresh token presented again this soon after its use, while its successor is
    /// unused, gets that successor back (a retry after a lost response) instead of revoking.
    pub refresh_grace: Duration,
}

#[derive(Debug, Clone)]
pub enum StorageConfig {
    Local {
        path: PathBuf,
    },
    S3 {
        bucket: String,
        region: String,
        endpoint: Option<String>,
        access_key_id: String,
        secret_access_key: SecretString,
        allow_http: bool,
    },
    /// In-process only; for unit tests.
    Memory,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Json,
    Pretty,
}

#[derive(Debug, Clone)]
pub struct LoginThrottleConfig {
    pub max_failures_per_account: i32,
    pub max_failures_per_address: i32,
    /// Failures are counted over this window, and a blocked key stays blocked this long.
    pub window: Duration,
}

/// Limits on what a signed-in caller can make a lot of (`quotas`).
#[derive(Debug, Clone)]
pub struct QuotaConfig {
    /// Staff and circle invitations per organisation per day.
    pub invitations_per_day: u32,
    /// Device codes per organisation per day.
    pub device_codes_per_day: u32,
    /// Photo uploads per account per hour.
    pub uploads_per_hour: u32,
    /// Comments per account per minute.
    pub comments_per_minute: u32,
    /// Outcome reports per account per day.
    pub reports_per_day: u32,
    /// Exports built per person per day.
    pub exports_per_day: u32,
}

/// A configuration problem, naming the variable.
#[derive(Debug, thiserror::Error)]
#[error("configuration: {variable}: {message}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub message: String,
}

fn err(variable: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        variable,
        message: message.into(),
    }
}

/// The shortest accepted HMAC key: 256 bits, as RFC 7518 §3.2 requires for HS256.
const MIN_KEY_BYTES: usize = 32;

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    /// Reads configuration through `lookup`, so tests can supply their own values.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let env = Env(&lookup);
        let url = env
            .get("DATABASE_URL")
            .ok_or_else(|| err("DATABASE_URL", "is required (postgres://user:pass@host/db)"))?;
        if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            return Err(err("DATABASE_URL", "must start with postgres://"));
        }
        let access_ttl = Duration::from_secs(env.parse("CAMAU_ACCESS_TOKEN_TTL_SECS", 600u64)?);
        if access_ttl.is_zero() || access_ttl > Duration::from_secs(600) {
            return Err(err(
                "CAMAU_ACCESS_TOKEN_TTL_SECS",
                "must be between 1 and 600 seconds",
            ));
        }
        let concurrency_default = std::thread::available_parallelism().map_or(2, |n| n.get());
        Ok(Config {
            bind: env.parse("CAMAU_BIND", SocketAddr::from(([127, 0, 0, 1], 8080)))?,
            workers: env.parse_opt("CAMAU_WORKERS")?,
            database: DatabaseConfig {
                url: SecretString::from(url),
                pool_size: env.parse("CAMAU_DB_POOL_SIZE", 16usize)?.max(1),
                pool_timeout: Duration::from_millis(env.parse("CAMAU_DB_POOL_TIMEOUT_MS", 2000)?),
                statement_timeout: Duration::from_millis(
                    env.parse("CAMAU_DB_STATEMENT_TIMEOUT_MS", 10_000u64)?
                        .max(1),
                ),
                idle_in_transaction_timeout: Duration::from_millis(
                    env.parse("CAMAU_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS", 30_000u64)?
                        .max(1),
                ),
                read_url: match env.get("CAMAU_READ_DATABASE_URL") {
                    Some(u) if u.starts_with("postgres://") || u.starts_with("postgresql://") => {
                        Some(SecretString::from(u))
                    }
                    Some(_) => {
                        return Err(err(
                            "CAMAU_READ_DATABASE_URL",
                            "must start with postgres://",
                        ));
                    }
                    None => None,
                },
                read_wait: Duration::from_millis(env.parse("CAMAU_READ_REPLICA_WAIT_MS", 500u64)?),
            },
            tokens: TokenConfig {
                issuer: env
                    .get("CAMAU_JWT_ISSUER")
                    .unwrap_or_else(|| "camau".into()),
                audience: env
                    .get("CAMAU_JWT_AUDIENCE")
                    .unwrap_or_else(|| "camau-api".into()),
                keys: parse_keys(env.get("CAMAU_JWT_KEYS"))?,
                access_ttl,
                refresh_ttl: Duration::from_secs(
                    env.parse("CAMAU_REFRESH_TOKEN_TTL_DAYS", 30u64)? * 86_400,
                ),
                session_max_age: Duration::from_secs(
                    env.parse("CAMAU_SESSION_MAX_AGE_DAYS", 90u64)? * 86_400,
                ),
                refresh_grace: Duration::from_secs(env.parse("CAMAU_REFRESH_GRACE_SECS", 30u64)?),
            },
            storage: storage(&env)?,
            log_format: match env.get("CAMAU_LOG_FORMAT").as_deref() {
                None | Some("json") => LogFormat::Json,
                Some("pretty") => LogFormat::Pretty,
                Some(_) => return Err(err("CAMAU_LOG_FORMAT", "must be json or pretty")),
            },
            password_hash_concurrency: env
                .parse("CAMAU_PASSWORD_HASH_CONCURRENCY", concurrency_default)?
                .max(1),
            password_hash_queue: env.parse("CAMAU_PASSWORD_HASH_QUEUE", 64usize)?.max(1),
            invitation_ttl: Duration::from_secs(
                env.parse("CAMAU_INVITATION_TTL_HOURS", 72u64)? * 3600,
            ),
            console_idle: Duration::from_secs(
                env.parse("CAMAU_CONSOLE_IDLE_MINUTES", 30u64)?.max(1) * 60,
            ),
            login_throttle: LoginThrottleConfig {
                max_failures_per_account: env.parse("CAMAU_LOGIN_MAX_FAILURES_PER_ACCOUNT", 5)?,
                max_failures_per_address: env.parse("CAMAU_LOGIN_MAX_FAILURES_PER_ADDRESS", 20)?,
                window: Duration::from_secs(env.parse("CAMAU_LOGIN_WINDOW_SECS", 900u64)?),
            },
            quotas: QuotaConfig {
                invitations_per_day: env.parse("CAMAU_QUOTA_INVITATIONS_PER_DAY", 200u32)?,
                device_codes_per_day: env.parse("CAMAU_QUOTA_DEVICE_CODES_PER_DAY", 200u32)?,
                uploads_per_hour: env.parse("CAMAU_QUOTA_UPLOADS_PER_HOUR", 120u32)?,
                comments_per_minute: env.parse("CAMAU_QUOTA_COMMENTS_PER_MINUTE", 20u32)?,
                reports_per_day: env.parse("CAMAU_QUOTA_REPORTS_PER_DAY", 100u32)?,
                exports_per_day: env.parse("CAMAU_QUOTA_EXPORTS_PER_DAY", 3u32)?,
            },
            max_json_bytes: env.parse("CAMAU_MAX_JSON_BYTES", 64 * 1024usize)?,
            housekeeping_interval: Duration::from_secs(
                env.parse("CAMAU_HOUSEKEEPING_INTERVAL_SECS", 3600u64)?
                    .max(1),
            ),
            request_body_timeout: Duration::from_millis(
                env.parse("CAMAU_REQUEST_BODY_TIMEOUT_MS", 10_000u64)?
                    .max(1),
            ),
            push: PushConfig {
                transport: match env.get("CAMAU_PUSH_TRANSPORT").as_deref() {
                    None | Some("log") => PushTransport::Log,
                    Some("fcm") => {
                        let path = env.get("CAMAU_FCM_CREDENTIALS_FILE").ok_or_else(|| {
                            err(
                                "CAMAU_FCM_CREDENTIALS_FILE",
                                "is needed with CAMAU_PUSH_TRANSPORT=fcm",
                            )
                        })?;
                        let credentials = std::fs::read_to_string(&path).map_err(|e| {
                            err("CAMAU_FCM_CREDENTIALS_FILE", format!("cannot be read: {e}"))
                        })?;
                        PushTransport::Fcm {
                            credentials: SecretString::from(credentials),
                            endpoint: env
                                .get("CAMAU_FCM_ENDPOINT")
                                .unwrap_or_else(|| "https://fcm.googleapis.com".into()),
                        }
                    }
                    Some(_) => return Err(err("CAMAU_PUSH_TRANSPORT", "must be log or fcm")),
                },
                poll_interval: Duration::from_millis(
                    env.parse("CAMAU_PUSH_POLL_INTERVAL_MS", 2_000u64)?.max(50),
                ),
                max_attempts: env.parse("CAMAU_PUSH_MAX_ATTEMPTS", 8)?,
            },
            streams: StreamConfig {
                per_account: env.parse("CAMAU_STREAMS_PER_ACCOUNT", 5usize)?.max(1),
                per_instance: env.parse("CAMAU_STREAMS_PER_INSTANCE", 2000usize)?.max(1),
                heartbeat: Duration::from_millis(
                    env.parse("CAMAU_STREAM_HEARTBEAT_MS", 15_000u64)?.max(100),
                ),
            },
            photos: PhotoConfig {
                max_bytes: env.parse("CAMAU_PHOTO_MAX_BYTES", 20 * 1024 * 1024usize)?,
                max_bytes_in_flight: env
                    .parse("CAMAU_PHOTO_MAX_BYTES_IN_FLIGHT", 160 * 1024 * 1024usize)?,
                body_timeout: Duration::from_secs(
                    env.parse("CAMAU_PHOTO_BODY_TIMEOUT_SECS", 120u64)?.max(1),
                ),
                concurrency: env
                    .parse("CAMAU_PHOTO_CONCURRENCY", concurrency_default)?
                    .max(1),
                queue_wait: Duration::from_millis(
                    env.parse("CAMAU_PHOTO_QUEUE_WAIT_MS", 2_000u64)?,
                ),
                url_ttl: Duration::from_secs(
                    env.parse("CAMAU_PHOTO_URL_TTL_SECS", 300u64)?.clamp(1, 300),
                ),
            },
            metrics_token: match env.get("CAMAU_METRICS_TOKEN") {
                Some(token) if token.len() < 16 => {
                    return Err(err(
                        "CAMAU_METRICS_TOKEN",
                        "must have at least 16 characters",
                    ));
                }
                token => token.map(SecretString::from),
            },
            trusted_proxies: env
                .get("CAMAU_TRUSTED_PROXIES")
                .map(|raw| {
                    raw.split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(|s| {
                            s.parse::<ipnet::IpNet>()
                                .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                                .map_err(|_| {
                                    err(
                                        "CAMAU_TRUSTED_PROXIES",
                                        format!("{s:?} is not an IP address or CIDR range"),
                                    )
                                })
                        })
                        .collect::<Result<Vec<_>, _>>()
                })
                .transpose()?
                .unwrap_or_default(),
            mail: MailConfig {
                transport: match env.get("CAMAU_MAIL_TRANSPORT").as_deref() {
                    None | Some("log") => MailTransport::Log,
                    Some("smtp") => MailTransport::Smtp(SecretString::from(
                        env.get("CAMAU_SMTP_URL").ok_or_else(|| {
                            err(
                                "CAMAU_SMTP_URL",
                                "is required when CAMAU_MAIL_TRANSPORT=smtp",
                            )
                        })?,
                    )),
                    Some(_) => return Err(err("CAMAU_MAIL_TRANSPORT", "must be log or smtp")),
                },
                from: env
                    .get("CAMAU_MAIL_FROM")
                    .unwrap_or_else(|| "Camau <no-reply@camau.localhost>".into()),
                poll_interval: Duration::from_millis(
                    env.parse("CAMAU_MAIL_POLL_INTERVAL_MS", 2000u64)?.max(10),
                ),
                max_attempts: env.parse("CAMAU_MAIL_MAX_ATTEMPTS", 10i32)?.max(1),
            },
            password_reset_ttl: Duration::from_secs(
                env.parse("CAMAU_PASSWORD_RESET_TTL_MINUTES", 30u64)?
                    .clamp(1, 24 * 60)
                    * 60,
            ),
        })
    }
}

/// `CAMAU_JWT_KEYS=kid1:secret1,kid0:secret0` — the first key signs; every key verifies.
fn parse_keys(raw: Option<String>) -> Result<Vec<(String, SecretString)>, ConfigError> {
    const VAR: &str = "CAMAU_JWT_KEYS";
    let raw = raw.ok_or_else(|| {
        err(
            VAR,
            "is required: kid:secret[,kid:secret...], secrets of at least 32 bytes",
        )
    })?;
    let mut keys = Vec::new();
    for entry in raw.split(',') {
        let (kid, secret) = entry
            .split_once(':')
            .ok_or_else(|| err(VAR, "each entry must be kid:secret"))?;
        let kid = kid.trim();
        if kid.is_empty() || secret.len() < MIN_KEY_BYTES {
            return Err(err(
                VAR,
                format!("key ids must be non-empty and secrets at least {MIN_KEY_BYTES} bytes"),
            ));
        }
        if keys.iter().any(|(k, _): &(String, SecretString)| k == kid) {
            return Err(err(VAR, format!("key id {kid} appears twice")));
        }
        keys.push((kid.to_owned(), SecretString::from(secret.to_owned())));
    }
    Ok(keys)
}

fn storage(env: &Env<'_>) -> Result<StorageConfig, ConfigError> {
    match env.get("CAMAU_STORAGE").as_deref() {
        None | Some("local") => Ok(StorageConfig::Local {
            path: env
                .get("CAMAU_STORAGE_PATH")
                .unwrap_or_else(|| ".local/storage".into())
                .into(),
        }),
        Some("memory") => Ok(StorageConfig::Memory),
        Some("s3") => {
            let required = |name: &'static str| {
                env.get(name)
                    .ok_or_else(|| err(name, "is required when CAMAU_STORAGE=s3"))
            };
            Ok(StorageConfig::S3 {
                bucket: required("CAMAU_S3_BUCKET")?,
                region: env
                    .get("CAMAU_S3_REGION")
                    .unwrap_or_else(|| "eu-west-2".into()),
                endpoint: env.get("CAMAU_S3_ENDPOINT"),
                access_key_id: required("CAMAU_S3_ACCESS_KEY_ID")?,
                secret_access_key: SecretString::from(required("CAMAU_S3_SECRET_ACCESS_KEY")?),
                allow_http: env.parse("CAMAU_S3_ALLOW_HTTP", false)?,
            })
        }
        Some(_) => Err(err("CAMAU_STORAGE", "must be local, s3 or memory")),
    }
}

struct Env<'a>(&'a dyn Fn(&str) -> Option<String>);

impl Env<'_> {
    fn get(&self, name: &str) -> Option<String> {
        (self.0)(name)
    }

    fn parse<T: std::str::FromStr>(
        &self,
        name: &'static str,
        default: T,
    ) -> Result<T, ConfigError> {
        Ok(self.parse_opt(name)?.unwrap_or(default))
    }

    fn parse_opt<T: std::str::FromStr>(
        &self,
        name: &'static str,
    ) -> Result<Option<T>, ConfigError> {
        self.get(name)
            .map(|raw| {
                raw.trim()
                    .parse()
                    .map_err(|_| err(name, format!("cannot parse {raw:?}")))
            })
            .transpose()
    }
}

impl DatabaseConfig {
    pub fn url(&self) -> &str {
        self.url.expose_secret()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(move |k| vars.get(k).cloned())
    }

    const KEY: &str = "k1:0123456789abcdef0123456789abcdef";

    #[test]
    fn minimal_environment_gives_defaults() {
        let c = config(&[("DATABASE_URL", "postgres://x/y"), ("CAMAU_JWT_KEYS", KEY)]).unwrap();
        assert_eq!(c.bind.port(), 8080);
        assert_eq!(c.tokens.access_ttl, Duration::from_secs(600));
        assert!(matches!(c.storage, StorageConfig::Local { .. }));
        assert_eq!(c.tokens.keys[0].0, "k1");
    }

    #[test]
    fn errors_name_the_variable_and_never_echo_secrets() {
        let e = config(&[("CAMAU_JWT_KEYS", KEY)]).unwrap_err();
        assert_eq!(e.variable, "DATABASE_URL");
        let e = config(&[
            ("DATABASE_URL", "postgres://x/y"),
            ("CAMAU_JWT_KEYS", "k:short"),
        ])
        .unwrap_err();
        assert_eq!(e.variable, "CAMAU_JWT_KEYS");
        assert!(!e.to_string().contains("short"));
        let e = config(&[
            ("DATABASE_URL", "postgres://x/y"),
            ("CAMAU_JWT_KEYS", KEY),
            ("CAMAU_ACCESS_TOKEN_TTL_SECS", "3600"),
        ])
        .unwrap_err();
        assert_eq!(e.variable, "CAMAU_ACCESS_TOKEN_TTL_SECS");
        let e = config(&[
            ("DATABASE_URL", "postgres://x/y"),
            ("CAMAU_JWT_KEYS", KEY),
            ("CAMAU_STORAGE", "s3"),
        ])
        .unwrap_err();
        assert_eq!(e.variable, "CAMAU_S3_BUCKET");
    }

    #[test]
    fn debug_output_redacts_secrets() {
        let c = config(&[
            ("DATABASE_URL", "postgres://u:hunter2@x/y"),
            ("CAMAU_JWT_KEYS", KEY),
        ])
        .unwrap();
        let shown = format!("{c:?}");
        assert!(!shown.contains("hunter2"));
        assert!(!shown.contains("0123456789abcdef"));
    }
}
