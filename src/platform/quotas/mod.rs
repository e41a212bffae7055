//! Quotas on what a signed-in caller can make a lot of: invitations and device codes (each may
//! send mail or open a sign-in) per organisation per day, photo uploads per user per hour,
//! comments per user per minute, outcome reports per user per day, exports per person per day. Counted in PostgreSQL, so they hold across instances and
//! restarts: one atomic upsert per request, taken after authorization (a caller cannot spend
//! another organisation's quota) and before the work, so fifty parallel requests get at most
//! the limit between them. Over the limit: 429 `rate_limited` with `Retry-After` until the
//! window ends. An idempotent retry is replayed before the handler runs, so it spends nothing.

use std::time::Duration;

use diesel::sql_types::{Double, Integer, Text, Timestamptz};
use diesel::{QueryResult, QueryableByName, sql_query};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;

use crate::config::QuotaConfig;
use crate::error::{ApiError, ApiResult, ErrorCode};

/// What is limited, and whose quota it spends.
#[derive(Debug, Clone, Copy)]
pub enum Quota {
    /// Staff and circle invitations of an organisation, per day.
    Invitations(uuid::Uuid),
    /// Device codes issued for an organisation's people, per day.
    DeviceCodes(uuid::Uuid),
    /// Photo uploads by an account, per hour.
    Uploads(uuid::Uuid),
    /// Comments by an account, per minute.
    Comments(uuid::Uuid),
    /// Outcome reports pulled by an account, per day (each is an aggregate of up to 120 s).
    Reports(uuid::Uuid),
    /// Exports built for a person, per day (each reads every photo of theirs).
    Exports(uuid::Uuid),
}

impl Quota {
    fn key_limit_window(self, config: &QuotaConfig) -> (String, u32, Duration) {
        const DAY: Duration = Duration::from_secs(86_400);
        const HOUR: Duration = Duration::from_secs(3_600);
        const MINUTE: Duration = Duration::from_secs(60);
        match self {
            Quota::Invitations(org) => (
                format!("invitations:{org}"),
                config.invitations_per_day,
                DAY,
            ),
            Quota::DeviceCodes(org) => (
                format!("device-codes:{org}"),
                config.device_codes_per_day,
                DAY,
            ),
            Quota::Uploads(account) => {
                (format!("uploads:{account}"), config.uploads_per_hour, HOUR)
            }
            Quota::Comments(account) => (
                format!("comments:{account}"),
                config.comments_per_minute,
                MINUTE,
            ),
            Quota::Reports(account) => (format!("reports:{account}"), config.reports_per_day, DAY),
            Quota::Exports(person) => (format!("exports:{person}"), config.exports_per_day, DAY),
        }
    }
}

#[derive(QueryableByName)]
struct Used {
    #[diesel(sql_type = Integer)]
    used: i32,
    #[diesel(sql_type = Timestamptz)]
    window_ends_at: OffsetDateTime,
}

/// Spends one unit of `quota`, or refuses with 429 when the window's units are spent.
pub async fn take(
    conn: &mut AsyncPgConnection,
    config: &QuotaConfig,
    quota: Quota,
) -> ApiResult<()> {
    let (key, limit, window) = quota.key_limit_window(config);
    let row: Used = sql_query(
        "INSERT INTO quotas AS q (key, used, window_ends_at) \
         VALUES ($1, 1, now() + make_interval(secs => $2)) \
         ON CONFLICT (key) DO UPDATE SET \
           used = CASE WHEN q.window_ends_at <= now() THEN 1 ELSE q.used + 1 END, \
           window_ends_at = CASE WHEN q.window_ends_at <= now() \
                            THEN now() + make_interval(secs => $2) ELSE q.window_ends_at END \
         RETURNING used, window_ends_at",
    )
    .bind::<Text, _>(&key)
    .bind::<Double, _>(window.as_secs_f64())
    .get_result(conn)
    .await?;
    if i64::from(row.used) <= i64::from(limit) {
        return Ok(());
    }
    let wait = (row.window_ends_at - OffsetDateTime::now_utc()).whole_seconds();
    Err(ApiError::new(ErrorCode::RateLimited)
        .with_detail(format!(
            "at most {limit} per {}; try again in {wait} seconds",
            match window.as_secs() {
                86_400 => "day",
                3_600 => "hour",
                _ => "minute",
            }
        ))
        .retry_after(u64::try_from(wait).unwrap_or(1).max(1)))
}

/// Removes windows that have ended.
pub async fn purge_expired(conn: &mut AsyncPgConnection) -> QueryResult<usize> {
    sql_query("DELETE FROM quotas WHERE window_ends_at < now()")
        .execute(conn)
        .await
}
