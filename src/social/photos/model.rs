//! Photo rows. A row is visible once `stored_at` is set: its three objects exist.

use diesel::{ExpressionMethods, OptionalExtension, QueryDsl};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::Authorized;
use crate::auth::access::{PersonAccess, PersonScope};
use crate::db::schema::{photos, stories};
use crate::ids::{AccountId, PhotoId, StoryId};
use crate::social::stories::types::StoryStatus;
use crate::social::stories::visibility;

type QueryResult<T> = Result<T, diesel::result::Error>;

/// A photo of a story the caller may see: ((story author, story status), width, height).
pub async fn find_visible(
    conn: &mut AsyncPgConnection,
    access: &PersonAccess,
    photo: PhotoId,
) -> QueryResult<Option<((Uuid, StoryStatus), i32, i32)>> {
    if !access.sees_photos() {
        return Ok(None);
    }
    let Some((story, width, height)) = photos::table
        .filter(photos::id.eq(photo))
        .filter(access.scope.owns(photos::table))
        .filter(photos::stored_at.is_not_null())
        .select((photos::story_id, photos::width, photos::height))
        .first::<(Uuid, i32, i32)>(conn)
        .await
        .optional()?
    else {
        return Ok(None);
    };
    let author = stories::table
        .filter(stories::id.eq(story))
        .filter(access.scope.owns(stories::table))
        .filter(visibility::condition(access))
        .select((stories::author_account_id, stories::status))
        .first::<(Uuid, StoryStatus)>(conn)
        .await
        .optional()?;
    Ok(author.map(|a| (a, width, height)))
}

/// An upload already made under this key: (photo, story, body hash, stored, width, height,
/// started).
#[allow(clippy::type_complexity)]
pub async fn by_upload_key(
    conn: &mut AsyncPgConnection,
    uploader: AccountId,
    key: &[u8],
) -> QueryResult<Option<(Uuid, Uuid, Vec<u8>, bool, i32, i32, OffsetDateTime)>> {
    photos::table
        .filter(photos::uploaded_by.eq(uploader))
        .filter(photos::upload_key.eq(key))
        .select((
            photos::id,
            photos::story_id,
            photos::body_hash,
            photos::stored_at.is_not_null(),
            photos::width,
            photos::height,
            photos::created_at,
        ))
        .first(conn)
        .await
        .optional()
}

pub async fn count_for_story(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    story: StoryId,
) -> QueryResult<i64> {
    photos::table
        .filter(photos::story_id.eq(story))
        .filter(scope.owns(photos::table))
        .count()
        .get_result(conn)
        .await
}

pub struct NewPhoto<'a> {
    pub id: PhotoId,
    pub story: StoryId,
    pub width: i32,
    pub height: i32,
    pub uploaded_by: AccountId,
    pub upload_key: Option<&'a [u8]>,
    pub body_hash: &'a [u8],
}

/// The row, not yet visible: its objects are written next.
pub async fn insert_pending(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    new: &NewPhoto<'_>,
) -> QueryResult<()> {
    diesel::insert_into(photos::table)
        .values((
            photos::id.eq(new.id),
            photos::story_id.eq(new.story),
            scope.stamp(photos::table),
            photos::width.eq(new.width),
            photos::height.eq(new.height),
            photos::uploaded_by.eq(new.uploaded_by),
            photos::upload_key.eq(new.upload_key),
            photos::body_hash.eq(new.body_hash),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn mark_stored(conn: &mut AsyncPgConnection, photo: PhotoId) -> QueryResult<usize> {
    // The upload's event (`photo.uploaded`) is on the trail already.
    conn.transaction(async |conn| {
        crate::trust::audit::model::covered(conn).await?;
        diesel::update(photos::table.find(photo.0))
            .set(photos::stored_at.eq(OffsetDateTime::now_utc()))
            .execute(conn)
            .await
    })
    .await
}

/// Deletes the row; the database queues its objects for removal.
pub async fn delete(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    photo: PhotoId,
) -> QueryResult<usize> {
    diesel::delete(
        photos::table
            .filter(photos::id.eq(photo))
            .filter(scope.owns(photos::table)),
    )
    .execute(conn)
    .await
}

/// Deletes a row whose upload failed, whoever's it is.
pub async fn delete_failed(conn: &mut AsyncPgConnection, photo: PhotoId) -> QueryResult<usize> {
    // Undoing an upload whose event is on the trail.
    conn.transaction(async |conn| {
        crate::trust::audit::model::covered(conn).await?;
        diesel::delete(
            photos::table
                .find(photo.0)
                .filter(photos::stored_at.is_null()),
        )
        .execute(conn)
        .await
    })
    .await
}
