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
    pub applies_to: crate::outcomes::frameworks::types::AppliesTo,
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

/// Whose frameworks `organisation` may use besides the seeded ones: its own, and those of
/// the commissioning bodies holding a current contract with it (their contract outcomes).
async fn owners(
    conn: &mut AsyncPgConnection,
    organisation: Option<Uuid>,
) -> QueryResult<Vec<Uuid>> {
    use crate::db::schema::contracts;
    let Some(org) = organisation else {
        return Ok(Vec::new());
    };
    let mut owners: Vec<Uuid> = contracts::table
        .filter(contracts::provider_id.eq(org))
        .filter(contracts::starts_on.le(crate::fields::today()))
        .filter(
            contracts::ends_on
                .is_null()
                .or(contracts::ends_on.ge(crate::fields::today())),
        )
        .select(contracts::commissioning_body_id)
        .load(conn)
        .await?;
    owners.push(org);
    Ok(owners)
}

/// The seeded frameworks and those `organisation` may use, by key.
pub async fn visible(
    conn: &mut AsyncPgConnection,
    organisation: Option<Uuid>,
) -> QueryResult<Vec<FrameworkRow>> {
    let owners = owners(conn, organisation).await?;
    frameworks::table
        .filter(
            frameworks::organisation_id
                .is_null()
                .or(frameworks::organisation_id.eq_any(owners)),
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
    let owners = owners(conn, organisation).await?;
    frameworks::table
        .filter(frameworks::id.eq(id))
        .filter(
            frameworks::organisation_id
                .is_null()
                .or(frameworks::organisation_id.eq_any(owners)),
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

/// Inserts an organisation's own framework with its one version, areas and statements, in the
/// caller's transaction; its id.
pub async fn insert_own(
    conn: &mut AsyncPgConnection,
    org: &crate::auth::Authorized<crate::ids::OrganisationId>,
    new: &crate::outcomes::frameworks::types::CreateFramework,
) -> QueryResult<Uuid> {
    let id = Uuid::now_v7();
    let version = Uuid::now_v7();
    diesel::insert_into(frameworks::table)
        .values((
            frameworks::id.eq(id),
            frameworks::organisation_id.eq(org.id()),
            frameworks::key.eq(&new.key),
            frameworks::name_en.eq(&new.name_en),
            frameworks::name_cy.eq(&new.name_cy),
            frameworks::source.eq(&new.source),
            // The organisation is the source of its own wording.
            frameworks::status.eq("verified"),
        ))
        .execute(conn)
        .await?;
    diesel::insert_into(framework_versions::table)
        .values((
            framework_versions::id.eq(version),
            framework_versions::framework_id.eq(id),
            framework_versions::label.eq(&new.version.label),
            framework_versions::effective_from.eq(new.version.effective_from),
            framework_versions::effective_to.eq(new.version.effective_to),
        ))
        .execute(conn)
        .await?;
    let mut areas = Vec::new();
    let mut statements = Vec::new();
    for (i, area) in new.areas.iter().enumerate() {
        let area_id = Uuid::now_v7();
        areas.push((
            outcome_areas::id.eq(area_id),
            outcome_areas::version_id.eq(version),
            outcome_areas::code.eq(&area.code),
            outcome_areas::label_en.eq(&area.label_en),
            outcome_areas::label_cy.eq(&area.label_cy),
            outcome_areas::applies_to.eq(area.applies_to.as_str()),
            outcome_areas::position.eq(i as i32 + 1),
        ));
        for (j, s) in area.statements.iter().enumerate() {
            statements.push((
                outcome_statements::id.eq(Uuid::now_v7()),
                outcome_statements::area_id.eq(area_id),
                outcome_statements::code.eq(&s.code),
                outcome_statements::label_en.eq(&s.label_en),
                outcome_statements::label_cy.eq(&s.label_cy),
                outcome_statements::position.eq(j as i32 + 1),
            ));
        }
    }
    diesel::insert_into(outcome_areas::table)
        .values(areas)
        .execute(conn)
        .await?;
    if !statements.is_empty() {
        diesel::insert_into(outcome_statements::table)
            .values(statements)
            .execute(conn)
            .await?;
    }
    Ok(id)
}

/// The areas of `framework`'s version in force on `day` (else its latest), in order.
pub async fn areas_in_force(
    conn: &mut AsyncPgConnection,
    framework: Uuid,
    day: Date,
) -> QueryResult<Vec<AreaRow>> {
    let versions = versions_of(conn, &[framework]).await?;
    match versions
        .iter()
        .rev()
        .find(|v| v.in_force_on(day))
        .or(versions.last())
    {
        Some(v) => Ok(contents(conn, v.id).await?.0),
        None => Ok(Vec::new()),
    }
}
