//! Concern rows and the hiding and showing of the items they are about.

use diesel::sql_types::{Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, QueryableByName, sql_query};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::Authorized;
use crate::auth::access::PersonScope;
use crate::db::schema::{comments, concerns, stories};
use crate::http::pagination::Page;
use crate::ids::{AccountId, OrganisationId};
use crate::trust::concerns::types::{Concern, ConcernItem, ConcernStatus};

type QueryResult<T> = Result<T, diesel::result::Error>;

/// Raises a concern about a story or comment of the person and hides the item from the
/// circle; a concern already open on it is joined. Returns the open concern's id.
pub async fn raise(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    item: ConcernItem,
    item_id: Uuid,
    by: AccountId,
    reason: Option<&str>,
) -> QueryResult<Uuid> {
    let (story, comment) = match item {
        ConcernItem::Story => (Some(item_id), None),
        ConcernItem::Comment => (None, Some(item_id)),
    };
    // The item's row is locked first, here and in `settle`, so a raise and a settlement of
    // the same item take turns: a raise never joins a concern being closed under it.
    let already_hidden = lock_item(conn, item, item_id).await?;
    let inserted: Option<Uuid> = diesel::insert_into(concerns::table)
        .values((
            concerns::id.eq(Uuid::now_v7()),
            scope.stamp(concerns::table),
            concerns::story_id.eq(story),
            concerns::comment_id.eq(comment),
            concerns::raised_by.eq(by),
            concerns::reason.eq(reason),
            concerns::hid_item.eq(!already_hidden),
        ))
        .on_conflict_do_nothing()
        .returning(concerns::id)
        .get_result(conn)
        .await
        .optional()?;
    let id = match inserted {
        Some(id) => id,
        None => {
            let open = concerns::table
                .filter(concerns::status.eq(ConcernStatus::Open))
                .filter(scope.owns(concerns::table))
                .into_boxed();
            let open = match item {
                ConcernItem::Story => open.filter(concerns::story_id.eq(item_id)),
                ConcernItem::Comment => open.filter(concerns::comment_id.eq(item_id)),
            };
            open.select(concerns::id).first(conn).await?
        }
    };
    if !already_hidden {
        let now = OffsetDateTime::now_utc();
        match item {
            ConcernItem::Story => {
                diesel::update(stories::table.find(item_id))
                    .set(stories::hidden_at.eq(now))
                    .execute(conn)
                    .await?;
            }
            ConcernItem::Comment => {
                // Who raised it stays on the concern alone: `hidden_by` is for moderation, and
                // the comment is part of the person's record (their export, their view).
                diesel::update(comments::table.find(item_id))
                    .set(comments::hidden_at.eq(now))
                    .execute(conn)
                    .await?;
            }
        }
    }
    Ok(id)
}

/// Locks the story or comment row; whether it is hidden already.
async fn lock_item(
    conn: &mut AsyncPgConnection,
    item: ConcernItem,
    item_id: Uuid,
) -> QueryResult<bool> {
    match item {
        ConcernItem::Story => {
            stories::table
                .find(item_id)
                .select(stories::hidden_at.is_not_null())
                .for_update()
                .first(conn)
                .await
        }
        ConcernItem::Comment => {
            comments::table
                .find(item_id)
                .select(comments::hidden_at.is_not_null())
                .for_update()
                .first(conn)
                .await
        }
    }
}

/// The organisation a concern belongs to (for authorizing its settlement).
pub async fn organisation_of(
    conn: &mut AsyncPgConnection,
    concern: Uuid,
) -> QueryResult<Option<OrganisationId>> {
    concerns::table
        .find(concern)
        .select(concerns::organisation_id)
        .first(conn)
        .await
        .optional()
        .map(|o| o.map(OrganisationId))
}

/// Settles an open concern of the organisation; shows the item again when restored. `None`
/// when it is not open (already settled).
pub async fn settle(
    conn: &mut AsyncPgConnection,
    org: &Authorized<OrganisationId>,
    concern: Uuid,
    status: ConcernStatus,
    by: AccountId,
    note: Option<&str>,
) -> QueryResult<Option<()>> {
    let target: Option<(Option<Uuid>, Option<Uuid>)> = concerns::table
        .filter(concerns::id.eq(concern))
        .filter(concerns::organisation_id.eq(org.id()))
        .select((concerns::story_id, concerns::comment_id))
        .first(conn)
        .await
        .optional()?;
    match target {
        Some((Some(story), _)) => lock_item(conn, ConcernItem::Story, story).await?,
        Some((None, Some(comment))) => lock_item(conn, ConcernItem::Comment, comment).await?,
        _ => return Ok(None),
    };
    let settled: Option<(Option<Uuid>, Option<Uuid>, bool)> = diesel::update(
        concerns::table
            .filter(concerns::id.eq(concern))
            .filter(concerns::organisation_id.eq(org.id()))
            .filter(concerns::status.eq(ConcernStatus::Open)),
    )
    .set((
        concerns::status.eq(status),
        concerns::handled_by.eq(by),
        concerns::handled_at.eq(OffsetDateTime::now_utc()),
        concerns::note.eq(note),
    ))
    .returning((concerns::story_id, concerns::comment_id, concerns::hid_item))
    .get_result(conn)
    .await
    .optional()?;
    let Some((story, comment, hid_item)) = settled else {
        return Ok(None);
    };
    // Shown again only if this concern hid it: a comment the person hid, or a story an
    // earlier concern left hidden, stays hidden.
    if status == ConcernStatus::Restored && hid_item {
        if let Some(story) = story {
            diesel::update(stories::table.find(story))
                .set(stories::hidden_at.eq(None::<OffsetDateTime>))
                .execute(conn)
                .await?;
        }
        if let Some(comment) = comment {
            // A comment the person or staff hid meanwhile stays hidden.
            diesel::update(
                comments::table
                    .find(comment)
                    .filter(comments::hidden_by.is_null()),
            )
            .set(comments::hidden_at.eq(None::<OffsetDateTime>))
            .execute(conn)
            .await?;
        }
    }
    Ok(Some(()))
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = Text)]
    status: ConcernStatus,
    #[diesel(sql_type = SqlUuid)]
    person_id: Uuid,
    #[diesel(sql_type = Text)]
    person_name: String,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    story_id: Option<Uuid>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    comment_id: Option<Uuid>,
    #[diesel(sql_type = Text)]
    item_text: String,
    #[diesel(sql_type = Nullable<Text>)]
    reason: Option<String>,
    #[diesel(sql_type = Text)]
    raised_by_name: String,
    #[diesel(sql_type = Timestamptz)]
    created_at: OffsetDateTime,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    handled_at: Option<OffsetDateTime>,
    #[diesel(sql_type = Nullable<Text>)]
    note: Option<String>,
}

/// The organisation's concerns with `status` (and `only`, one of them), newest first.
pub async fn list(
    conn: &mut AsyncPgConnection,
    org: &Authorized<OrganisationId>,
    status: Option<ConcernStatus>,
    only: Option<Uuid>,
    page: Page,
) -> QueryResult<Vec<Concern>> {
    let rows: Vec<Row> = sql_query(
        "SELECT c.id, c.status, c.person_id, p.preferred_name AS person_name, c.story_id, \
                c.comment_id, coalesce(s.body, cm.body, '') AS item_text, c.reason, \
                CASE WHEN p.account_id = c.raised_by THEN p.preferred_name ELSE a.name END \
                  AS raised_by_name, \
                c.created_at, c.handled_at, c.note \
           FROM concerns c \
           JOIN people p ON p.id = c.person_id \
           JOIN accounts a ON a.id = c.raised_by \
           LEFT JOIN stories s ON s.id = c.story_id \
           LEFT JOIN comments cm ON cm.id = c.comment_id \
          WHERE c.organisation_id = $1 \
            AND ($2::text IS NULL OR c.status = $2) \
            AND ($3::uuid IS NULL OR c.id = $3) \
            AND ($4::uuid IS NULL OR c.id < $4) \
          ORDER BY c.id DESC LIMIT $5",
    )
    .bind::<SqlUuid, _>(org.id())
    .bind::<Nullable<Text>, _>(status.map(|s| s.as_str()))
    .bind::<Nullable<SqlUuid>, _>(only)
    .bind::<Nullable<SqlUuid>, _>(page.after)
    .bind::<diesel::sql_types::BigInt, _>(page.fetch_limit())
    .load(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Concern {
            id: r.id,
            status: r.status,
            person_id: r.person_id,
            person_name: r.person_name,
            item: if r.story_id.is_some() {
                ConcernItem::Story
            } else {
                ConcernItem::Comment
            },
            item_id: r.story_id.or(r.comment_id).unwrap_or_default(),
            item_text: r.item_text,
            reason: r.reason,
            raised_by_name: r.raised_by_name,
            created_at: r.created_at,
            handled_at: r.handled_at,
            note: r.note,
        })
        .collect())
}
