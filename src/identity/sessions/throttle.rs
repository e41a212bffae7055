//! Throttling of the anonymous credential endpoints (sign-in, PIN sign-in, device codes,
//! invitations), kept in PostgreSQL so that it holds across restarts and instances.
//!
//! Every attempt is **counted before it is checked**, in one atomic upsert per request, and an
//! attempt that takes a key over its limit is refused (429 with `Retry-After`) without checking
//! anything: fifty parallel guesses get at most the limit of checks between them, because the
//! row lock orders the increments. A success clears the credential's key and gives the address
//! back the attempt it used, once per credential and window, so people behind one office
//! address are not locked out by each other's sign-ins while repeated sign-ins to one account
//! still count. Keys name their kind (`email:`, `account:`, `code:`, `address:`) and hash the
//! name: attempted emails are not stored. IPv6 addresses count per /64, since one host usually
//! holds a whole /64.

use std::net::IpAddr;
use std::time::Duration;

use diesel::sql_types::{Array, Double, Integer, Text, Timestamptz};
use diesel::{QueryableByName, sql_query};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::config::LoginThrottleConfig;
use crate::error::{ApiError, ApiResult};

/// A throttle key with the most attempts it allows per window.
#[derive(Debug, Clone)]
pub struct Key {
    key: String,
    limit: i32,
}

fn hashed(kind: &str, name: &str, limit: i32) -> Key {
    let hex: String = Sha256::digest(name.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Key {
        key: format!("{kind}:{hex}"),
        limit,
    }
}

/// Password-reset requests for `email` (known or not): apart from sign-in, so asking for
/// resets cannot lock anyone out.
pub fn reset_email(email: &str, limits: &LoginThrottleConfig) -> Key {
    hashed("reset", email, limits.max_failures_per_account)
}

/// Email verification for `account`: codes asked for and codes tried, together.
pub fn email_verification(account: crate::ids::AccountId, limits: &LoginThrottleConfig) -> Key {
    hashed(
        "verify",
        &account.0.to_string(),
        limits.max_failures_per_account,
    )
}

/// The key of the account signing in with `email` (known or not).
pub fn email(email: &str, limits: &LoginThrottleConfig) -> Key {
    hashed("email", email, limits.max_failures_per_account)
}

/// The key of an account without an email (a supported person), by its id. Its own kind, so
/// that nobody can fill it by "signing in" with the id as an email.
pub fn account_id(account: crate::ids::AccountId, limits: &LoginThrottleConfig) -> Key {
    hashed(
        "account",
        &account.0.to_string(),
        limits.max_failures_per_account,
    )
}

/// The key of a client address: IPv4 as is, IPv6 by its /64.
pub fn address(ip: IpAddr, limits: &LoginThrottleConfig) -> Key {
    let grouped = match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        IpAddr::V4(v4) => v4.to_string(),
    };
    Key {
        key: format!("address:{grouped}"),
        limit: limits.max_failures_per_address,
    }
}

/// The address key of the caller of `req`, if it has an address.
pub fn caller(req: &actix_web::HttpRequest, config: &crate::config::Config) -> Option<Key> {
    crate::http::client::address(req, &config.trusted_proxies)
        .map(|ip| address(ip, &config.login_throttle))
}

#[derive(QueryableByName)]
struct Counted {
    #[diesel(sql_type = Text)]
    key: String,
    #[diesel(sql_type = Integer)]
    failures: i32,
    #[diesel(sql_type = Timestamptz)]
    window_started_at: OffsetDateTime,
}

/// Counts one attempt against every key, atomically, and refuses it with 429 when any key is
/// now over its limit. Call it before checking the credential.
pub async fn attempt(
    conn: &mut AsyncPgConnection,
    window: Duration,
    keys: &[&Key],
) -> ApiResult<()> {
    let mut names: Vec<&str> = keys.iter().map(|k| k.key.as_str()).collect();
    // One order for every request, so two requests never wait on each other's rows in turn.
    names.sort_unstable();
    names.dedup();
    let rows: Vec<Counted> = sql_query(
        "INSERT INTO login_throttles AS t (key, failures, window_started_at) \
         SELECT k, 1, now() FROM unnest($1::text[]) AS k ORDER BY k \
         ON CONFLICT (key) DO UPDATE SET \
           failures = CASE WHEN t.window_started_at <= now() - make_interval(secs => $2) \
                      THEN 1 ELSE t.failures + 1 END, \
           window_started_at = CASE WHEN t.window_started_at <= now() - make_interval(secs => $2) \
                      THEN now() ELSE t.window_started_at END \
         RETURNING key, failures, window_started_at",
    )
    .bind::<Array<Text>, _>(&names)
    .bind::<Double, _>(window.as_secs_f64())
    .load(conn)
    .await?;
    let window = time::Duration::try_from(window).unwrap_or(time::Duration::MINUTE);
    let now = OffsetDateTime::now_utc();
    let wait = rows
        .iter()
        .filter(|row| {
            keys.iter()
                .any(|k| k.key == row.key && row.failures > k.limit)
        })
        .map(|row| (row.window_started_at + window - now).whole_seconds())
        .max();
    match wait {
        Some(secs) => Err(ApiError::too_many(u64::try_from(secs).unwrap_or(1))),
        None => Ok(()),
    }
}

/// The key of a code (invitation, device code) that was redeemed: only used to give its
/// address the attempt back once.
pub fn code(code_hash: &[u8], limits: &LoginThrottleConfig) -> Key {
    let hex: String = code_hash.iter().map(|b| format!("{b:02x}")).collect();
    Key {
        key: format!("code:{hex}"),
        limit: limits.max_failures_per_account,
    }
}

/// After a successful check: forgets the credential's failures and gives the address back the
/// attempt it used, once per credential, address and window: a colleague's sign-in does not
/// use up an office's attempts, and signing in to one account again and again still counts.
pub async fn succeeded(
    conn: &mut AsyncPgConnection,
    window: Duration,
    credential: &Key,
    address: Option<&Key>,
) -> ApiResult<()> {
    sql_query("DELETE FROM login_throttles WHERE key = $1")
        .bind::<Text, _>(&credential.key)
        .execute(conn)
        .await?;
    if let Some(address) = address {
        let refund = format!("refund:{}:{}", credential.key, address.key);
        sql_query(
            "WITH r AS ( \
               INSERT INTO login_throttles AS t (key, failures, window_started_at) \
               VALUES ($1, 1, now()) \
               ON CONFLICT (key) DO UPDATE SET \
                 failures = CASE WHEN t.window_started_at <= now() - make_interval(secs => $3) \
                            THEN 1 ELSE t.failures + 1 END, \
                 window_started_at = CASE WHEN t.window_started_at <= now() - make_interval(secs => $3) \
                            THEN now() ELSE t.window_started_at END \
               RETURNING failures) \
             UPDATE login_throttles SET failures = greatest(failures - 1, 0) \
             WHERE key = $2 AND (SELECT failures FROM r) = 1",
        )
        .bind::<Text, _>(&refund)
        .bind::<Text, _>(&address.key)
        .bind::<Double, _>(window.as_secs_f64())
        .execute(conn)
        .await?;
    }
    Ok(())
}

/// Removes keys whose window ended long enough ago that they count nothing.
pub async fn purge_expired(conn: &mut AsyncPgConnection, window: Duration) -> QueryResult<usize> {
    sql_query(
        "DELETE FROM login_throttles WHERE window_started_at < now() - make_interval(secs => $1)",
    )
    .bind::<Double, _>(window.as_secs_f64())
    .execute(conn)
    .await
}

type QueryResult<T> = Result<T, diesel::result::Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_counts_per_64_and_mapped_ipv4_as_ipv4() {
        let limits = LoginThrottleConfig {
            max_failures_per_account: 5,
            max_failures_per_address: 20,
            window: Duration::from_secs(60),
        };
        let key = |s: &str| address(s.parse().unwrap(), &limits).key;
        assert_eq!(key("2001:db8:1:2::1"), key("2001:db8:1:2:ffff:1:2:3"));
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
        assert_eq!(key("::ffff:192.0.2.1"), key("192.0.2.1"));
        assert_ne!(key("192.0.2.1"), key("192.0.2.2"));
    }
}
