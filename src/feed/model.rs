//! The feed query. Who the caller is to each person (staff, the person, or a supporter with
//! which grants) is read from the live tables in the same statement, so a removed grant or
//! membership applies at once, and each item is kept only when that relation allows it:
//! stories by `stories::visibility`'s rule (in SQL; a supporter's own stories appear only once
//! the person accepts them, so only their audience counts here), goals and actions with `goals`, reviews
//! with `reviews`, and a hidden comment never for a supporter.

use diesel::sql_types::{Array, BigInt, Date, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel::{QueryableByName, sql_query};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::activity::ActivityKind;
use crate::auth::roles::Role;
use crate::auth::session::Actor;
use crate::feed::types::{FeedAction, FeedGoal, FeedItem, FeedReview, FeedStory};
use crate::http::pagination::Page;

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

/// Whose feed: one person (already authorized), or everyone the caller is related to.
pub enum Scope {
    Person(Uuid),
    Mine,
}

/// The people the caller may follow and how: `full` (staff or the person), or a supporter's
/// membership and grants. Staff relations mirror `auth::access`: admins and coordinators of
/// the person's organisation, assigned mentors.
const VIEWERS: &str = "
WITH viewer AS (
    SELECT p.id AS person_id, true AS full_view, NULL::uuid AS member_id,
           true AS goals, true AS stories, true AS reviews
      FROM people p
     WHERE ($2 IN ('admin', 'coordinator') AND p.organisation_id = $3)
        OR ($2 = 'mentor' AND p.organisation_id = $3 AND EXISTS (
              SELECT 1 FROM mentor_assignments ma WHERE ma.person_id = p.id AND ma.mentor_id = $1))
        OR ($2 = 'person' AND p.account_id = $1)
    UNION ALL
    SELECT cm.person_id, false, cm.id, cm.can_see_goals, cm.can_see_stories, cm.can_see_reviews
      FROM circle_members cm
     WHERE $2 = 'supporter' AND cm.account_id = $1 AND cm.removed_at IS NULL
)";

/// The page query, after [`VIEWERS`]. `$4`: only these people (NULL: all the caller's);
/// `$5`: before this id; `$6`: rows; `$7`: only these activity ids (NULL: any).
const PAGE: &str = "
SELECT a.id, a.kind, a.person_id, p.preferred_name AS person_name,
       CASE WHEN p.account_id = a.actor_account_id THEN p.preferred_name ELSE ac.name END AS actor_name,
       a.created_at, a.story_id,
       left(s.body, 140) AS story_excerpt,
       (SELECT ph.id FROM photos ph WHERE ph.story_id = s.id AND ph.stored_at IS NOT NULL
         ORDER BY ph.id LIMIT 1) AS thumb_photo,
       (SELECT count(*) FROM photos ph WHERE ph.story_id = s.id AND ph.stored_at IS NOT NULL) AS photo_count,
       (SELECT count(*) FROM reactions r WHERE r.story_id = s.id) AS reaction_count,
       (SELECT count(*) FROM comments c WHERE c.story_id = s.id
          AND (c.hidden_at IS NULL OR v.full_view)) AS comment_count,
       a.goal_id, g.title AS goal_title, a.action_id, ga.description AS action_text,
       a.review_id, rv.held_on, a.reaction, left(cm.body, 140) AS comment_excerpt,
       coalesce(cm.hidden_at IS NOT NULL, false) AS comment_hidden
  FROM activities a
  JOIN viewer v ON v.person_id = a.person_id
  JOIN people p ON p.id = a.person_id
  JOIN accounts ac ON ac.id = a.actor_account_id
  LEFT JOIN stories s ON s.id = a.story_id
  LEFT JOIN goals g ON g.id = a.goal_id
  LEFT JOIN goal_actions ga ON ga.id = a.action_id
  LEFT JOIN reviews rv ON rv.id = a.review_id
  LEFT JOIN comments cm ON cm.id = a.comment_id
 WHERE ($4::uuid IS NULL OR a.person_id = $4)
   AND ($5::uuid IS NULL OR a.id < $5)
   AND ($7::uuid[] IS NULL OR a.id = ANY($7))
   AND (v.full_view OR (
         (a.story_id IS NULL OR (
            s.hidden_at IS NULL
            AND v.stories AND s.status = 'published'
            AND (s.audience = 'circle' OR (s.audience = 'members' AND EXISTS (
                  SELECT 1 FROM story_audience sa
                   WHERE sa.story_id = s.id AND sa.member_id = v.member_id)))))
         AND (a.goal_id IS NULL OR a.story_id IS NOT NULL OR v.goals)
         AND (a.review_id IS NULL OR v.reviews)
         AND (cm.id IS NULL OR cm.hidden_at IS NULL)))
 ORDER BY a.id DESC
 LIMIT $6";

/// Everyone the caller follows.
pub async fn followed(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
) -> Result<Vec<Uuid>, diesel::result::Error> {
    #[derive(QueryableByName)]
    struct Followed {
        #[diesel(sql_type = SqlUuid)]
        person_id: Uuid,
    }
    let Some(role) = follower_role(actor.role) else {
        return Ok(Vec::new());
    };
    let rows: Vec<Followed> = sql_query(format!("{VIEWERS} SELECT person_id FROM viewer"))
        .bind::<SqlUuid, _>(actor.account_id.0)
        .bind::<Text, _>(role)
        .bind::<Nullable<SqlUuid>, _>(actor.organisation_id().map(|o| o.0))
        .load(conn)
        .await?;
    Ok(rows.into_iter().map(|r| r.person_id).collect())
}

/// The roles that follow people, as the viewer query names them.
fn follower_role(role: Role) -> Option<&'static str> {
    match role {
        Role::Admin | Role::Coordinator | Role::Mentor | Role::Person | Role::Supporter => {
            Some(role.as_str())
        }
        _ => None,
    }
}

/// A page of the feed, or (with `only`) those of the given activities the caller may see.
pub async fn page(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    scope: Scope,
    page: Page,
    only: Option<&[Uuid]>,
) -> Result<Vec<FeedItem>, diesel::result::Error> {
    let role = actor.role;
    let org = actor.organisation_id().map(|o| o.0);
    let person = match scope {
        Scope::Person(p) => Some(p),
        Scope::Mine => None,
    };
    // Nobody else follows people.
    let Some(role_text) = follower_role(role) else {
        return Ok(Vec::new());
    };
    let rows: Vec<Row> = sql_query(format!("{VIEWERS}{PAGE}"))
        .bind::<SqlUuid, _>(actor.account_id.0)
        .bind::<Text, _>(role_text)
        .bind::<Nullable<SqlUuid>, _>(org)
        .bind::<Nullable<SqlUuid>, _>(person)
        .bind::<Nullable<SqlUuid>, _>(page.after)
        .bind::<BigInt, _>(page.fetch_limit())
        .bind::<Nullable<Array<SqlUuid>>, _>(only.map(<[Uuid]>::to_vec))
        .load(conn)
        .await?;
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
            reaction_count: r.reaction_count,
            comment_count: r.comment_count,
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
        reaction: r.reaction,
        comment_excerpt: r.comment_excerpt,
        comment_hidden: r.comment_hidden,
        created_at: r.created_at,
    }
}
