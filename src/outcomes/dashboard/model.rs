//! The dashboard's queries. People counted are those supported today (started, not ended);
//! period figures count what happened from `from` to `to` (UK dates).

use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Bool, Date as SqlDate, Nullable, Text, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::Date;
use uuid::Uuid;

use crate::auth::Authorized;
use crate::ids::{AccountId, OrganisationId};

type QueryResult<T> = Result<T, diesel::result::Error>;

/// People supported today, in the organisation or the mentor's caseload: `$1` organisation,
/// `$2` mentor (or NULL), `$5` today. A caseload starts from the mentor's assignments, so the
/// planner knows it is a few dozen people and probes their records by index rather than
/// hashing the whole organisation's (a `$2 IS NULL OR …` test hid its size: 0.29 s a mentor
/// dashboard at 5,000 people).
fn population(mentor: Option<AccountId>) -> &'static str {
    if mentor.is_some() {
        "WITH pop AS ( \
           SELECT p.id, p.welsh_offered, p.welsh_accepted, p.preferred_language \
           FROM mentor_assignments m JOIN people p ON p.id = m.person_id \
           WHERE m.mentor_id = $2 AND p.organisation_id = $1 AND p.support_started_on <= $5 \
             AND (p.support_ended_on IS NULL OR p.support_ended_on > $5) \
         )"
    } else {
        "WITH pop AS ( \
           SELECT p.id, p.welsh_offered, p.welsh_accepted, p.preferred_language FROM people p \
           WHERE p.organisation_id = $1 AND p.support_started_on <= $5 \
             AND (p.support_ended_on IS NULL OR p.support_ended_on > $5) \
         )"
    }
}

#[derive(Debug, QueryableByName)]
pub struct Summary {
    #[diesel(sql_type = BigInt)]
    pub active_people: i64,
    #[diesel(sql_type = BigInt)]
    pub goals_achieved: i64,
    #[diesel(sql_type = BigInt)]
    pub reviews_held: i64,
    #[diesel(sql_type = BigInt)]
    pub reviews_due: i64,
    #[diesel(sql_type = BigInt)]
    pub reviews_overdue: i64,
    #[diesel(sql_type = BigInt)]
    pub stories: i64,
    #[diesel(sql_type = BigInt)]
    pub reactions: i64,
    #[diesel(sql_type = BigInt)]
    pub comments: i64,
    #[diesel(sql_type = BigInt)]
    pub welsh_offered: i64,
    #[diesel(sql_type = BigInt)]
    pub welsh_accepted: i64,
    #[diesel(sql_type = BigInt)]
    pub welsh_with_welsh_speaking_mentor: i64,
    #[diesel(sql_type = BigInt)]
    pub preferring_welsh: i64,
    #[diesel(sql_type = BigInt)]
    pub goals_without_codes: i64,
    #[diesel(sql_type = BigInt)]
    pub people_without_recent_review: i64,
    #[diesel(sql_type = BigInt)]
    pub goals_without_baseline: i64,
    #[diesel(sql_type = BigInt)]
    pub people_without_circle: i64,
}

/// Goals without codes or a baseline are read from their rollup (`kpi_goals`: its current
/// codes of any framework, its ratings), not probed per goal.
pub async fn summary(
    conn: &mut AsyncPgConnection,
    org: &Authorized<OrganisationId>,
    mentor: Option<AccountId>,
    from: Date,
    to: Date,
    today: Date,
) -> QueryResult<Summary> {
    diesel::sql_query(format!(
        "{}, \
active_goals AS (SELECT g.id, COALESCE(cardinality(k.codes), 0) = 0 AS uncoded, \
                        COALESCE(cardinality(k.rated_on), 0) = 0 AS unrated \
                 FROM goals g JOIN pop ON pop.id = g.person_id \
                 LEFT JOIN kpi_goals k ON k.goal_id = g.id \
                 WHERE g.organisation_id = $1 AND g.status = 'active'), \
last_review AS (SELECT r.held_on, r.next_review_on FROM pop LEFT JOIN LATERAL \
                  (SELECT held_on, next_review_on FROM reviews \
                   WHERE person_id = pop.id AND organisation_id = $1 \
                   ORDER BY held_on DESC, id DESC LIMIT 1) r ON true) \
SELECT \
 (SELECT count(*) FROM pop) AS active_people, \
 (SELECT count(DISTINCT s.goal_id) FROM goal_status_changes s JOIN pop ON pop.id = s.person_id \
   WHERE s.organisation_id = $1 AND s.status = 'achieved' \
     AND (s.changed_at AT TIME ZONE 'Europe/London')::date BETWEEN $3 AND $4) AS goals_achieved, \
 (SELECT count(*) FROM reviews r JOIN pop ON pop.id = r.person_id \
   WHERE r.organisation_id = $1 AND r.held_on BETWEEN $3 AND $4) AS reviews_held, \
 (SELECT count(*) FROM last_review WHERE next_review_on BETWEEN $5 AND $5 + 30) AS reviews_due, \
 (SELECT count(*) FROM last_review WHERE next_review_on < $5) AS reviews_overdue, \
 (SELECT count(*) FROM stories st JOIN pop ON pop.id = st.person_id \
   WHERE st.organisation_id = $1 AND st.status = 'published' \
     AND (st.created_at AT TIME ZONE 'Europe/London')::date BETWEEN $3 AND $4) AS stories, \
 (SELECT count(*) FROM reactions x JOIN pop ON pop.id = x.person_id \
   WHERE x.organisation_id = $1 \
     AND (x.created_at AT TIME ZONE 'Europe/London')::date BETWEEN $3 AND $4) AS reactions, \
 (SELECT count(*) FROM comments c JOIN pop ON pop.id = c.person_id \
   WHERE c.organisation_id = $1 AND c.hidden_at IS NULL \
     AND (c.created_at AT TIME ZONE 'Europe/London')::date BETWEEN $3 AND $4) AS comments, \
 (SELECT count(*) FROM pop WHERE welsh_offered) AS welsh_offered, \
 (SELECT count(*) FROM pop WHERE welsh_accepted) AS welsh_accepted, \
 (SELECT count(*) FROM pop WHERE welsh_accepted AND EXISTS ( \
    SELECT 1 FROM mentor_assignments m JOIN accounts a ON a.id = m.mentor_id \
    WHERE m.person_id = pop.id AND a.speaks_welsh AND a.deactivated_at IS NULL)) \
   AS welsh_with_welsh_speaking_mentor, \
 (SELECT count(*) FROM pop WHERE preferred_language = 'cy') AS preferring_welsh, \
 (SELECT count(*) FROM active_goals WHERE uncoded) AS goals_without_codes, \
 (SELECT count(*) FROM last_review WHERE held_on IS NULL OR held_on < $5 - 90) \
   AS people_without_recent_review, \
 (SELECT count(*) FROM active_goals WHERE unrated) AS goals_without_baseline, \
 (SELECT count(*) FROM pop WHERE NOT EXISTS ( \
    SELECT 1 FROM circle_members c WHERE c.person_id = pop.id AND c.removed_at IS NULL)) \
   AS people_without_circle",
        population(mentor)
    ))
    .bind::<SqlUuid, _>(org.id())
    .bind::<Nullable<SqlUuid>, _>(mentor.map(|m| m.0))
    .bind::<SqlDate, _>(from)
    .bind::<SqlDate, _>(to)
    .bind::<SqlDate, _>(today)
    .get_result(conn)
    .await
}

#[derive(Debug, QueryableByName)]
pub struct Caseload {
    #[diesel(sql_type = SqlUuid)]
    pub mentor_id: Uuid,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Bool)]
    pub speaks_welsh: bool,
    #[diesel(sql_type = BigInt)]
    pub people: i64,
}

/// Each active mentor (or only `mentor`) and how many people supported today they have.
pub async fn caseloads(
    conn: &mut AsyncPgConnection,
    org: &Authorized<OrganisationId>,
    mentor: Option<AccountId>,
    today: Date,
) -> QueryResult<Vec<Caseload>> {
    diesel::sql_query(
        "SELECT a.id AS mentor_id, a.name, a.speaks_welsh, count(p.id) AS people \
         FROM accounts a \
         LEFT JOIN mentor_assignments m ON m.mentor_id = a.id AND m.organisation_id = $1 \
         LEFT JOIN people p ON p.id = m.person_id AND p.organisation_id = $1 \
           AND p.support_started_on <= $3 \
           AND (p.support_ended_on IS NULL OR p.support_ended_on > $3) \
         WHERE a.organisation_id = $1 AND a.role = 'mentor' AND a.deactivated_at IS NULL \
           AND ($2::uuid IS NULL OR a.id = $2) \
         GROUP BY a.id ORDER BY a.name, a.id",
    )
    .bind::<SqlUuid, _>(org.id())
    .bind::<Nullable<SqlUuid>, _>(mentor.map(|m| m.0))
    .bind::<SqlDate, _>(today)
    .load(conn)
    .await
}

#[derive(Debug, QueryableByName)]
pub struct AreaStatus {
    /// `None`: goals with no code from this framework.
    #[diesel(sql_type = Nullable<Text>)]
    pub area: Option<String>,
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = BigInt)]
    pub goals: i64,
}

/// Goals of the people supported today by the area of `framework` they are coded to (a goal
/// coded to two areas counts in each) and their status.
pub async fn goals_by_area(
    conn: &mut AsyncPgConnection,
    org: &Authorized<OrganisationId>,
    mentor: Option<AccountId>,
    framework: Uuid,
    today: Date,
) -> QueryResult<Vec<AreaStatus>> {
    diesel::sql_query(format!(
        "{}, \
coded AS (SELECT DISTINCT gc.goal_id, a.code FROM goal_codes gc \
          JOIN outcome_areas a ON a.id = gc.area_id \
          JOIN framework_versions v ON v.id = a.version_id AND v.framework_id = $3 \
          WHERE gc.organisation_id = $1 AND gc.removed_at IS NULL) \
SELECT coded.code AS area, g.status, count(*) AS goals \
FROM pop JOIN goals g ON g.person_id = pop.id AND g.organisation_id = $1 \
LEFT JOIN coded ON coded.goal_id = g.id \
GROUP BY coded.code, g.status ORDER BY 1, 2",
        population(mentor)
    ))
    .bind::<SqlUuid, _>(org.id())
    .bind::<Nullable<SqlUuid>, _>(mentor.map(|m| m.0))
    .bind::<SqlUuid, _>(framework)
    .bind::<SqlDate, _>(today)
    .bind::<SqlDate, _>(today)
    .load(conn)
    .await
}
