//! Uploads and their sealed parts.

use diesel::sql_types::{Bytea, Integer, Nullable, Timestamptz, Uuid as SqlUuid};
use diesel::{OptionalExtension, QueryableByName, sql_query};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::ids::AccountId;

#[derive(Debug, Clone, QueryableByName)]
pub struct UploadRow {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub story_id: Uuid,
    #[diesel(sql_type = Integer)]
    pub length: i32,
    #[diesel(sql_type = Integer)]
    pub received: i32,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub photo_id: Option<Uuid>,
    #[diesel(sql_type = Timestamptz)]
    pub expires_at: OffsetDateTime,
}

const COLUMNS: &str = "id, story_id, length, received, photo_id, expires_at";

/// `account`'s upload `id`, unexpired.
pub async fn find(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    account: AccountId,
) -> diesel::QueryResult<Option<UploadRow>> {
    sql_query(format!(
        "SELECT {COLUMNS} FROM photo_uploads \
         WHERE id = $1 AND account_id = $2 AND expires_at > now()"
    ))
    .bind::<SqlUuid, _>(id)
    .bind::<SqlUuid, _>(account)
    .get_result(conn)
    .await
    .optional()
}

/// The same row, locked for the part being added.
pub async fn lock(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> diesel::QueryResult<Option<UploadRow>> {
    sql_query(format!(
        "SELECT {COLUMNS} FROM photo_uploads WHERE id = $1 AND expires_at > now() FOR UPDATE"
    ))
    .bind::<SqlUuid, _>(id)
    .get_result(conn)
    .await
    .optional()
}

pub async fn create(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    story: Uuid,
    account: AccountId,
    length: i32,
    expires_at: OffsetDateTime,
) -> diesel::QueryResult<()> {
    sql_query(
        "INSERT INTO photo_uploads (id, story_id, account_id, length, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind::<SqlUuid, _>(id)
    .bind::<SqlUuid, _>(story)
    .bind::<SqlUuid, _>(account)
    .bind::<Integer, _>(length)
    .bind::<Timestamptz, _>(expires_at)
    .execute(conn)
    .await
    .map(drop)
}

/// Adds a part at the upload's current end.
pub async fn add_part(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    starts_at: i32,
    sealed: &[u8],
    len: i32,
) -> diesel::QueryResult<()> {
    sql_query("INSERT INTO photo_upload_parts (upload_id, starts_at, sealed) VALUES ($1, $2, $3)")
        .bind::<SqlUuid, _>(id)
        .bind::<Integer, _>(starts_at)
        .bind::<Bytea, _>(sealed)
        .execute(conn)
        .await?;
    sql_query("UPDATE photo_uploads SET received = received + $2 WHERE id = $1")
        .bind::<SqlUuid, _>(id)
        .bind::<Integer, _>(len)
        .execute(conn)
        .await
        .map(drop)
}

#[derive(QueryableByName)]
pub struct Part {
    #[diesel(sql_type = Integer)]
    pub starts_at: i32,
    #[diesel(sql_type = Bytea)]
    pub sealed: Vec<u8>,
}

pub async fn parts(conn: &mut AsyncPgConnection, id: Uuid) -> diesel::QueryResult<Vec<Part>> {
    sql_query(
        "SELECT starts_at, sealed FROM photo_upload_parts WHERE upload_id = $1 ORDER BY starts_at",
    )
    .bind::<SqlUuid, _>(id)
    .load(conn)
    .await
}

/// The photo is stored: every byte counts as received, the parts go, and the row stays (until
/// it expires) to answer a retry.
pub async fn finished(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    photo: Uuid,
    length: i32,
) -> diesel::QueryResult<()> {
    sql_query("UPDATE photo_uploads SET photo_id = $2, received = $3 WHERE id = $1")
        .bind::<SqlUuid, _>(id)
        .bind::<SqlUuid, _>(photo)
        .bind::<Integer, _>(length)
        .execute(conn)
        .await?;
    sql_query("DELETE FROM photo_upload_parts WHERE upload_id = $1")
        .bind::<SqlUuid, _>(id)
        .execute(conn)
        .await
        .map(drop)
}

#[derive(QueryableByName)]
pub struct Open {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub on_story: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub by_account: i64,
}

/// Unfinished, unexpired uploads to `story`, and by `account` anywhere.
pub async fn open(
    conn: &mut AsyncPgConnection,
    story: Uuid,
    account: AccountId,
) -> diesel::QueryResult<Open> {
    sql_query(
        "SELECT count(*) FILTER (WHERE story_id = $1) AS on_story, \
                count(*) FILTER (WHERE account_id = $2) AS by_account \
           FROM photo_uploads \
          WHERE (story_id = $1 OR account_id = $2) AND photo_id IS NULL AND expires_at > now()",
    )
    .bind::<SqlUuid, _>(story)
    .bind::<SqlUuid, _>(account)
    .get_result(conn)
    .await
}

/// Serialises announcements by the same account and on the same story until the transaction
/// ends (advisory locks: the limits are counts over rows that do not exist yet).
pub async fn lock_announcements(
    conn: &mut AsyncPgConnection,
    account: AccountId,
    story: Uuid,
) -> diesel::QueryResult<()> {
    sql_query(
        "SELECT pg_advisory_xact_lock(hashtextextended('camau.uploads.account:' || $1, 0)), \
                pg_advisory_xact_lock(hashtextextended('camau.uploads.story:' || $2, 0))",
    )
    .bind::<diesel::sql_types::Text, _>(account.0.to_string())
    .bind::<diesel::sql_types::Text, _>(story.to_string())
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn remove(conn: &mut AsyncPgConnection, id: Uuid) -> diesel::QueryResult<usize> {
    sql_query("DELETE FROM photo_uploads WHERE id = $1")
        .bind::<SqlUuid, _>(id)
        .execute(conn)
        .await
}

/// Housekeeping: resumable uploads past their expiry (unfinished: their parts go with them).
pub async fn purge_expired(conn: &mut AsyncPgConnection) -> diesel::QueryResult<usize> {
    sql_query("DELETE FROM photo_uploads WHERE expires_at < now()")
        .execute(conn)
        .await
}
