//! The feed query. The session, who the caller is to each person (staff, the person, or a
//! supporter with which grants) and the page are read in one statement from the live tables,
//! so a removed grant or membership applies at once and a feed page is one round trip. Whom
//! the caller follows and which items they see are the access policy's SQL form
//! (`auth::policy`, migration 000028), the same rules the stories API and the sync apply.

use diesel::QueryableByName;
use diesel::sql_types::{Array, BigInt, Date, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::auth::policy::{me, me_background, viewer_mine, viewer_person};
use crate::auth::session::Actor;
use crate::db::prepared::prepared;
use crate::http::pagination::Page;
use crate::ids::{AccountId, SessionId};
use crate::social::activity::ActivityKind;
use crate::social::feed::types::{FeedAction, FeedGoal, FeedItem, FeedReview, FeedStory};

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = Text)]
    kind: ActivityKind,
    #[diesel(sql_type = SqlUuid)]
    person_id: Uuid,
    #[diesel(sql_type = Text)]
    person_name: String,
    #[diesel(sql_type = Text)]
    actor_name: String,
    #[diesel(sql_type = Timestamptz)]
    created_at: OffsetDateTime,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    story_id: Option<Uuid>,
    #[diesel(sql_type = Nullable<Text>)]
    story_excerpt: Option<String>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    thumb_photo: Option<Uuid>,
    #[diesel(sql_type = BigInt)]
    photo_count: i64,
    #[diesel(sql_type = BigInt)]
    reaction_count: i64,
    #[diesel(sql_type = BigInt)]
    comment_count: i64,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    goal_id: Option<Uuid>,
    #[diesel(sql_type = Nullable<Text>)]
    goal_title: Option<String>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    action_id: Option<Uuid>,
    #[diesel(sql_type = Nullable<Text>)]
    action_text: Option<String>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    review_id: Option<Uuid>,
    #[diesel(sql_type = Nullable<Date>)]
    held_on: Option<time::Date>,
    #[diesel(sql_type = Nullable<Text>)]
    reaction: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    comment_excerpt: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    comment_hidden: bool,
}

/// Whose feed: one person, or everyone the caller is related to.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    Person(Uuid),
    Mine,
}

/// Who reads. A request or stream reads through its session, checked in the same statement
/// (revoked or expired: no rows). Background work reads as an account alone, and only
/// single activities of one person (`page` with `Scope::Person` and `only`).
#[derive(Debug, Clone, Copy)]
pub struct Viewer {
    account: AccountId,
    session: Option<SessionId>,
}

impl Viewer {
    pub fn of(actor: &Actor) -> Self {
        Viewer {
            account: actor.account_id,
            session: Some(actor.session_id),
        }
    }

    /// A caller whose session has not been checked yet: the statement checks it.
    pub fn signed_in(user: &CurrentUser) -> Self {
        let (account, session) = user.claims();
        Viewer {
            account,
            session: Some(session),
        }
    }

    /// The push worker, deciding whether an account may hear of an activity: never a
    /// request's caller, who always reads through their session.
    pub fn background(account: AccountId) -> Self {
        Viewer {
            account,
            session: None,
        }
    }
}

/// The statement's text, one per scope and kind of filter so that every one keeps a plan
/// that uses `activities (person_id, id DESC)`, and PostgreSQL plans each once per
/// connection (`db::prepared`). Who the caller is and whom they follow come from the policy's
/// SQL form (`auth::policy`).
///
/// The page: for each person followed, their newest activities the viewer may see (stories
/// and comments as the policy's `story_seen` and `comment_seen` decide, without drafts: a
/// supporter's own story appears once the person accepts it; goals and actions with `goals`;
/// reviews with `reviews`), then the newest `$limit` of those, and only then the details and
/// counts of each. The checks come after `v.full_view OR`, so staff and the person read the
/// index alone, and `story_seen` after `v.stories AND` (without drafts it sees nothing without
/// the grant), so a supporter without it makes no call per item.
macro_rules! page {
    ($filter:literal, $limit:literal) => {
        concat!(
            ",
page AS (
    SELECT a.*, v.preferred_name AS person_name, v.person_account, v.full_view, v.photos
      FROM viewer v
     CROSS JOIN LATERAL (
        SELECT a.id, a.kind, a.person_id, a.actor_account_id, a.created_at, a.story_id,
               a.goal_id, a.action_id, a.review_id, a.comment_id, a.reaction
          FROM activities a
         WHERE a.person_id = v.person_id AND ",
            $filter,
            "
           AND (v.full_view OR (
                 (a.story_id IS NULL OR (v.stories
                  AND story_seen(a.story_id, a.person_id, $1, v.member_id, false, true, false)))
                 AND (a.story_id IS NOT NULL OR (a.goal_id IS NULL AND a.action_id IS NULL)
                      OR v.goals)
                 AND (a.review_id IS NULL OR v.reviews)
                 AND (a.comment_id IS NULL
                      OR comment_seen(a.comment_id, a.person_id, $1, v.member_id, false,
                                      v.stories, v.goals, false))))
         ORDER BY a.id DESC
         LIMIT ",
            $limit,
            ") a
     ORDER BY a.id DESC
     LIMIT ",
            $limit,
            "
)
SELECT a.id, a.kind, a.person_id, a.person_name,
       CASE WHEN a.person_account = a.actor_account_id THEN a.person_name
            ELSE (SELECT ac.name FROM accounts ac WHERE ac.id = a.actor_account_id) END AS actor_name,
       a.created_at, a.story_id,
       (SELECT left(s.body, 140) FROM stories s WHERE s.id = a.story_id) AS story_excerpt,
       (SELECT ph.id FROM photos ph WHERE ph.story_id = a.story_id AND ph.stored_at IS NOT NULL
           AND a.photos ORDER BY ph.id LIMIT 1) AS thumb_photo,
       (SELECT count(*) FROM photos ph WHERE ph.story_id = a.story_id
           AND ph.stored_at IS NOT NULL AND a.photos) AS photo_count,
       CASE WHEN a.story_id IS NOT NULL THEN
                 (SELECT count(*) FROM reactions r WHERE r.story_id = a.story_id)
            WHEN a.action_id IS NOT NULL THEN
                 (SELECT count(*) FROM reactions r WHERE r.action_id = a.action_id)
            WHEN a.goal_id IS NOT NULL THEN
                 (SELECT count(*) FROM reactions r WHERE r.goal_id = a.goal_id)
            ELSE 0 END AS reaction_count,
       CASE WHEN a.story_id IS NOT NULL THEN
                 (SELECT count(*) FROM comments c WHERE c.story_id = a.story_id
                     AND (c.hidden_at IS NULL OR a.full_view))
            WHEN a.action_id IS NOT NULL THEN
                 (SELECT count(*) FROM comments c WHERE c.action_id = a.action_id
                     AND (c.hidden_at IS NULL OR a.full_view))
            WHEN a.goal_id IS NOT NULL THEN
                 (SELECT count(*) FROM comments c WHERE c.goal_id = a.goal_id
                     AND (c.hidden_at IS NULL OR a.full_view))
            ELSE 0 END AS comment_count,
       a.goal_id, (SELECT g.title FROM goals g WHERE g.id = a.goal_id) AS goal_title,
       a.action_id,
       (SELECT ga.description FROM goal_actions ga WHERE ga.id = a.action_id) AS action_text,
       a.review_id, (SELECT rv.held_on FROM reviews rv WHERE rv.id = a.review_id) AS held_on,
       a.reaction, left(cm.body, 140) AS comment_excerpt,
       -- A concern's hiding is told to safeguarding leads alone (docs/SECURITY.md, Concerns).
       coalesce(CASE WHEN (SELECT concerns_lead FROM me) THEN cm.hidden_at IS NOT NULL
                     ELSE cm.hidden_by IS NOT NULL END, false) AS comment_hidden
  FROM page a
  LEFT JOIN comments cm ON cm.id = a.comment_id
 ORDER BY a.id DESC"
        )
    };
}

/// `$3` person, `$4` before this id, `$5` rows.
const PERSON_PAGE: &str = concat!(me!(), viewer_person!("$3"), page!("a.id < $4", "$5"));
/// `$3` person, `$4` only these activity ids, `$5` rows.
const PERSON_ONLY: &str = concat!(me!(), viewer_person!("$3"), page!("a.id = ANY($4)", "$5"));
/// Background work: `$2` person, `$3` only these activity ids, `$4` rows.
const BACKGROUND_PERSON_ONLY: &str = concat!(
    me_background!(),
    viewer_person!("$2"),
    page!("a.id = ANY($3)", "$4")
);
/// `$3` before this id, `$4` rows.
const MINE_PAGE: &str = concat!(me!(), viewer_mine!(), page!("a.id < $3", "$4"));
/// `$3` only these activity ids, `$4` rows.
const MINE_ONLY: &str = concat!(me!(), viewer_mine!(), page!("a.id = ANY($3)", "$4"));
const FOLLOWED: &str = concat!(me!(), viewer_mine!(), " SELECT person_id FROM viewer");

/// Everyone the viewer follows.
pub async fn followed(
    conn: &mut AsyncPgConnection,
    viewer: Viewer,
) -> Result<Vec<Uuid>, diesel::result::Error> {
    #[derive(QueryableByName)]
    struct Followed {
        #[diesel(sql_type = SqlUuid)]
        person_id: Uuid,
    }
    let Some(session) = viewer.session else {
        return Ok(Vec::new());
    };
    let rows: Vec<Followed> = prepared(FOLLOWED)
        .bind::<SqlUuid, _>(viewer.account)
        .bind::<SqlUuid, _>(session)
        .load(conn)
        .await?;
    Ok(rows.into_iter().map(|r| r.person_id).collect())
}

/// The newest ids sort below this: a first page reads from the top.
const TOP: Uuid = Uuid::max();

/// A page of the feed, or (with `only`) those of the given activities the viewer may see, in
/// one statement with the session check and the authorization. Nothing (not an error) when
/// the session has ended or the viewer may not follow the person: callers that must tell
/// those apart ask `auth` when the page is empty.
pub async fn page(
    conn: &mut AsyncPgConnection,
    viewer: Viewer,
    scope: Scope,
    page: Page,
    only: Option<&[Uuid]>,
) -> Result<Vec<FeedItem>, diesel::result::Error> {
    let account = viewer.account.0;
    let before = page.after.unwrap_or(TOP);
    let limit = page.fetch_limit();
    let Some(session) = viewer.session.map(|s| s.0) else {
        // Background work reads single activities of one person, nothing else.
        let (Scope::Person(person), Some(ids)) = (scope, only) else {
            return Ok(Vec::new());
        };
        let rows: Vec<Row> = prepared(BACKGROUND_PERSON_ONLY)
            .bind::<SqlUuid, _>(account)
            .bind::<SqlUuid, _>(person)
            .bind::<Array<SqlUuid>, _>(ids.to_vec())
            .bind::<BigInt, _>(limit)
            .load(conn)
            .await?;
        return Ok(rows.into_iter().map(item).collect());
    };
    let query = match (scope, only) {
        (Scope::Person(person), None) => prepared(PERSON_PAGE)
            .bind::<SqlUuid, _>(account)
            .bind::<SqlUuid, _>(session)
            .bind::<SqlUuid, _>(person)
            .bind::<SqlUuid, _>(before)
            .bind::<BigInt, _>(limit),
        (Scope::Person(person), Some(ids)) => prepared(PERSON_ONLY)
            .bind::<SqlUuid, _>(account)
            .bind::<SqlUuid, _>(session)
            .bind::<SqlUuid, _>(person)
            .bind::<Array<SqlUuid>, _>(ids.to_vec())
            .bind::<BigInt, _>(limit),
        (Scope::Mine, None) => prepared(MINE_PAGE)
            .bind::<SqlUuid, _>(account)
            .bind::<SqlUuid, _>(session)
            .bind::<SqlUuid, _>(before)
            .bind::<BigInt, _>(limit),
        (Scope::Mine, Some(ids)) => prepared(MINE_ONLY)
            .bind::<SqlUuid, _>(account)
            .bind::<SqlUuid, _>(session)
            .bind::<Array<SqlUuid>, _>(ids.to_vec())
            .bind::<BigInt, _>(limit),
    };
    let rows: Vec<Row> = query.load(conn).await?;
    Ok(rows.into_iter().map(item).collect())
}

fn item(r: Row) -> FeedItem {
    FeedItem {
        id: r.id,
        kind: r.kind,
        person_id: r.person_id,
        person_name: r.person_name,
        actor_name: r.actor_name,
        story: r.story_id.map(|id| FeedStory {
            id,
            excerpt: r.story_excerpt.unwrap_or_default(),
            thumb_url: r.thumb_photo.map(|p| format!("/v1/photos/{p}?size=thumb")),
            photo_count: r.photo_count,
        }),
        goal: r
            .goal_id
            .zip(r.goal_title)
            .filter(|_| r.story_id.is_none())
            .map(|(id, title)| FeedGoal { id, title }),
        action: r
            .action_id
            .zip(r.action_text)
            .map(|(id, description)| FeedAction { id, description }),
        review: r
            .review_id
            .zip(r.held_on)
            .map(|(id, held_on)| FeedReview { id, held_on }),
        reaction_count: r.reaction_count,
        comment_count: r.comment_count,
        reaction: r.reaction,
        comment_excerpt: r.comment_excerpt,
        comment_hidden: r.comment_hidden,
        created_at: r.created_at,
    }
}
