//! Export rows.

use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::Authorized;
use crate::auth::access::PersonScope;
use crate::db::schema::exports;
use crate::ids::AccountId;
use crate::trust::exports::types::ExportStatus;

/// How long a finished export is kept.
pub const KEPT_DAYS: i64 = 7;

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = exports)]
pub struct ExportRow {
    pub id: Uuid,
    pub person_id: Uuid,
    pub status: ExportStatus,
    pub created_at: OffsetDateTime,
    pub ready_at: Option<OffsetDateTime>,
    pub expires_at: OffsetDateTime,
    pub size_bytes: Option<i64>,
}

/// The object key of an export's file.
pub fn key(export: Uuid) -> String {
    format!("exports/{export}/export.zip")
}

/// A new pending export, with its audit event.
pub async fn insert(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    by: AccountId,
) -> QueryResult<ExportRow> {
    conn.transaction(async |conn| {
        let row = diesel::insert_into(exports::table)
            .values((
                exports::id.eq(Uuid::now_v7()),
                scope.stamp(exports::table),
                exports::requested_by.eq(by),
                exports::expires_at.eq(OffsetDateTime::now_utc() + time::Duration::days(KEPT_DAYS)),
            ))
            .returning(ExportRow::as_returning())
            .get_result(conn)
            .await?;
        crate::trust::audit::model::changed(
            conn,
            scope,
            by,
            crate::trust::audit::Action::ExportRequested,
            "export",
            row.id,
        )
        .await?;
        Ok(row)
    })
    .await
}

/// Serialises export requests for the person until the transaction ends.
pub async fn lock_person(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
) -> QueryResult<()> {
    diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended('camau.export:' || $1, 0))")
        .bind::<diesel::sql_types::Text, _>(scope.id().person.0.to_string())
        .execute(conn)
        .await
        .map(|_| ())
}

/// A ready export is answered again, instead of a new one built, for this long.
pub const REUSED_FOR: time::Duration = time::Duration::DAY;

/// The person's export still being built, or the newest one made ready in the last day.
pub async fn current(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
) -> QueryResult<Option<ExportRow>> {
    let fresh = OffsetDateTime::now_utc() - REUSED_FOR;
    exports::table
        .filter(scope.owns(exports::table))
        .filter(
            exports::status.eq(ExportStatus::Pending).or(exports::status
                .eq(ExportStatus::Ready)
                .and(exports::ready_at.gt(fresh))
                .and(exports::expires_at.gt(OffsetDateTime::now_utc()))),
        )
        .order(exports::created_at.desc())
        .select(ExportRow::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn find(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    export: Uuid,
) -> QueryResult<Option<ExportRow>> {
    exports::table
        .filter(exports::id.eq(export))
        .filter(scope.owns(exports::table))
        .select(ExportRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// Marks the job done (ready with its size, or failed): a later step of the audited request.
pub async fn finish(
    conn: &mut AsyncPgConnection,
    export: Uuid,
    size: Option<i64>,
) -> QueryResult<usize> {
    let status = if size.is_some() {
        ExportStatus::Ready
    } else {
        ExportStatus::Failed
    };
    conn.transaction(async |conn| {
        crate::trust::audit::model::covered(conn).await?;
        diesel::update(
            exports::table
                .filter(exports::id.eq(export))
                .filter(exports::status.eq(ExportStatus::Pending)),
        )
        .set((
            exports::status.eq(status),
            exports::ready_at.eq(size.map(|_| OffsetDateTime::now_utc())),
            exports::size_bytes.eq(size),
        ))
        .execute(conn)
        .await
    })
    .await
}

/// Housekeeping: exports past their week (their files follow in the storage sweep), and export
/// jobs that never finished, marked failed. Both audited.
pub async fn purge_expired(conn: &mut AsyncPgConnection) -> diesel::QueryResult<usize> {
    use crate::trust::audit::model::purge_audited;
    Ok(purge_audited(
        conn,
        "export",
        "DELETE FROM exports WHERE expires_at < now()",
    )
    .await?
        + purge_audited(
            conn,
            "export",
            "UPDATE exports SET status = 'failed' \
                 WHERE status = 'pending' AND created_at < now() - interval '1 hour'",
        )
        .await?)
}
