//! Hold rows and their queries, within one person's scope.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::Authorized;
use crate::auth::access::PersonScope;
use crate::db::schema::legal_holds;
use crate::ids::AccountId;
use crate::trust::holds::types::HoldReason;

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = legal_holds)]
pub struct HoldRow {
    pub id: Uuid,
    pub reason: HoldReason,
    pub placed_by: Uuid,
    pub placed_at: OffsetDateTime,
    pub lifted_at: Option<OffsetDateTime>,
    pub lifted_by: Option<Uuid>,
}

/// The person's holds, newest first (`only_standing`: those not lifted).
pub async fn list(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    only_standing: bool,
) -> QueryResult<Vec<HoldRow>> {
    let mut q = legal_holds::table
        .filter(scope.owns(legal_holds::table))
        .order(legal_holds::id.desc())
        .select(HoldRow::as_select())
        .into_boxed();
    if only_standing {
        q = q.filter(legal_holds::lifted_at.is_null());
    }
    q.load(conn).await
}

pub async fn place(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    reason: HoldReason,
    by: AccountId,
) -> QueryResult<HoldRow> {
    diesel::insert_into(legal_holds::table)
        .values((
            legal_holds::id.eq(Uuid::now_v7()),
            scope.stamp(legal_holds::table),
            legal_holds::reason.eq(reason),
            legal_holds::placed_by.eq(by),
        ))
        .returning(HoldRow::as_returning())
        .get_result(conn)
        .await
}

/// Lifts the hold if it stands; the hold as it is now (`None`: no such hold of the person).
pub async fn lift(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    hold: Uuid,
    by: AccountId,
) -> QueryResult<(Option<HoldRow>, bool)> {
    let lifted = diesel::update(
        legal_holds::table
            .filter(legal_holds::id.eq(hold))
            .filter(scope.owns(legal_holds::table))
            .filter(legal_holds::lifted_at.is_null()),
    )
    .set((
        legal_holds::lifted_at.eq(OffsetDateTime::now_utc()),
        legal_holds::lifted_by.eq(by),
    ))
    .returning(HoldRow::as_returning())
    .get_result(conn)
    .await
    .optional()?;
    if let Some(row) = lifted {
        return Ok((Some(row), true));
    }
    let row = legal_holds::table
        .filter(legal_holds::id.eq(hold))
        .filter(scope.owns(legal_holds::table))
        .select(HoldRow::as_select())
        .first(conn)
        .await
        .optional()?;
    Ok((row, false))
}
