//! The PostgreSQL pool and the embedded migrations. diesel-async over tokio-postgres: no libpq,
//! and queries never block an actix worker. The pool has a wait timeout so that an exhausted
//! pool answers 503 quickly instead of hanging.

pub mod backfill;
pub mod prepared;
pub mod schema;
pub mod text_enum;

use diesel::Connection;
use diesel_async::AsyncPgConnection;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::config::DatabaseConfig;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

pub type DbPool = Pool<AsyncPgConnection>;
pub type DbConn = Object<AsyncPgConnection>;

/// Builds the pool; connections are opened lazily.
pub fn pool(config: &DatabaseConfig) -> Result<DbPool, deadpool::managed::BuildError> {
    pool_at(config, config.url())
}

/// A pool like [`pool`]'s, of the database at `url` (the read replica).
pub fn pool_at(
    config: &DatabaseConfig,
    url: &str,
) -> Result<DbPool, deadpool::managed::BuildError> {
    let mut manager_config = ManagerConfig::default();
    // A failed query marks the connection broken anyway; a ping per checkout would double the
    // round trips of every request.
    manager_config.recycling_method = RecyclingMethod::Fast;
    // Guards on every pooled connection: no statement runs, and no transaction sits idle,
    // longer than configured, so one slow query or stuck request cannot hold rows or a
    // connection for ever. No JIT: compiling a query costs tens to hundreds of milliseconds,
    // which only pays back for long analytic queries; PostgreSQL's cost estimates for the
    // feed over a large caseload cross its threshold while the query itself takes a few.
    // And never a bulk load (migration 000023), whatever a role or PGOPTIONS set: only the demo
    // loader's own transactions may skip the sync notes and rollups.
    let setup = format!(
        "SET statement_timeout = {}; SET idle_in_transaction_session_timeout = {}; SET jit = off; \
         SET camau.bulk_load = off",
        config.statement_timeout.as_millis(),
        config.idle_in_transaction_timeout.as_millis()
    );
    manager_config.custom_setup = Box::new(move |url| {
        let setup = setup.clone();
        let url = url.to_owned();
        Box::pin(async move {
            use diesel_async::{AsyncConnection, SimpleAsyncConnection};
            let mut conn = AsyncPgConnection::establish(&url).await?;
            conn.batch_execute(&setup)
                .await
                .map_err(|e| diesel::ConnectionError::BadConnection(e.to_string()))?;
            Ok(conn)
        })
    });
    let manager =
        AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(url, manager_config);
    Pool::builder(manager)
        .max_size(config.pool_size)
        .wait_timeout(Some(config.pool_timeout))
        .create_timeout(Some(config.pool_timeout))
        .recycle_timeout(Some(config.pool_timeout))
        .runtime(deadpool::Runtime::Tokio1)
        .build()
}

/// A connection of the read replica's `pool` once it has replayed the primary's WAL up to
/// `from` (read on the primary when the read began), waiting up to `wait`; or why not. So a
/// read from the replica is never older than the request: a consent withdrawn, a person
/// erased or a record hidden before it is reflected, as on the primary. A replica that is
/// behind by more than `wait`, cut off from its primary, promoted, or unreachable is not used.
pub async fn replica(
    pool: &DbPool,
    from: &str,
    wait: std::time::Duration,
) -> Result<DbConn, String> {
    use diesel::sql_types::{Bool, Text};
    use diesel_async::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct State {
        #[diesel(sql_type = Bool)]
        recovering: bool,
        #[diesel(sql_type = Bool)]
        replayed: bool,
    }
    let until = std::time::Instant::now() + wait;
    let mut conn = pool.get().await.map_err(|e| e.to_string())?;
    loop {
        // A replica that accepts the connection but does not answer is not waited for.
        let answered = tokio::time::timeout(
            wait + std::time::Duration::from_secs(1),
            diesel::sql_query(
                "SELECT pg_is_in_recovery() AS recovering, \
                        coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false) AS replayed",
            )
            .bind::<Text, _>(from)
            .get_result::<State>(&mut conn),
        )
        .await;
        let state = match answered {
            Err(_) => {
                let _ = Object::take(conn);
                return Err("it did not answer".into());
            }
            Ok(state) => state.map_err(|e| e.to_string())?,
        };
        if !state.recovering {
            return Err("it is not a replica (promoted, or the primary itself)".into());
        }
        if state.replayed {
            return Ok(conn);
        }
        if std::time::Instant::now() >= until {
            return Err(format!("it had not replayed {from} within {wait:?}"));
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
}

/// The primary's current WAL insert position (what [`replica`] waits for): past every commit
/// visible on the primary, including asynchronous ones not yet written out (the read events'),
/// which the write position (`pg_current_wal_lsn`) can be behind.
pub async fn primary_position(conn: &mut AsyncPgConnection) -> diesel::QueryResult<String> {
    use diesel_async::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct At {
        #[diesel(sql_type = diesel::sql_types::Text)]
        lsn: String,
    }
    let at: At = diesel::sql_query("SELECT pg_current_wal_insert_lsn()::text AS lsn")
        .get_result(conn)
        .await?;
    Ok(at.lsn)
}

/// One `camau migrate` at a time per database: a session lock, held until its connection
/// closes.
const MIGRATE_LOCK: i64 = 0x0063_616d_6d69;

/// Runs pending migrations, then keys the rollup rows written before them
/// ([`backfill::rollup_keys`]), and returns the versions applied. A migration that could not
/// take its locks in time (`lock_timeout`, or chosen as a deadlock's victim, against the
/// running service's writes) rolled back whole and is tried again, a few times.
///
/// Blocking: diesel's harness is synchronous (and `AsyncMigrationHarness` panics on actix's
/// current-thread runtime), so callers run this on a blocking thread.
pub fn run_migrations(url: &str) -> Result<Vec<String>, Box<dyn std::error::Error + Send + Sync>> {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Locked {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        locked: bool,
    }
    let mut conn = AsyncConnectionWrapper::<AsyncPgConnection>::establish(url)?;
    // Polled, not waited for: a session waiting on the lock would hold a snapshot that the
    // other migrate's concurrent index build waits for (a deadlock PostgreSQL breaks by
    // cancelling the build).
    while !diesel::sql_query("SELECT pg_try_advisory_lock($1) AS locked")
        .bind::<diesel::sql_types::BigInt, _>(MIGRATE_LOCK)
        .get_result::<Locked>(&mut conn)?
        .locked
    {
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
    let mut attempts = 0;
    let applied: Vec<String> = loop {
        drop_invalid_indexes(&mut conn)?;
        match conn.run_pending_migrations(MIGRATIONS) {
            Ok(done) => break done.iter().map(ToString::to_string).collect(),
            Err(e) if attempts < 5 && lock_conflict(&e.to_string()) => {
                attempts += 1;
                tracing::warn!(attempts, error = %e, "a migration waited too long for its locks; trying again");
                std::thread::sleep(std::time::Duration::from_secs(2));
            }
            Err(e) => return Err(e),
        }
    };
    backfill::rollup_keys(&mut conn, backfill::BATCH)?;
    Ok(applied)
}

/// Whether a migration failed for its locks alone (nothing of it was applied).
fn lock_conflict(error: &str) -> bool {
    error.contains("lock timeout") || error.contains("deadlock detected")
}

/// The indexes migrations build `CONCURRENTLY` (000025, 000026), outside a transaction.
const CONCURRENT_INDEXES: [&str; 2] = ["kpi_goals_person_idx", "kpi_reviews_person_idx"];

/// A concurrent index build that was interrupted leaves its index invalid, and its migration's
/// `IF NOT EXISTS` would take it for done: before each attempt, such an index of
/// [`CONCURRENT_INDEXES`] is dropped so that its migration builds it again. No other is
/// touched (an operator's build or a `REINDEX CONCURRENTLY` may be under way).
fn drop_invalid_indexes<C>(conn: &mut C) -> diesel::QueryResult<()>
where
    C: Connection<Backend = diesel::pg::Pg> + diesel::connection::LoadConnection,
{
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Drop {
        #[diesel(sql_type = diesel::sql_types::Text)]
        statement: String,
    }
    let invalid: Vec<Drop> = diesel::sql_query(
        "SELECT format('DROP INDEX CONCURRENTLY IF EXISTS %I.%I', n.nspname, c.relname)
                  AS statement
           FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE NOT i.indisvalid AND n.nspname = current_schema() AND c.relname = ANY ($1)",
    )
    .bind::<diesel::sql_types::Array<diesel::sql_types::Text>, _>(&CONCURRENT_INDEXES[..])
    .load(conn)?;
    for d in invalid {
        tracing::warn!(statement = %d.statement, "an interrupted index build is dropped to be built again");
        diesel::sql_query(d.statement).execute(conn)?;
    }
    Ok(())
}
