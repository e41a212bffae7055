//! The notification worker: turns queued activities into notifications for each device that
//! should hear of them, then sends what is due. Several instances may run it: claims use
//! `FOR UPDATE SKIP LOCKED`, and a claim that dies with its instance lapses.

use std::sync::Arc;
use std::time::Duration;

use diesel::sql_types::{Bytea, Integer, Nullable, Text, Time, Uuid as SqlUuid};
use diesel::{QueryableByName, sql_query};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::http::pagination::Page;
use crate::ids::AccountId;
use crate::social::activity::ActivityKind;
use crate::social::feed::model::Viewer;
use crate::social::notifications::TOKEN_PURPOSE;
use crate::social::push::{Message, PushError};
use crate::state::AppState;

const BATCH: i64 = 20;
/// How long a claimed notification is held by the instance sending it.
const CLAIM_SECS: i32 = 120;

/// What one pass did.
#[derive(Debug, Default, PartialEq, Eq, Serialize)]
pub struct Pass {
    pub queued: usize,
    pub sent: usize,
    pub retrying: usize,
    pub given_up: usize,
    pub devices_removed: usize,
    pub deferred: usize,
    /// Queued, then dropped at send time: the recipient may no longer see the activity (left
    /// the circle, a concern hid it, consent withdrawn, grants changed) or has muted the person.
    pub withdrawn: usize,
}

#[derive(QueryableByName)]
struct Candidate {
    #[diesel(sql_type = SqlUuid)]
    account_id: Uuid,
}

#[derive(QueryableByName)]
struct Job {
    #[diesel(sql_type = SqlUuid)]
    activity_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    person_id: Uuid,
}

/// Turns queued activities into notifications: for each, the people who follow the person
/// closely (the person, their assigned mentors, their circle's supporters) who have a device,
/// did not do it themselves and have not muted the person, and who may see it by the feed's
/// own query.
pub async fn fan_out(conn: &mut AsyncPgConnection) -> ApiResult<usize> {
    conn.transaction(async |conn| {
        let jobs: Vec<Job> = sql_query(
            "SELECT j.activity_id, a.person_id FROM notification_jobs j \
               JOIN activities a ON a.id = j.activity_id \
              ORDER BY j.created_at LIMIT $1 FOR UPDATE OF j SKIP LOCKED",
        )
        .bind::<diesel::sql_types::BigInt, _>(BATCH)
        .load(conn)
        .await?;
        let mut queued = 0;
        for job in &jobs {
            let candidates: Vec<Candidate> = sql_query(
                "SELECT ac.id AS account_id \
                   FROM accounts ac \
                   JOIN activities a ON a.id = $1 \
                  WHERE ac.deactivated_at IS NULL \
                    AND ac.id <> a.actor_account_id \
                    AND (ac.id = (SELECT account_id FROM people WHERE id = a.person_id) \
                         OR ac.id IN (SELECT mentor_id FROM mentor_assignments WHERE person_id = a.person_id) \
                         OR ac.id IN (SELECT account_id FROM circle_members \
                                       WHERE person_id = a.person_id AND removed_at IS NULL)) \
                    AND NOT EXISTS (SELECT 1 FROM muted_people m \
                                     WHERE m.account_id = ac.id AND m.person_id = a.person_id) \
                    AND EXISTS (SELECT 1 FROM push_devices d WHERE d.account_id = ac.id)",
            )
            .bind::<SqlUuid, _>(job.activity_id)
            .load(conn)
            .await?;
            for c in candidates {
                let viewer = Viewer::background(AccountId(c.account_id));
                let page = Page {
                    limit: 1,
                    after: None,
                };
                let scope = crate::social::feed::model::Scope::Person(job.person_id);
                let visible =
                    crate::social::feed::model::page(conn, viewer, scope, page, Some(&[job.activity_id]))
                        .await?;
                if visible.is_empty() {
                    continue;
                }
                queued += sql_query(
                    "INSERT INTO notifications (id, activity_id, device_id) \
                     SELECT gen_random_uuid(), $1, d.id FROM push_devices d WHERE d.account_id = $2 \
                     ON CONFLICT DO NOTHING",
                )
                .bind::<SqlUuid, _>(job.activity_id)
                .bind::<SqlUuid, _>(c.account_id)
                .execute(conn)
                .await?;
            }
            sql_query("DELETE FROM notification_jobs WHERE activity_id = $1")
                .bind::<SqlUuid, _>(job.activity_id)
                .execute(conn)
                .await?;
        }
        Ok::<_, ApiError>(queued)
    })
    .await
}

#[derive(QueryableByName)]
struct Due {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    device_id: Uuid,
    #[diesel(sql_type = Integer)]
    attempts: i32,
    #[diesel(sql_type = Bytea)]
    token_sealed: Vec<u8>,
    #[diesel(sql_type = Text)]
    kind: ActivityKind,
    #[diesel(sql_type = SqlUuid)]
    activity_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    person_id: Uuid,
    /// The device's account now (a token registered again under another account moves).
    #[diesel(sql_type = SqlUuid)]
    account_id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    muted: bool,
    #[diesel(sql_type = Text)]
    actor_name: String,
    #[diesel(sql_type = Nullable<Time>)]
    quiet_from: Option<time::Time>,
    #[diesel(sql_type = Nullable<Time>)]
    quiet_until: Option<time::Time>,
}

/// The words on the lock screen: who, and what kind of thing. Nothing else.
pub fn words(kind: ActivityKind, actor: &str) -> String {
    let what = match kind {
        ActivityKind::StoryPosted => "posted a new story",
        ActivityKind::GoalSet => "set a new goal",
        ActivityKind::GoalAchieved => "achieved a goal",
        ActivityKind::ActionDone => "finished a step",
        ActivityKind::ReviewHeld => "held a review",
        ActivityKind::Encouraged => "sent some encouragement",
    };
    format!("{actor} {what}")
}

/// When quiet hours (London time) hold `now`, the moment they end.
pub fn quiet_until(
    now: time::OffsetDateTime,
    from: time::Time,
    until: time::Time,
) -> Option<time::OffsetDateTime> {
    let offset = crate::fields::london_offset(now);
    let local = now.to_offset(offset);
    let t = local.time();
    let quiet = if from <= until {
        t >= from && t < until
    } else {
        t >= from || t < until
    };
    if !quiet {
        return None;
    }
    let mut end = local.replace_time(until);
    if end <= local {
        end += time::Duration::days(1);
    }
    Some(end.to_offset(time::UtcOffset::UTC))
}

/// Sends the notifications that are due.
pub async fn deliver_due(state: &AppState) -> ApiResult<Pass> {
    let mut conn = state.conn().await?;
    let mut pass = Pass {
        queued: fan_out(&mut conn).await?,
        ..Pass::default()
    };
    let due: Vec<Due> = sql_query(format!(
        "WITH claimed AS ( \
           UPDATE notifications SET attempts = attempts + 1, \
                  next_attempt_at = now() + interval '{CLAIM_SECS} seconds' \
            WHERE id IN (SELECT id FROM notifications \
                          WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now() \
                          ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED) \
           RETURNING id, device_id, attempts, activity_id) \
         SELECT c.id, c.device_id, c.attempts, d.token_sealed, a.kind, a.id AS activity_id, \
                a.person_id, d.account_id, \
                EXISTS (SELECT 1 FROM muted_people m \
                         WHERE m.account_id = d.account_id AND m.person_id = a.person_id) AS muted, \
                CASE WHEN p.account_id = a.actor_account_id THEN p.preferred_name ELSE ac.name END \
                  AS actor_name, \
                s.quiet_from, s.quiet_until \
           FROM claimed c \
           JOIN push_devices d ON d.id = c.device_id \
           JOIN activities a ON a.id = c.activity_id \
           JOIN people p ON p.id = a.person_id \
           JOIN accounts ac ON ac.id = a.actor_account_id \
           LEFT JOIN notification_settings s ON s.account_id = d.account_id"
    ))
    .bind::<diesel::sql_types::BigInt, _>(BATCH)
    .load(&mut conn)
    .await?;
    let max_attempts = state.config.push.max_attempts;
    for n in due {
        let now = time::OffsetDateTime::now_utc();
        if let (Some(from), Some(until)) = (n.quiet_from, n.quiet_until)
            && let Some(end) = quiet_until(now, from, until)
        {
            sql_query(
                "UPDATE notifications SET attempts = attempts - 1, next_attempt_at = $2 WHERE id = $1",
            )
            .bind::<SqlUuid, _>(n.id)
            .bind::<diesel::sql_types::Timestamptz, _>(end)
            .execute(&mut conn)
            .await?;
            pass.deferred += 1;
            continue;
        }
        // Decided again now, not only when queued: the activity must still be one the device's
        // account may see (the feed's rule, as when it was queued), and not from a person they
        // have muted since.
        if n.muted || !still_visible(&mut conn, n.account_id, n.person_id, n.activity_id).await? {
            sql_query("DELETE FROM notifications WHERE id = $1")
                .bind::<SqlUuid, _>(n.id)
                .execute(&mut conn)
                .await?;
            pass.withdrawn += 1;
            continue;
        }
        let Some(token) = state.sealer.open(TOKEN_PURPOSE, b"", &n.token_sealed) else {
            // Sealed under a secret no longer configured: the app registers again.
            sql_query("DELETE FROM push_devices WHERE id = $1")
                .bind::<SqlUuid, _>(n.device_id)
                .execute(&mut conn)
                .await?;
            pass.devices_removed += 1;
            continue;
        };
        let body = words(n.kind, &n.actor_name);
        let message = Message {
            title: "Camau",
            body: &body,
            data: serde_json::json!({
                "activity_id": n.activity_id.to_string(),
                "person_id": n.person_id.to_string(),
                "kind": n.kind.as_str(),
            }),
        };
        let token = String::from_utf8_lossy(&token).into_owned();
        match state.pusher.send(&token, &message).await {
            Ok(()) => {
                sql_query(
                    "UPDATE notifications SET sent_at = now(), last_error = NULL WHERE id = $1",
                )
                .bind::<SqlUuid, _>(n.id)
                .execute(&mut conn)
                .await?;
                pass.sent += 1;
            }
            Err(PushError::Unregistered) => {
                sql_query("DELETE FROM push_devices WHERE id = $1")
                    .bind::<SqlUuid, _>(n.device_id)
                    .execute(&mut conn)
                    .await?;
                pass.devices_removed += 1;
            }
            Err(PushError::Transient(reason)) if n.attempts >= max_attempts => {
                sql_query(
                    "UPDATE notifications SET failed_at = now(), last_error = $2 WHERE id = $1",
                )
                .bind::<SqlUuid, _>(n.id)
                .bind::<Text, _>(reason)
                .execute(&mut conn)
                .await?;
                pass.given_up += 1;
            }
            Err(PushError::Transient(reason)) => {
                let wait = crate::platform::mail::worker::backoff(n.attempts);
                sql_query(
                    "UPDATE notifications SET next_attempt_at = now() + $2, last_error = $3 WHERE id = $1",
                )
                .bind::<SqlUuid, _>(n.id)
                .bind::<diesel::sql_types::Interval, _>(diesel::data_types::PgInterval::from_microseconds(
                    wait.whole_microseconds() as i64,
                ))
                .bind::<Text, _>(reason)
                .execute(&mut conn)
                .await?;
                pass.retrying += 1;
            }
        }
    }
    Ok(pass)
}

/// Whether `account` may see the activity now, by the feed's rule.
async fn still_visible(
    conn: &mut AsyncPgConnection,
    account: Uuid,
    person: Uuid,
    activity: Uuid,
) -> ApiResult<bool> {
    let page = Page {
        limit: 1,
        after: None,
    };
    let shown = crate::social::feed::model::page(
        conn,
        Viewer::background(AccountId(account)),
        crate::social::feed::model::Scope::Person(person),
        page,
        Some(&[activity]),
    )
    .await?;
    Ok(!shown.is_empty())
}

/// Runs [`deliver_due`] every `interval` for as long as the server runs.
pub async fn run(state: Arc<AppState>, interval: Duration) {
    let mut tick = tokio::time::interval(interval);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match deliver_due(&state).await {
            Ok(pass) if pass != Pass::default() => tracing::info!(?pass, "notifications"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "notification pass failed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{datetime, time};

    #[test]
    fn quiet_hours_span_midnight_in_london_time() {
        // 22:30 BST is 21:30 UTC in July.
        let night = datetime!(2026-07-01 21:30 UTC);
        let end = quiet_until(night, time!(21:00), time!(07:00)).unwrap();
        assert_eq!(end, datetime!(2026-07-02 06:00 UTC));
        let day = datetime!(2026-07-01 12:00 UTC);
        assert_eq!(quiet_until(day, time!(21:00), time!(07:00)), None);
        // In winter London is on UTC.
        let winter = datetime!(2026-12-01 06:30 UTC);
        assert_eq!(
            quiet_until(winter, time!(21:00), time!(07:00)),
            Some(datetime!(2026-12-01 07:00 UTC))
        );
    }

    #[test]
    fn lock_screens_get_a_name_and_a_kind_only() {
        assert_eq!(
            words(ActivityKind::StoryPosted, "Cai"),
            "Cai posted a new story"
        );
    }
}
