//! Story, audience and photo-reference rows and their queries. Every read of stories goes
//! through `visibility::condition`.

use diesel::{
    ExpressionMethods, OptionalExtension, QueryDsl, Queryable, Selectable, SelectableHelper,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::Authorized;
use crate::auth::access::{PersonAccess, PersonScope};
use crate::db::schema::{accounts, circle_members, people, photos, stories, story_audience};
use crate::fields::Lang;
use crate::http::pagination::{Keyset, Page};
use crate::ids::{AccountId, StoryId};
use crate::social::stories::types::{Audience, AuthorKind, StoryStatus};
use crate::social::stories::visibility;

type QueryResult<T> = Result<T, diesel::result::Error>;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = stories, check_for_backend(diesel::pg::Pg))]
pub struct StoryRow {
    pub id: Uuid,
    pub person_id: Uuid,
    pub body: String,
    pub lang: Lang,
    pub audience: Audience,
    pub goal_id: Option<Uuid>,
    pub action_id: Option<Uuid>,
    pub author_account_id: Uuid,
    pub author_kind: AuthorKind,
    pub status: StoryStatus,
    pub hidden_at: Option<OffsetDateTime>,
    pub version: i32,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

/// A story with its author's display name.
pub type StoryView = (StoryRow, Option<String>);

macro_rules! author_name {
    () => {
        diesel::dsl::case_when(
            stories::author_kind.eq(AuthorKind::Person),
            people::table
                .filter(people::id.eq(stories::person_id))
                .select(people::preferred_name)
                .single_value(),
        )
        .otherwise(
            accounts::table
                .filter(accounts::id.eq(stories::author_account_id))
                .select(accounts::name)
                .single_value(),
        )
    };
}

pub struct NewStory<'a> {
    pub body: &'a str,
    pub lang: Lang,
    pub audience: Audience,
    pub goal_id: Option<Uuid>,
    pub action_id: Option<Uuid>,
    pub author_kind: AuthorKind,
    pub status: StoryStatus,
}

pub async fn insert(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    author: AccountId,
    new: &NewStory<'_>,
) -> QueryResult<Uuid> {
    diesel::insert_into(stories::table)
        .values((
            stories::id.eq(StoryId::new().0),
            scope.stamp(stories::table),
            stories::body.eq(new.body),
            stories::lang.eq(new.lang),
            stories::audience.eq(new.audience),
            stories::goal_id.eq(new.goal_id),
            stories::action_id.eq(new.action_id),
            stories::author_account_id.eq(author),
            stories::author_kind.eq(new.author_kind),
            stories::status.eq(new.status),
        ))
        .returning(stories::id)
        .get_result(conn)
        .await
}

/// Replaces the chosen members of a story's audience.
pub async fn set_members(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    story: StoryId,
    members: &[Uuid],
) -> QueryResult<()> {
    diesel::delete(
        story_audience::table
            .filter(story_audience::story_id.eq(story))
            .filter(scope.owns(story_audience::table)),
    )
    .execute(conn)
    .await?;
    let rows: Vec<_> = members
        .iter()
        .map(|m| {
            (
                story_audience::story_id.eq(story),
                story_audience::member_id.eq(*m),
                scope.stamp(story_audience::table),
            )
        })
        .collect();
    if !rows.is_empty() {
        diesel::insert_into(story_audience::table)
            .values(rows)
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// How many of `members` are current members of the person's circle.
pub async fn current_members(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    members: &[Uuid],
) -> QueryResult<i64> {
    circle_members::table
        .filter(circle_members::id.eq_any(members))
        .filter(scope.owns(circle_members::table))
        .filter(circle_members::removed_at.is_null())
        .count()
        .get_result(conn)
        .await
}

/// The story, if the caller may see it.
pub async fn find_visible(
    conn: &mut AsyncPgConnection,
    access: &PersonAccess,
    story: StoryId,
) -> QueryResult<Option<StoryRow>> {
    stories::table
        .filter(stories::id.eq(story))
        .filter(access.scope.owns(stories::table))
        .filter(visibility::condition(access))
        .select(StoryRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// The story locked for a change, if the caller may see it.
pub async fn lock_visible(
    conn: &mut AsyncPgConnection,
    access: &PersonAccess,
    story: StoryId,
) -> QueryResult<Option<StoryRow>> {
    stories::table
        .filter(stories::id.eq(story))
        .filter(access.scope.owns(stories::table))
        .filter(visibility::condition(access))
        .select(StoryRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// Stories the caller may see with their authors' names, newest first.
pub async fn list_visible(
    conn: &mut AsyncPgConnection,
    access: &PersonAccess,
    ids: Option<&[Uuid]>,
    page: Page,
) -> QueryResult<Vec<StoryView>> {
    let mut query = stories::table
        .filter(access.scope.owns(stories::table))
        .filter(visibility::condition(access))
        .select((StoryRow::as_select(), author_name!()))
        .into_boxed();
    if let Some(ids) = ids {
        query = query.filter(stories::id.eq_any(ids.to_vec()));
    }
    query = query.newest_first(page, stories::id);
    query.load(conn).await
}

/// The stored photos of `stories`, in upload order: (story, photo, width, height).
pub async fn photos_of(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    stories: &[Uuid],
) -> QueryResult<Vec<(Uuid, Uuid, i32, i32)>> {
    photos::table
        .filter(photos::story_id.eq_any(stories))
        .filter(scope.owns(photos::table))
        .filter(photos::stored_at.is_not_null())
        .order(photos::id.asc())
        .select((photos::story_id, photos::id, photos::width, photos::height))
        .load(conn)
        .await
}

/// The chosen members of `stories`' audiences: (story, member).
pub async fn members_of(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    stories: &[Uuid],
) -> QueryResult<Vec<(Uuid, Uuid)>> {
    story_audience::table
        .filter(story_audience::story_id.eq_any(stories))
        .filter(scope.owns(story_audience::table))
        .order((story_audience::story_id, story_audience::member_id))
        .select((story_audience::story_id, story_audience::member_id))
        .load(conn)
        .await
}

#[derive(Debug, Default, diesel::AsChangeset)]
#[diesel(table_name = stories)]
pub struct StoryChanges {
    pub body: Option<String>,
    pub lang: Option<Lang>,
    pub audience: Option<Audience>,
    pub goal_id: Option<Option<Uuid>>,
    pub action_id: Option<Option<Uuid>>,
    pub status: Option<StoryStatus>,
}

pub async fn update(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    story: StoryId,
    version: i32,
    changes: &StoryChanges,
) -> QueryResult<Option<i32>> {
    diesel::update(
        stories::table
            .filter(stories::id.eq(story))
            .filter(scope.owns(stories::table))
            .filter(stories::version.eq(version)),
    )
    .set((
        changes,
        stories::version.eq(version + 1),
        stories::updated_at.eq(OffsetDateTime::now_utc()),
    ))
    .returning(stories::version)
    .get_result(conn)
    .await
    .optional()
}

/// Deletes the story; its photos' objects are queued for removal by the database.
pub async fn delete(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    story: StoryId,
) -> QueryResult<usize> {
    diesel::delete(
        stories::table
            .filter(stories::id.eq(story))
            .filter(scope.owns(stories::table)),
    )
    .execute(conn)
    .await
}

/// Photo ids of a story (stored or not), for removing their objects after a delete.
pub async fn photo_ids(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    story: StoryId,
) -> QueryResult<Vec<Uuid>> {
    photos::table
        .filter(photos::story_id.eq(story))
        .filter(scope.owns(photos::table))
        .select(photos::id)
        .load(conn)
        .await
}
