//! Contract rows and their queries.

use diesel::{
    BoolExpressionMethods, ExpressionMethods, QueryDsl, Queryable, Selectable, SelectableHelper,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::auth::Authorized;
use crate::db::schema::contracts;
use crate::http::pagination::{Keyset, Page};
use crate::ids::{ContractId, OrganisationId};

type QueryResult<T> = Result<T, diesel::result::Error>;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = contracts, check_for_backend(diesel::pg::Pg))]
pub struct ContractRow {
    pub id: Uuid,
    pub commissioning_body_id: Uuid,
    pub provider_id: Uuid,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
    pub created_at: OffsetDateTime,
}

pub async fn insert(
    conn: &mut AsyncPgConnection,
    _platform: &Authorized<()>,
    commissioning_body: OrganisationId,
    provider: OrganisationId,
    starts_on: Date,
    ends_on: Option<Date>,
) -> QueryResult<ContractRow> {
    diesel::insert_into(contracts::table)
        .values((
            contracts::id.eq(ContractId::new().0),
            contracts::commissioning_body_id.eq(commissioning_body),
            contracts::provider_id.eq(provider),
            contracts::starts_on.eq(starts_on),
            contracts::ends_on.eq(ends_on),
        ))
        .returning(ContractRow::as_returning())
        .get_result(conn)
        .await
}

/// Contracts in which the organisation is either party.
pub async fn list(
    conn: &mut AsyncPgConnection,
    org: &Authorized<OrganisationId>,
    page: Page,
) -> QueryResult<Vec<ContractRow>> {
    let id = org.id().0;
    let mut query = contracts::table
        .filter(
            contracts::commissioning_body_id
                .eq(id)
                .or(contracts::provider_id.eq(id)),
        )
        .select(ContractRow::as_select())
        .into_boxed();
    query = query.oldest_first(page, contracts::id);
    query.load(conn).await
}

pub fn is_duplicate(e: &diesel::result::Error) -> bool {
    matches!(
        e,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}

/// Each contract the commissioning body holds, with the provider's name: what its reports
/// may cover.
pub async fn spans(
    conn: &mut AsyncPgConnection,
    body: &Authorized<OrganisationId>,
) -> QueryResult<Vec<(Uuid, Date, Option<Date>, String)>> {
    use crate::db::schema::organisations;
    use diesel::JoinOnDsl;
    contracts::table
        .inner_join(organisations::table.on(organisations::id.eq(contracts::provider_id)))
        .filter(contracts::commissioning_body_id.eq(body.id()))
        .select((
            contracts::provider_id,
            contracts::starts_on,
            contracts::ends_on,
            organisations::name,
        ))
        .order((contracts::provider_id, contracts::starts_on))
        .load(conn)
        .await
}
