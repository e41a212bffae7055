//! Goal code rows and their queries.

use diesel::sql_types::{Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel::{QueryableByName, sql_query};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::Authorized;
use crate::auth::access::PersonScope;
use crate::ids::{AccountId, GoalId};
use crate::trust::audit::model as audit;

type QueryResult<T> = Result<T, diesel::result::Error>;

#[derive(Debug, QueryableByName)]
pub struct CodeRow {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub framework_id: Uuid,
    #[diesel(sql_type = Text)]
    pub framework_key: String,
    #[diesel(sql_type = SqlUuid)]
    pub version_id: Uuid,
    #[diesel(sql_type = Text)]
    pub version_label: String,
    #[diesel(sql_type = SqlUuid)]
    pub area_id: Uuid,
    #[diesel(sql_type = Text)]
    pub area_code: String,
    #[diesel(sql_type = Text)]
    pub area_en: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub area_cy: Option<String>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub statement_id: Option<Uuid>,
    #[diesel(sql_type = Nullable<Text>)]
    pub statement_code: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub statement_en: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub statement_cy: Option<String>,
    #[diesel(sql_type = SqlUuid)]
    pub coded_by: Uuid,
    #[diesel(sql_type = Text)]
    pub coded_by_name: String,
    #[diesel(sql_type = Timestamptz)]
    pub coded_at: OffsetDateTime,
}

const CODES: &str = "
SELECT gc.id, f.id AS framework_id, f.key AS framework_key, v.id AS version_id,
       v.label AS version_label, gc.area_id, a.code AS area_code, a.label_en AS area_en,
       a.label_cy AS area_cy, gc.statement_id, s.code AS statement_code,
       s.label_en AS statement_en, s.label_cy AS statement_cy, gc.coded_by,
       ac.name AS coded_by_name, gc.coded_at
  FROM goal_codes gc
  JOIN outcome_areas a ON a.id = gc.area_id
  JOIN framework_versions v ON v.id = a.version_id
  JOIN frameworks f ON f.id = v.framework_id
  LEFT JOIN outcome_statements s ON s.id = gc.statement_id
  JOIN accounts ac ON ac.id = gc.coded_by
 WHERE gc.goal_id = $1 AND gc.person_id = $2 AND gc.organisation_id = $3
   AND gc.removed_at IS NULL AND ($4::uuid IS NULL OR gc.id = $4)
 ORDER BY gc.coded_at, gc.id";

/// The goal's current codes (or the one `only`), oldest first.
pub async fn codes(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    goal: GoalId,
    only: Option<Uuid>,
) -> QueryResult<Vec<CodeRow>> {
    let s = scope.id();
    sql_query(CODES)
        .bind::<SqlUuid, _>(goal)
        .bind::<SqlUuid, _>(s.person)
        .bind::<SqlUuid, _>(s.organisation)
        .bind::<Nullable<SqlUuid>, _>(only)
        .load(conn)
        .await
}

/// Whether `area` (and `statement`, one of its own) belongs to a framework the organisation
/// may code with: the service's, its own, or a contracted commissioning body's.
pub async fn usable(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    area: Uuid,
    statement: Option<Uuid>,
) -> QueryResult<bool> {
    #[derive(QueryableByName)]
    struct Found {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        ok: bool,
    }
    let found: Found = sql_query(
        "SELECT EXISTS (
            SELECT 1 FROM outcome_areas a
              JOIN framework_versions v ON v.id = a.version_id
              JOIN frameworks f ON f.id = v.framework_id
             WHERE a.id = $1 AND (f.organisation_id IS NULL OR f.organisation_id = $2
                    OR f.organisation_id IN (SELECT commissioning_body_id FROM contracts
                                              WHERE provider_id = $2 AND starts_on <= $4
                                                AND (ends_on IS NULL OR ends_on >= $4)))
               AND ($3::uuid IS NULL OR EXISTS (
                     SELECT 1 FROM outcome_statements s WHERE s.id = $3 AND s.area_id = a.id))
         ) AS ok",
    )
    .bind::<SqlUuid, _>(area)
    .bind::<SqlUuid, _>(scope.id().organisation)
    .bind::<Nullable<SqlUuid>, _>(statement)
    .bind::<diesel::sql_types::Date, _>(crate::fields::today())
    .get_result(conn)
    .await?;
    Ok(found.ok)
}

/// Adds the code unless the goal has it already; its id, and whether it is new.
pub async fn add(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    goal: GoalId,
    area: Uuid,
    statement: Option<Uuid>,
    by: AccountId,
) -> QueryResult<(Uuid, bool)> {
    #[derive(QueryableByName)]
    struct Added {
        #[diesel(sql_type = SqlUuid)]
        id: Uuid,
        #[diesel(sql_type = diesel::sql_types::Bool)]
        new: bool,
    }
    let s = scope.id();
    let query = sql_query(
        "WITH inserted AS (
            INSERT INTO goal_codes (id, goal_id, person_id, organisation_id, area_id, statement_id, coded_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT DO NOTHING
            RETURNING id
         )
         SELECT id, true AS new FROM inserted
         UNION ALL
         SELECT id, false FROM goal_codes
          WHERE goal_id = $2 AND person_id = $3 AND organisation_id = $4
            AND area_id = $5 AND statement_id IS NOT DISTINCT FROM $6
            AND removed_at IS NULL AND NOT EXISTS (SELECT 1 FROM inserted)
         LIMIT 1",
    )
    .bind::<SqlUuid, _>(Uuid::now_v7())
    .bind::<SqlUuid, _>(goal)
    .bind::<SqlUuid, _>(s.person)
    .bind::<SqlUuid, _>(s.organisation)
    .bind::<SqlUuid, _>(area)
    .bind::<Nullable<SqlUuid>, _>(statement)
    .bind::<SqlUuid, _>(by);
    conn.transaction(async |conn| {
        let added: Added = query.get_result(conn).await?;
        if added.new {
            audit::changed(
                conn,
                scope,
                by,
                crate::trust::audit::Action::GoalCodeAdded,
                "goal_code",
                added.id,
            )
            .await?;
        }
        Ok((added.id, added.new))
    })
    .await
}

/// Marks the code removed; whether there was a current one.
pub async fn remove(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    goal: GoalId,
    code: Uuid,
    by: AccountId,
) -> QueryResult<bool> {
    let s = scope.id();
    let query = sql_query(
        "UPDATE goal_codes SET removed_at = now(), removed_by = $5
          WHERE id = $1 AND goal_id = $2 AND person_id = $3 AND organisation_id = $4
            AND removed_at IS NULL",
    )
    .bind::<SqlUuid, _>(code)
    .bind::<SqlUuid, _>(goal)
    .bind::<SqlUuid, _>(s.person)
    .bind::<SqlUuid, _>(s.organisation)
    .bind::<SqlUuid, _>(by);
    conn.transaction(async |conn| {
        let removed = query.execute(conn).await? == 1;
        if removed {
            audit::changed(
                conn,
                scope,
                by,
                crate::trust::audit::Action::GoalCodeRemoved,
                "goal_code",
                code,
            )
            .await?;
        }
        Ok(removed)
    })
    .await
}
