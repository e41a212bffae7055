//! Keys the rollup rows written before migration 000024 gave them a person and codes, after
//! the migrations and while the service goes on writing: in batches, each its own transaction
//! through the refreshes' own locks (a writer's refresh and this one queue on the person), in
//! key order from where the last batch stopped (`kpi_backfills` keeps it, so a stopped run
//! resumes). A rollup's row in `kpi_backfills` goes when it is done; then this reads one
//! empty table.

use diesel::connection::{Connection, LoadConnection};
use diesel::pg::Pg;
use diesel::sql_types::{Array, Bool, Nullable, Text, Uuid as SqlUuid};
use diesel::{OptionalExtension, QueryResult, QueryableByName, RunQueryDsl};
use uuid::Uuid;

/// Rows keyed per transaction: a batch's advisory locks (one per goal and one per person, up
/// to ~2 a row) stay a small part of the shared lock table (64 per connection by default).
pub const BATCH: i64 = 250;

#[derive(QueryableByName)]
struct Left {
    #[diesel(sql_type = Nullable<SqlUuid>)]
    after: Option<Uuid>,
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    /// The goal (for `kpi_goals`) or the person (for `kpi_reviews`) to refresh.
    #[diesel(sql_type = SqlUuid)]
    refresh: Uuid,
    #[diesel(sql_type = Bool)]
    missing: bool,
}

/// Keys every rollup row still without them, `batch` rows a transaction; returns how many
/// rows a batch found without keys (a review's refresh keys all of its person's reviews, so
/// later batches may find theirs done).
pub fn rollup_keys<C>(conn: &mut C, batch: i64) -> QueryResult<u64>
where
    C: Connection<Backend = Pg> + LoadConnection,
{
    let mut refreshed = 0;
    for (rollup, rows, refresh) in [
        (
            "kpi_goals",
            "SELECT goal_id AS id, goal_id AS refresh, person_id IS NULL AS missing \
             FROM kpi_goals WHERE goal_id > $1 ORDER BY goal_id LIMIT $2",
            "SELECT kpi_goals_refresh($1)",
        ),
        (
            "kpi_reviews",
            "SELECT k.review_id AS id, r.person_id AS refresh, k.person_id IS NULL AS missing \
             FROM kpi_reviews k JOIN reviews r ON r.id = k.review_id \
             WHERE k.review_id > $1 ORDER BY k.review_id LIMIT $2",
            "SELECT kpi_reviews_refresh($1)",
        ),
    ] {
        loop {
            let done = conn.transaction(|conn| {
                // Locked: two `camau migrate` at once take turns, batch by batch.
                let left: Option<Left> = diesel::sql_query(
                    "SELECT after FROM kpi_backfills WHERE rollup = $1 FOR UPDATE",
                )
                .bind::<Text, _>(rollup)
                .get_result(conn)
                .optional()?;
                let Some(left) = left else {
                    return Ok(true);
                };
                let found: Vec<Row> = diesel::sql_query(rows)
                    .bind::<SqlUuid, _>(left.after.unwrap_or(Uuid::nil()))
                    .bind::<diesel::sql_types::BigInt, _>(batch)
                    .load(conn)?;
                let Some(last) = found.last().map(|r| r.id) else {
                    diesel::sql_query("DELETE FROM kpi_backfills WHERE rollup = $1")
                        .bind::<Text, _>(rollup)
                        .execute(conn)?;
                    return Ok(true);
                };
                let mut ids: Vec<Uuid> = found
                    .iter()
                    .filter(|r| r.missing)
                    .map(|r| r.refresh)
                    .collect();
                ids.sort_unstable();
                ids.dedup();
                refreshed += found.iter().filter(|r| r.missing).count() as u64;
                if !ids.is_empty() {
                    diesel::sql_query(refresh)
                        .bind::<Array<SqlUuid>, _>(&ids)
                        .execute(conn)?;
                }
                diesel::sql_query("UPDATE kpi_backfills SET after = $2 WHERE rollup = $1")
                    .bind::<Text, _>(rollup)
                    .bind::<SqlUuid, _>(last)
                    .execute(conn)?;
                Ok::<_, diesel::result::Error>(false)
            })?;
            if done {
                break;
            }
        }
    }
    Ok(refreshed)
}
