//! Framework rows and their queries. An account sees the seeded frameworks and its own
//! organisation's.

use diesel::PgSortExpressionMethods;
use diesel::{
    BoolExpressionMethods, ExpressionMethods, OptionalExtension, QueryDsl, Queryable, Selectable,
    SelectableHelper,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::Date;
use uuid::Uuid;

use crate::db::schema::{framework_versions, frameworks, outcome_areas, outcome_statements};

type QueryResult<T> = Result<T, diesel::result::Error>;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = frameworks, check_for_backend(diesel::pg::Pg))]
pub struct FrameworkRow {
    pub id: Uuid,
    pub organisation_id: Option<Uuid>,
    pub key: String,
    pub nation: Option<String>,
    pub name_en: String,
    pub name_cy: Option<String>,
    pub source: String,
    pub status: String,
    pub source_note: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = framework_versions, check_for_backend(diesel::pg::Pg))]
pub struct VersionRow {
    pub id: Uuid,
    pub framework_id: Uuid,
    pub label: String,
    pub effective_from: Option<Date>,
    pub effective_to: Option<Date>,
}

impl VersionRow {
    pub fn in_force_on(&self, day: Date) -> bool {
        self.effective_from.is_none_or(|from| from <= day)
            && self.effective_to.is_none_or(|to| day < to)
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outcome_areas, check_for_backend(diesel::pg::Pg))]
pub struct AreaRow {
    pub id: Uuid,
    pub code: String,
    pub label_en: String,
    pub label_cy: Option<String>,
    pub applies_to: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outcome_statements, check_for_backend(diesel::pg::Pg))]
pub struct StatementRow {
    pub id: Uuid,
    pub area_id: Uuid,
    pub code: String,
    pub label_en: String,
    pub label_cy: Option<String>,
}

/// The seeded frameworks and `organisation`'s own, by key.
pub async fn visible(
    conn: &mut AsyncPgConnection,
    organisation: Option<Uuid>,
) -> QueryResult<Vec<FrameworkRow>> {
    frameworks::table
        .filter(
            frameworks::organisation_id
                .is_null()
                .or(frameworks::organisation_id.eq(organisation)),
        )
        .order((frameworks::organisation_id.is_not_null(), frameworks::key))
        .select(FrameworkRow::as_select())
        .load(conn)
        .await
}

pub async fn find_visible(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    organisation: Option<Uuid>,
) -> QueryResult<Option<FrameworkRow>> {
    frameworks::table
        .filter(frameworks::id.eq(id))
        .filter(
            frameworks::organisation_id
                .is_null()
                .or(frameworks::organisation_id.eq(organisation)),
        )
        .select(FrameworkRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// The versions of these frameworks, oldest first.
pub async fn versions_of(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
) -> QueryResult<Vec<VersionRow>> {
    framework_versions::table
        .filter(framework_versions::framework_id.eq_any(ids))
        .order((
            framework_versions::framework_id,
            framework_versions::effective_from.asc().nulls_first(),
            framework_versions::label,
        ))
        .select(VersionRow::as_select())
        .load(conn)
        .await
}

/// A version's areas in order, and their statements in order.
pub async fn contents(
    conn: &mut AsyncPgConnection,
    version: Uuid,
) -> QueryResult<(Vec<AreaRow>, Vec<StatementRow>)> {
    let areas: Vec<AreaRow> = outcome_areas::table
        .filter(outcome_areas::version_id.eq(version))
        .order(outcome_areas::position)
        .select(AreaRow::as_select())
        .load(conn)
        .await?;
    let ids: Vec<Uuid> = areas.iter().map(|a| a.id).collect();
    let statements = outcome_statements::table
        .filter(outcome_statements::area_id.eq_any(&ids))
        .order((outcome_statements::area_id, outcome_statements::position))
        .select(StatementRow::as_select())
        .load(conn)
        .await?;
    Ok((areas, statements))
}
