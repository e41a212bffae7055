//! The sync page in one statement: the caller's view of people (the policy's `viewer_mine`,
//! with the same session check, as the feed), their records' latest changes after the cursor,
//! filtered by what the caller may see of each, and the changes to the caller's own access.

use diesel::sql_types::{BigInt, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel::{QueryableByName, sql_query};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::policy::{me, viewer_mine};
use crate::ids::{AccountId, SessionId};

/// Where a client is: after the change `(tx, seq)`, read at `issued` (unix seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub tx: i64,
    pub seq: i64,
    pub issued: i64,
}

impl Cursor {
    /// Before every change.
    pub fn start(now: OffsetDateTime) -> Self {
        Cursor {
            tx: 0,
            seq: 0,
            issued: now.unix_timestamp(),
        }
    }

    pub fn encode(self) -> String {
        format!("s1.{}.{}.{}", self.tx, self.seq, self.issued)
    }

    pub fn decode(text: &str) -> Option<Self> {
        let mut parts = text.strip_prefix("s1.")?.split('.');
        let cursor = Cursor {
            tx: parts.next()?.parse().ok()?,
            seq: parts.next()?.parse().ok()?,
            issued: parts.next()?.parse().ok()?,
        };
        (parts.next().is_none() && cursor.tx >= 0 && cursor.seq >= 0).then_some(cursor)
    }
}

/// Whether story `$story` is shown to the supporter of row `s` (the whole record's viewers
/// are shown everything before this is asked): the policy's `story_seen`, without drafts (the
/// sync carries a supporter's story once the person accepts it), so only with the grant.
macro_rules! story_shown {
    ($story:literal) => {
        concat!(
            "(s.stories AND story_seen(",
            $story,
            ", s.person_id, $1, s.member_id, false, true, false))"
        )
    };
}

/// `$1` account, `$2` session, `$3`/`$4` the cursor's (tx, seq), `$5` rows. Only changes of
/// transactions older than every one still running are read (`xmin`): a change numbered
/// before this page but committed after it holds the horizon back until it commits, so it
/// cannot fall behind a cursor.
const PAGE: &str = concat!(
    me!(),
    viewer_mine!(),
    ",
horizon AS (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS xmin),
mine AS (
    SELECT l.record_type, l.record_id, l.person_id, l.op, l.tx, l.seq, l.changed_at
      FROM me JOIN sync_log l ON l.record_type = 'assignment' AND l.record_id = me.id
     WHERE (l.tx, l.seq) > ($3, $4) AND l.tx < (SELECT xmin FROM horizon)
    UNION ALL
    SELECT l.record_type, l.record_id, l.person_id, l.op, l.tx, l.seq, l.changed_at
      FROM me JOIN circle_members cm ON cm.account_id = me.id
      JOIN sync_log l ON l.record_type = 'circle_member' AND l.record_id = cm.id
     WHERE (l.tx, l.seq) > ($3, $4) AND l.tx < (SELECT xmin FROM horizon)
),
seen AS (
    SELECT l.record_type, l.record_id, l.person_id, l.op, l.tx, l.seq, l.changed_at, l.withdrawn,
           l.unseen, v.full_view, v.member_id, v.goals, v.stories, v.reviews, v.profile
      FROM viewer v JOIN sync_log l ON l.person_id = v.person_id
     WHERE (l.tx, l.seq) > ($3, $4) AND l.tx < (SELECT xmin FROM horizon)
       AND l.record_type <> 'assignment'
       AND NOT EXISTS (SELECT 1 FROM mine m WHERE m.tx = l.tx AND m.seq = l.seq)
),
judged AS (
    SELECT s.*, (s.full_view
        OR (s.record_type = 'profile' AND s.profile)
        OR (s.record_type IN ('goal', 'action') AND s.goals)
        OR (s.record_type = 'review' AND s.reviews)
        OR (s.record_type = 'story' AND s.op = 'upsert' AND ",
    story_shown!("s.record_id"),
    ")
        OR (s.record_type = 'comment' AND s.op = 'upsert'
            AND comment_seen(s.record_id, s.person_id, $1, s.member_id, s.full_view, s.stories,
                             s.goals, false))
        OR (s.record_type = 'reaction' AND s.op = 'upsert' AND EXISTS (
              SELECT 1 FROM reactions r WHERE r.id = s.record_id
                 AND CASE WHEN r.story_id IS NOT NULL THEN ",
    story_shown!("r.story_id"),
    " ELSE s.goals END))) AS shown_now
      FROM seen s
),
shown AS (
    -- A supporter's tombstones: a deletion of a kind their grants reach, or a story or comment
    -- taken from the circle's sight (`withdrawn`), which their phone may hold.
    SELECT j.record_type, j.record_id, j.person_id,
           CASE WHEN j.shown_now THEN j.op ELSE 'delete' END AS op,
           j.tx, j.seq, j.changed_at, NULL::text[] AS visible
      FROM judged j
     WHERE j.shown_now
        OR (j.op = 'delete' AND j.record_type = 'story' AND j.stories AND NOT j.unseen)
        OR (j.op = 'delete' AND j.record_type IN ('comment', 'reaction') AND (j.stories OR j.goals))
        OR (j.withdrawn AND j.record_type IN ('story', 'comment') AND (j.stories OR j.goals))
    UNION ALL
    SELECT 'access', m.person_id, m.person_id,
           CASE WHEN v.person_id IS NULL THEN 'revoked' ELSE 'changed' END,
           m.tx, m.seq, m.changed_at,
           CASE WHEN v.person_id IS NULL THEN ARRAY[]::text[] ELSE array_remove(ARRAY[
               CASE WHEN v.full_view OR v.profile THEN 'profile' END,
               CASE WHEN v.full_view THEN 'circle_member' END,
               CASE WHEN v.goals THEN 'goal' END, CASE WHEN v.goals THEN 'action' END,
               CASE WHEN v.reviews THEN 'review' END, CASE WHEN v.stories THEN 'story' END,
               CASE WHEN v.stories AND v.photos THEN 'photo' END,
               CASE WHEN v.stories OR v.goals THEN 'reaction' END,
               CASE WHEN v.stories OR v.goals THEN 'comment' END], NULL) END
      FROM mine m LEFT JOIN viewer v ON v.person_id = m.person_id
    UNION ALL
    -- Erased: every follower's phone drops the person.
    SELECT 'access', e.erased, e.erased, 'revoked', e.tx, e.seq, e.erased_at, ARRAY[]::text[]
      FROM me JOIN sync_erasures e ON e.account_id = me.id
     WHERE (e.tx, e.seq) > ($3, $4) AND e.tx < (SELECT xmin FROM horizon)
),
page AS (SELECT * FROM shown ORDER BY tx, seq LIMIT $5)
SELECT p.record_type, p.record_id, p.person_id, p.op, p.tx, p.seq, p.changed_at, p.visible,
       coalesce(c.story_id, r.story_id) AS on_story,
       coalesce(c.goal_id, r.goal_id, ga.goal_id) AS on_goal,
       coalesce(c.action_id, r.action_id) AS on_action
  FROM page p
  LEFT JOIN comments c ON p.record_type = 'comment' AND c.id = p.record_id
  LEFT JOIN reactions r ON p.record_type = 'reaction' AND r.id = p.record_id
  LEFT JOIN goal_actions ga ON p.record_type = 'action' AND ga.id = p.record_id
 ORDER BY p.tx, p.seq"
);

#[derive(Debug, QueryableByName)]
pub struct ChangeRow {
    #[diesel(sql_type = Text)]
    pub record_type: String,
    #[diesel(sql_type = SqlUuid)]
    pub record_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub person_id: Uuid,
    #[diesel(sql_type = Text)]
    pub op: String,
    #[diesel(sql_type = BigInt)]
    pub tx: i64,
    #[diesel(sql_type = BigInt)]
    pub seq: i64,
    #[diesel(sql_type = Timestamptz)]
    pub changed_at: OffsetDateTime,
    #[diesel(sql_type = Nullable<diesel::sql_types::Array<Text>>)]
    pub visible: Option<Vec<String>>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub on_story: Option<Uuid>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub on_goal: Option<Uuid>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub on_action: Option<Uuid>,
}

/// Up to `rows` changes after `cursor` that the caller (account and live session) may see.
pub async fn page(
    conn: &mut AsyncPgConnection,
    account: AccountId,
    session: SessionId,
    cursor: Cursor,
    rows: i64,
) -> diesel::QueryResult<Vec<ChangeRow>> {
    sql_query(PAGE)
        .bind::<SqlUuid, _>(account)
        .bind::<SqlUuid, _>(session)
        .bind::<BigInt, _>(cursor.tx)
        .bind::<BigInt, _>(cursor.seq)
        .bind::<BigInt, _>(rows)
        .load(conn)
        .await
}

/// Housekeeping: deletion tombstones (audited) and erasure notices past keeping ([`crate::platform::sync::KEEP`]).
pub async fn purge_expired(conn: &mut AsyncPgConnection) -> diesel::QueryResult<usize> {
    let days = crate::platform::sync::KEEP.whole_days();
    let notices = sql_query(format!(
        "DELETE FROM sync_erasures WHERE erased_at < now() - interval '{days} days'"
    ))
    .execute(conn)
    .await?;
    let tombstones = crate::trust::audit::model::purge_audited(
        conn,
        "sync_log",
        &format!(
            "DELETE FROM sync_log WHERE op = 'delete' AND changed_at < now() - interval '{days} days'"
        ),
    )
    .await?;
    Ok(notices + tombstones)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let c = Cursor {
            tx: 812,
            seq: 44,
            issued: 1_796_000_000,
        };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        for bad in [
            "",
            "s1.",
            "s1.1.2",
            "s1.1.2.3.4",
            "s2.1.2.3",
            "s1.-1.2.3",
            "s1.a.b.c",
        ] {
            assert_eq!(Cursor::decode(bad), None, "{bad}");
        }
    }
}
