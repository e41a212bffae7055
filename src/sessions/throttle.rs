//! Login throttling per account and per client address, kept in PostgreSQL so that it holds
//! across restarts and across instances. After too many failures in the window the key is
//! blocked for one window and sign-in answers 429 with `Retry-After` without checking the
//! password. Account keys are hashed: attempted emails are not stored.

use std::time::Duration;

use diesel::sql_types::{Array, Double, Integer, Nullable, Text, Timestamptz};
use diesel::{QueryableByName, sql_query};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

type QueryResult<T> = Result<T, diesel::result::Error>;

pub fn account_key(email: &str) -> String {
    let digest = Sha256::digest(email.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("account:{hex}")
}

pub fn address_key(ip: std::net::IpAddr) -> String {
    format!("address:{ip}")
}

#[derive(QueryableByName)]
struct Blocked {
    #[diesel(sql_type = Nullable<Timestamptz>)]
    until: Option<OffsetDateTime>,
}

#[derive(QueryableByName)]
struct Failures {
    #[diesel(sql_type = Integer)]
    failures: i32,
}

/// Seconds until every key is unblocked, or `None` when none is blocked.
pub async fn blocked_for(
    conn: &mut AsyncPgConnection,
    keys: &[String],
) -> QueryResult<Option<u64>> {
    let row: Blocked = sql_query(
        "SELECT max(blocked_until) AS until FROM login_throttles \
         WHERE key = ANY($1) AND blocked_until > now()",
    )
    .bind::<Array<Text>, _>(keys)
    .get_result(conn)
    .await?;
    Ok(row.until.map(|until| {
        let secs = (until - OffsetDateTime::now_utc()).whole_seconds();
        u64::try_from(secs).unwrap_or(0).max(1)
    }))
}

/// Counts a failure against `key`, blocking it once it reaches `max` within `window`.
pub async fn record_failure(
    conn: &mut AsyncPgConnection,
    key: &str,
    max: i32,
    window: Duration,
) -> QueryResult<()> {
    let window = window.as_secs_f64();
    let row: Failures = sql_query(
        "INSERT INTO login_throttles AS t (key, failures, window_started_at) \
         VALUES ($1, 1, now()) \
         ON CONFLICT (key) DO UPDATE SET \
           failures = CASE WHEN t.window_started_at < now() - make_interval(secs => $2) \
                      THEN 1 ELSE t.failures + 1 END, \
           window_started_at = CASE WHEN t.window_started_at < now() - make_interval(secs => $2) \
                      THEN now() ELSE t.window_started_at END \
         RETURNING failures",
    )
    .bind::<Text, _>(key)
    .bind::<Double, _>(window)
    .get_result(conn)
    .await?;
    if row.failures >= max {
        sql_query(
            "UPDATE login_throttles \
             SET blocked_until = now() + make_interval(secs => $2), failures = 0, \
                 window_started_at = now() \
             WHERE key = $1",
        )
        .bind::<Text, _>(key)
        .bind::<Double, _>(window)
        .execute(conn)
        .await?;
    }
    Ok(())
}

pub async fn clear(conn: &mut AsyncPgConnection, key: &str) -> QueryResult<()> {
    sql_query("DELETE FROM login_throttles WHERE key = $1")
        .bind::<Text, _>(key)
        .execute(conn)
        .await?;
    Ok(())
}

/// Counts one failed sign-in against the account (if known) and the client address (if any),
/// each with its own limit.
pub async fn record_sign_in_failure(
    conn: &mut AsyncPgConnection,
    limits: &crate::config::LoginThrottleConfig,
    account_key: Option<&str>,
    address_key: Option<&str>,
) -> QueryResult<()> {
    if let Some(key) = account_key {
        record_failure(conn, key, limits.max_failures_per_account, limits.window).await?;
    }
    if let Some(key) = address_key {
        record_failure(conn, key, limits.max_failures_per_address, limits.window).await?;
    }
    Ok(())
}
