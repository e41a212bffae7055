//! The true figures per outcome area, from the record, in one statement: what the dashboard
//! shows its own staff as they are and what the reports pass through disclosure control.
//! docs/KPIS.md defines each one; the SQL below is that definition.

use diesel::QueryableByName;
use diesel::sql_types::{
    Array, BigInt, Date as SqlDate, Double, Integer, Nullable, Text, Uuid as SqlUuid,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::Date;
use uuid::Uuid;

type QueryResult<T> = Result<T, diesel::result::Error>;

/// One provider's part of a report: its people, goals and reviews from `from` to `to`.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub organisation: Uuid,
    pub from: Date,
    pub to: Date,
}

/// Who the figures cover: providers over their windows, optionally one mentor's caseload.
#[derive(Debug, Clone)]
pub struct Scope {
    pub windows: Vec<Window>,
    pub mentor: Option<Uuid>,
    /// For commissioners' reports (and the provider's copy of one): leaves out the people
    /// who said no to being counted in them (`consents`). Dashboards count everyone.
    pub for_commissioners: bool,
}

/// A breakdown of the figures, by something every person has exactly one value of.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Provider,
    ServiceType,
    AgeBand,
    Gender,
    Language,
}

impl Dimension {
    pub const ALL: [Dimension; 5] = [
        Dimension::Provider,
        Dimension::ServiceType,
        Dimension::AgeBand,
        Dimension::Gender,
        Dimension::Language,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Provider => "provider",
            Dimension::ServiceType => "service_type",
            Dimension::AgeBand => "age_band",
            Dimension::Gender => "gender",
            Dimension::Language => "language",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.as_str() == s)
    }

    /// The column of `person_dims` it groups by (a fixed list: nothing from a request).
    fn column(self) -> &'static str {
        self.as_str()
    }
}

/// The figures for one area, overall (`dimension: None`) or for one value of a breakdown.
#[derive(Debug, Clone, QueryableByName)]
pub struct AreaFigures {
    /// The area's code (the same across the framework's versions).
    #[diesel(sql_type = Text)]
    pub area: String,
    /// Per breakdown, 1 when this row is not grouped by it (SQL `GROUPING`).
    #[diesel(sql_type = Integer)]
    g_provider: i32,
    #[diesel(sql_type = Integer)]
    g_service_type: i32,
    #[diesel(sql_type = Integer)]
    g_age_band: i32,
    #[diesel(sql_type = Integer)]
    g_gender: i32,
    #[diesel(sql_type = Integer)]
    g_language: i32,
    #[diesel(sql_type = Nullable<Text>)]
    provider: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    service_type: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    age_band: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    gender: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    language: Option<String>,
    /// People supported in the period with a goal coded to the area.
    #[diesel(sql_type = BigInt)]
    pub people: i64,
    /// Coded goals set in the period.
    #[diesel(sql_type = BigInt)]
    pub goals_set: i64,
    /// Coded goals achieved in the period.
    #[diesel(sql_type = BigInt)]
    pub goals_achieved: i64,
    /// People with a baseline and a later rating in the period on a coded goal.
    #[diesel(sql_type = BigInt)]
    pub measured: i64,
    #[diesel(sql_type = BigInt)]
    pub improved: i64,
    #[diesel(sql_type = BigInt)]
    pub same: i64,
    #[diesel(sql_type = BigInt)]
    pub worse: i64,
    /// Median of the measured people's change, as a fraction of their scales' range.
    #[diesel(sql_type = Nullable<Double>)]
    pub median_change: Option<f64>,
    #[diesel(sql_type = BigInt)]
    pub reviews_held: i64,
    #[diesel(sql_type = BigInt)]
    pub reviews_on_time: i64,
    /// Published stories about coded goals, told in the period.
    #[diesel(sql_type = BigInt)]
    pub stories: i64,
    /// Fingerprints of exactly what each count counts (its people, goals, reviews or
    /// stories): disclosure control keys its draws by them, so the same things always show the
    /// same.
    #[diesel(sql_type = BigInt)]
    pub people_fp: i64,
    #[diesel(sql_type = BigInt)]
    pub goals_set_fp: i64,
    #[diesel(sql_type = BigInt)]
    pub goals_achieved_fp: i64,
    #[diesel(sql_type = BigInt)]
    pub measured_fp: i64,
    #[diesel(sql_type = BigInt)]
    pub improved_fp: i64,
    #[diesel(sql_type = BigInt)]
    pub reviews_held_fp: i64,
    #[diesel(sql_type = BigInt)]
    pub reviews_on_time_fp: i64,
    #[diesel(sql_type = BigInt)]
    pub stories_fp: i64,
}

#[cfg(test)]
impl AreaFigures {
    /// A row for tests of disclosure control: the area's total (`cell: None`) or one value of
    /// a breakdown, with counts and fingerprints in the order of `reports::build`'s `COUNTS`.
    pub fn synthetic(cell: Option<(Dimension, &str)>, counts: [i64; 8], fps: [i64; 8]) -> Self {
        let grouped = |d: Dimension| i32::from(cell.as_ref().is_none_or(|(c, _)| *c != d));
        let value = |d: Dimension| {
            cell.as_ref()
                .filter(|(c, _)| *c == d)
                .map(|(_, v)| (*v).to_owned())
        };
        AreaFigures {
            area: "a".into(),
            g_provider: grouped(Dimension::Provider),
            g_service_type: grouped(Dimension::ServiceType),
            g_age_band: grouped(Dimension::AgeBand),
            g_gender: grouped(Dimension::Gender),
            g_language: grouped(Dimension::Language),
            provider: value(Dimension::Provider),
            service_type: value(Dimension::ServiceType),
            age_band: value(Dimension::AgeBand),
            gender: value(Dimension::Gender),
            language: value(Dimension::Language),
            people: counts[0],
            goals_set: counts[1],
            goals_achieved: counts[2],
            measured: counts[3],
            improved: counts[4],
            same: 0,
            worse: 0,
            median_change: None,
            reviews_held: counts[5],
            reviews_on_time: counts[6],
            stories: counts[7],
            people_fp: fps[0],
            goals_set_fp: fps[1],
            goals_achieved_fp: fps[2],
            measured_fp: fps[3],
            improved_fp: fps[4],
            reviews_held_fp: fps[5],
            reviews_on_time_fp: fps[6],
            stories_fp: fps[7],
        }
    }
}

impl AreaFigures {
    /// The breakdown this row belongs to and its value there; `None` for the area's total.
    pub fn cell(&self) -> Option<(Dimension, String)> {
        Dimension::ALL.into_iter().find_map(|d| {
            let (grouped_out, value) = match d {
                Dimension::Provider => (self.g_provider, &self.provider),
                Dimension::ServiceType => (self.g_service_type, &self.service_type),
                Dimension::AgeBand => (self.g_age_band, &self.age_band),
                Dimension::Gender => (self.g_gender, &self.gender),
                Dimension::Language => (self.g_language, &self.language),
            };
            if grouped_out != 0 {
                return None;
            }
            Some((d, value.clone().unwrap_or_default()))
        })
    }
}

/// The people in scope, with what reports break figures down by; the period's dates are in
/// UK time.
const PEOPLE_IN_SCOPE: &str = "\
WITH win(org, lo, hi) AS (SELECT * FROM unnest($1::uuid[], $2::date[], $3::date[])), \
pop AS ( \
  SELECT p.id, p.organisation_id, w.lo, w.hi, \
         p.organisation_id::text AS provider, p.service_type, \
         COALESCE(p.gender, 'not_recorded') AS gender, p.preferred_language AS language, \
         CASE WHEN p.date_of_birth IS NULL THEN 'unknown' \
              ELSE (SELECT CASE WHEN y < 16 THEN '0-15' WHEN y < 18 THEN '16-17' \
                                WHEN y < 25 THEN '18-24' WHEN y < 35 THEN '25-34' \
                                WHEN y < 50 THEN '35-49' WHEN y < 65 THEN '50-64' ELSE '65+' END \
                    FROM (SELECT extract(year FROM age((SELECT max(hi) FROM win), p.date_of_birth))::int AS y) a) \
         END AS age_band \
  FROM win w JOIN people p ON p.organisation_id = w.org /*caseload*/ \
  WHERE p.support_started_on <= w.hi \
    AND (p.support_ended_on IS NULL OR p.support_ended_on >= w.lo) \
    /*consent*/ \
)";

/// [`PEOPLE_IN_SCOPE`] for `scope`.
fn people_in_scope(scope: &Scope, source: Source) -> String {
    let consent = match (scope.for_commissioners, source) {
        (false, _) => "",
        (true, Source::Definition) => "AND NOT consent_withheld(p.id, 'commissioner_reports')",
        // The same test written in the statement, so it is planned once rather than per person.
        (true, Source::Rollup) => {
            "AND NOT EXISTS (SELECT 1 FROM consents c WHERE c.person_id = p.id \
               AND c.purpose = 'commissioner_reports' AND c.current \
               AND (c.decision = 'refused' OR c.withdrawn_at IS NOT NULL))"
        }
    };
    // A caseload ($4) joined from the mentor's assignments: so the planner knows its size (a
    // `$4 IS NULL OR …` test hid it, and it hashed the whole organisation's records).
    let caseload = match scope.mentor {
        Some(_) => "JOIN mentor_assignments m ON m.person_id = p.id AND m.mentor_id = $4",
        None => "",
    };
    PEOPLE_IN_SCOPE
        .replace("/*caseload*/", caseload)
        .replace("/*consent*/", consent)
}

/// The definition's facts per coded goal: probes of the goal's ratings, status changes and
/// stories for each period. Kept as the oracle the rollup is tested against.
const GOAL_FACTS_DEFINITION: &str = "\
areas AS (SELECT a.id, a.code FROM outcome_areas a JOIN framework_versions v ON v.id = a.version_id \
          WHERE v.framework_id = $5), \
coded AS ( \
  SELECT DISTINCT areas.code AS area, gc.goal_id, pop.id AS person_id, pop.lo, pop.hi \
  FROM pop JOIN goal_codes gc ON gc.person_id = pop.id AND gc.organisation_id = pop.organisation_id \
       AND gc.removed_at IS NULL \
  JOIN areas ON areas.id = gc.area_id \
), \
goal_facts AS ( \
  SELECT c.area, c.person_id, c.goal_id, \
    (g.created_at AT TIME ZONE 'Europe/London')::date >= c.lo AS set_in_period, \
    EXISTS (SELECT 1 FROM goal_status_changes s WHERE s.goal_id = g.id AND s.status = 'achieved' \
            AND (s.changed_at AT TIME ZONE 'Europe/London')::date BETWEEN c.lo AND c.hi) AS achieved, \
    (lt.value - b.value) / NULLIF(sc.max_value - sc.min_value, 0) AS change, \
    t.n AS stories, t.fp AS stories_fp \
  FROM coded c \
  JOIN goals g ON g.id = c.goal_id \
  JOIN scales sc ON sc.id = g.scale_id \
  LEFT JOIN LATERAL (SELECT rr.value, rr.held_on, rr.review_id FROM review_ratings rr \
                     WHERE rr.goal_id = g.id AND rr.held_on <= c.hi \
                     ORDER BY rr.held_on, rr.review_id LIMIT 1) b ON true \
  LEFT JOIN LATERAL (SELECT rr.value FROM review_ratings rr \
                     WHERE rr.goal_id = g.id AND rr.held_on BETWEEN c.lo AND c.hi \
                       AND (rr.held_on, rr.review_id) > (b.held_on, b.review_id) \
                     ORDER BY rr.held_on DESC, rr.review_id DESC LIMIT 1) lt ON true \
  LEFT JOIN LATERAL (SELECT count(*) AS n, bit_xor(hashtextextended(st.id::text, 0)) AS fp \
                     FROM stories st WHERE st.goal_id = g.id AND st.status = 'published' \
                       AND (st.created_at AT TIME ZONE 'Europe/London')::date \
                           BETWEEN c.lo AND c.hi) t ON true \
  WHERE (g.created_at AT TIME ZONE 'Europe/London')::date <= c.hi \
), \
";

/// The same facts from the rollup (`kpi_goals`), which holds each goal's person and current
/// codes (distinct (framework, code) pairs), so no other table is read: `width_bucket(d,
/// sorted)` counts the dates up to `d`, so the ratings up to `hi` are the first `n`, the
/// baseline is the first of all and the latest in the period is the `n`th when it is on or
/// after `lo`; a count in [lo, hi] is a difference of two such counts and a fingerprint the XOR
/// of two prefix-XORs.
const GOAL_FACTS_ROLLUP: &str = "\
goal_facts AS ( \
  SELECT u.code AS area, pop.id AS person_id, k.goal_id, k.created_on >= pop.lo AS set_in_period, \
    width_bucket(pop.hi, k.achieved_on) > width_bucket(pop.lo - 1, k.achieved_on) AS achieved, \
    CASE WHEN n.hi >= 2 AND k.rated_on[n.hi] >= pop.lo \
         THEN (k.rated_value[n.hi] - k.rated_value[1]) / NULLIF(sc.max_value - sc.min_value, 0) \
    END AS change, \
    n.st_hi - n.st_lo AS stories, \
    COALESCE(k.story_fpx[n.st_hi], 0) # COALESCE(k.story_fpx[n.st_lo], 0) AS stories_fp \
  FROM pop JOIN kpi_goals k ON k.person_id = pop.id \
  CROSS JOIN LATERAL unnest(k.code_frameworks, k.codes) u (framework, code) \
  JOIN scales sc ON sc.id = k.scale_id \
  CROSS JOIN LATERAL (SELECT width_bucket(pop.hi, k.rated_on) AS hi, \
                             width_bucket(pop.hi, k.story_on) AS st_hi, \
                             width_bucket(pop.lo - 1, k.story_on) AS st_lo) n \
  WHERE u.framework = $5 AND k.created_on <= pop.hi \
), ";

/// The definition's reviews per person: each review's timeliness from the one before it.
const PERSON_REVIEWS_DEFINITION: &str = "person_reviews AS MATERIALIZED ( \
  SELECT person_id, count(*) AS held, \
         count(*) FILTER (WHERE due IS NULL OR held_on <= due) AS on_time, \
         bit_xor(hashtextextended(id::text, 0)) AS held_fp, \
         bit_xor(hashtextextended(id::text, 0)) FILTER (WHERE due IS NULL OR held_on <= due) \
           AS on_time_fp \
  FROM (SELECT r.id, r.person_id, r.held_on, pop.lo, pop.hi, \
               lag(r.next_review_on) OVER (PARTITION BY r.person_id ORDER BY r.held_on, r.id) AS due \
        FROM pop JOIN reviews r ON r.person_id = pop.id AND r.organisation_id = pop.organisation_id \
        WHERE r.held_on <= pop.hi) x \
  WHERE held_on >= lo GROUP BY person_id \
";

/// The same from the rollup: `kpi_reviews` holds each review's person, day, fingerprint and
/// timeliness.
const PERSON_REVIEWS_ROLLUP: &str = "\
person_reviews AS MATERIALIZED ( \
  SELECT k.person_id, count(*) AS held, count(*) FILTER (WHERE k.on_time) AS on_time, \
         bit_xor(k.fp) AS held_fp, bit_xor(k.fp) FILTER (WHERE k.on_time) AS on_time_fp \
  FROM pop JOIN kpi_reviews k ON k.person_id = pop.id AND k.held_on BETWEEN pop.lo AND pop.hi \
  GROUP BY k.person_id \
";

/// Where the per-goal and per-review facts come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The rollup tables (`kpi_goals`, `kpi_reviews`): what reports and dashboards use.
    Rollup,
    /// The definition, straight from the record: the oracle the rollup is tested against.
    Definition,
}

/// Whether every rollup row has its keys (`db::backfill`, run by `camau migrate` after
/// migration 000024). Until then a report or a dashboard would leave older rows out, so they
/// answer 503 with `Retry-After` instead; the rest of the service is unaffected.
pub async fn keyed(conn: &mut AsyncPgConnection) -> crate::error::ApiResult<()> {
    #[derive(QueryableByName)]
    struct Pending {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        pending: bool,
    }
    let p: Pending = diesel::sql_query("SELECT EXISTS (SELECT 1 FROM kpi_backfills) AS pending")
        .get_result(conn)
        .await?;
    if p.pending {
        return Err(
            crate::error::ApiError::new(crate::error::ErrorCode::ServiceUnavailable)
                .retry_after(30)
                .with_detail("Outcome figures are being prepared after an upgrade; retry shortly"),
        );
    }
    Ok(())
}

/// The figures per area of `framework` (any of its versions), with a row per value of each
/// breakdown asked for.
pub async fn by_area(
    conn: &mut AsyncPgConnection,
    framework: Uuid,
    scope: &Scope,
    breakdowns: &[Dimension],
) -> QueryResult<Vec<AreaFigures>> {
    by_area_from(conn, Source::Rollup, framework, scope, breakdowns).await
}

/// [`by_area`] from the given source of facts.
pub async fn by_area_from(
    conn: &mut AsyncPgConnection,
    source: Source,
    framework: Uuid,
    scope: &Scope,
    breakdowns: &[Dimension],
) -> QueryResult<Vec<AreaFigures>> {
    let (goal_facts, person_reviews) = match source {
        Source::Rollup => (GOAL_FACTS_ROLLUP, PERSON_REVIEWS_ROLLUP),
        Source::Definition => (GOAL_FACTS_DEFINITION, PERSON_REVIEWS_DEFINITION),
    };
    // Only what is asked for is grouped by (SQL allows GROUPING() of those alone).
    let columns: Vec<String> = Dimension::ALL
        .iter()
        .map(|d| {
            let c = d.column();
            if breakdowns.contains(d) {
                format!("GROUPING(d.{c}) AS g_{c}, d.{c}")
            } else {
                format!("1 AS g_{c}, NULL::text AS {c}")
            }
        })
        .collect();
    let mut sets = vec!["(f.area)".to_string()];
    sets.extend(
        breakdowns
            .iter()
            .map(|d| format!("(f.area, d.{})", d.column())),
    );
    let sql = format!(
        "{}, \
{}person_area AS MATERIALIZED ( \
  SELECT area, person_id, count(*) FILTER (WHERE set_in_period) AS goals_set, \
         count(*) FILTER (WHERE achieved) AS goals_achieved, avg(change) AS change, \
         sum(stories) AS stories, bit_xor(stories_fp) AS stories_fp, \
         bit_xor(hashtextextended(goal_id::text, 0)) FILTER (WHERE set_in_period) AS goals_set_fp, \
         bit_xor(hashtextextended(goal_id::text, 0)) FILTER (WHERE achieved) AS goals_achieved_fp \
  FROM goal_facts GROUP BY area, person_id \
), \
{}) \
SELECT f.area, {}, \
  count(*) AS people, COALESCE(sum(f.goals_set), 0)::bigint AS goals_set, \
  COALESCE(sum(f.goals_achieved), 0)::bigint AS goals_achieved, \
  count(f.change) AS measured, \
  count(*) FILTER (WHERE f.change > 1e-9) AS improved, \
  count(*) FILTER (WHERE abs(f.change) <= 1e-9) AS same, \
  count(*) FILTER (WHERE f.change < -1e-9) AS worse, \
  percentile_cont(0.5) WITHIN GROUP (ORDER BY f.change) AS median_change, \
  COALESCE(sum(r.held), 0)::bigint AS reviews_held, \
  COALESCE(sum(r.on_time), 0)::bigint AS reviews_on_time, \
  COALESCE(sum(f.stories), 0)::bigint AS stories, \
  COALESCE(bit_xor(hashtextextended(f.person_id::text, 0)), 0) AS people_fp, \
  COALESCE(bit_xor(f.goals_set_fp), 0) AS goals_set_fp, \
  COALESCE(bit_xor(f.goals_achieved_fp), 0) AS goals_achieved_fp, \
  COALESCE(bit_xor(hashtextextended(f.person_id::text, 0)) FILTER (WHERE f.change IS NOT NULL), 0) \
    AS measured_fp, \
  COALESCE(bit_xor(hashtextextended(f.person_id::text, 0)) FILTER (WHERE f.change > 1e-9), 0) \
    AS improved_fp, \
  COALESCE(bit_xor(r.held_fp), 0) AS reviews_held_fp, \
  COALESCE(bit_xor(r.on_time_fp), 0) AS reviews_on_time_fp, \
  COALESCE(bit_xor(f.stories_fp), 0) AS stories_fp \
FROM person_area f JOIN pop d ON d.id = f.person_id \
LEFT JOIN person_reviews r ON r.person_id = f.person_id \
GROUP BY GROUPING SETS ({})",
        people_in_scope(scope, source),
        goal_facts,
        person_reviews,
        columns.join(", "),
        sets.join(", ")
    );
    let (orgs, froms, tos) = scope.columns();
    // An aggregate over a whole commissioner's providers reads far more than a request's
    // usual 10 s allows (benches/README.md): this read-only statement gets its own limit and
    // memory for its sorts and hashes, in a transaction that ends with it.
    conn.build_transaction()
        .read_only()
        .run(async |conn| {
            use diesel_async::SimpleAsyncConnection;
            conn.batch_execute(&format!(
                "SET LOCAL statement_timeout = {AGGREGATE_TIMEOUT_MS}; SET LOCAL work_mem = '64MB'"
            ))
            .await?;
            diesel::sql_query(sql)
                .bind::<Array<SqlUuid>, _>(orgs)
                .bind::<Array<SqlDate>, _>(froms)
                .bind::<Array<SqlDate>, _>(tos)
                .bind::<Nullable<SqlUuid>, _>(scope.mentor)
                .bind::<SqlUuid, _>(framework)
                .load(conn)
                .await
        })
        .await
}

/// The statement limit of the per-area aggregate, in milliseconds.
const AGGREGATE_TIMEOUT_MS: u64 = 120_000;

impl Scope {
    fn columns(&self) -> (Vec<Uuid>, Vec<Date>, Vec<Date>) {
        (
            self.windows.iter().map(|w| w.organisation).collect(),
            self.windows.iter().map(|w| w.from).collect(),
            self.windows.iter().map(|w| w.to).collect(),
        )
    }
}
