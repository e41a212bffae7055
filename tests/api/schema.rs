//! `src/db/schema.rs` must describe the migrated database exactly: every table, column, type
//! and nullability. (It is kept in `diesel print-schema` form; this test replaces running
//! diesel_cli in CI.)

use std::collections::BTreeMap;

use diesel::sql_types::Text;
use diesel::{QueryableByName, sql_query};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

use crate::support::TestApp;

#[derive(QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    udt_name: String,
    #[diesel(sql_type = Text)]
    is_nullable: String,
}

fn diesel_type(udt: &str) -> String {
    match udt {
        "uuid" => "Uuid",
        "text" => "Text",
        "int4" => "Int4",
        "int8" => "Int8",
        "bool" => "Bool",
        "date" => "Date",
        "time" => "Time",
        "timestamptz" => "Timestamptz",
        "bytea" => "Bytea",
        "jsonb" => "Jsonb",
        "float8" => "Float8",
        "_text" => "Array<Text>",
        "_uuid" => "Array<Uuid>",
        "_date" => "Array<Date>",
        "_float8" => "Array<Float8>",
        "_int8" => "Array<Int8>",
        other => other,
    }
    .to_owned()
}

type Tables = BTreeMap<String, Vec<(String, String)>>;

fn from_schema_rs() -> Tables {
    let text = include_str!("../../src/db/schema.rs");
    let mut tables = Tables::new();
    let mut current: Option<String> = None;
    for line in text.lines().map(str::trim) {
        if let Some(name) = line
            .strip_suffix(") {")
            .and_then(|l| l.split_once(" ("))
            .map(|(n, _)| n)
        {
            current = Some(name.to_owned());
            tables.entry(name.to_owned()).or_default();
        } else if let (Some(table), Some((column, ty))) = (&current, line.split_once(" -> ")) {
            tables
                .get_mut(table)
                .unwrap()
                .push((column.to_owned(), ty.trim_end_matches(',').to_owned()));
        } else if line == "}" {
            current = None;
        }
    }
    tables
}

#[actix_web::test]
async fn schema_rs_matches_the_migrated_database() {
    let app = TestApp::new().await;
    let mut conn = AsyncPgConnection::establish(app.database_url())
        .await
        .unwrap();
    let columns: Vec<Column> = sql_query(
        "SELECT table_name::text, column_name::text, udt_name::text, is_nullable::text \
         FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations' \
         ORDER BY table_name, ordinal_position",
    )
    .load(&mut conn)
    .await
    .unwrap();
    let mut database = Tables::new();
    for c in columns {
        let ty = diesel_type(&c.udt_name);
        let ty = if c.is_nullable == "YES" {
            format!("Nullable<{ty}>")
        } else {
            ty
        };
        database
            .entry(c.table_name)
            .or_default()
            .push((c.column_name, ty));
    }
    assert!(!database.is_empty());
    assert_eq!(
        from_schema_rs(),
        database,
        "src/db/schema.rs differs from the migrations: update it (diesel print-schema form)"
    );
}

/// A value in the database that names no variant is an error, never read as a default.
#[actix_web::test]
async fn an_unknown_stored_enum_value_is_an_error_not_a_default() {
    use serde_json::json;
    let app = TestApp::new().await;
    let org = app.provider().await;
    let person = app.person(&org).await;
    let goal = app
        .post(&format!("/v1/people/{}/goals", person.id))
        .bearer(&person.account.token)
        .json(&json!({ "title": "Learn to swim", "lang": "en" }))
        .send()
        .await
        .expect(201);
    let id = goal["id"].as_str().unwrap();
    // As if a later release had written a status this one does not know.
    app.sql(&format!(
        "ALTER TABLE goals DROP CONSTRAINT IF EXISTS goals_status_check; \
         UPDATE goals SET status = 'archived' WHERE id = '{id}'"
    ))
    .await;
    app.get(&format!("/v1/goals/{id}"))
        .bearer(&person.account.token)
        .send()
        .await
        .problem(500, "internal_error");
}

/// The database itself refuses a child row whose person belongs to another organisation, and
/// the API maps such a refusal to 422, not 500.
#[actix_web::test]
async fn a_row_crossing_organisations_is_impossible_in_the_database() {
    use camau::error::{ApiError, ErrorCode};
    let app = TestApp::new().await;
    let org = app.provider().await;
    let other = app.provider().await;
    let person = app.person(&org).await;
    let author = app.admin(&other).await;
    let mut conn = app.shared.state.conn().await.unwrap();
    let refused = diesel::sql_query(format!(
        "INSERT INTO goals (id, person_id, organisation_id, title, lang, status, scale_id, author_account_id) \
         VALUES (gen_random_uuid(), '{}', '{}', 'Crossing', 'en', 'active', \
                 '01937a00-0000-7000-8000-000000000001', '{}')",
        person.id, other.id, author.id
    ))
    .execute(&mut conn)
    .await
    .unwrap_err();
    assert_eq!(ApiError::from(refused).code, ErrorCode::InvalidReference);
    // A mentor of another organisation cannot be assigned, even by SQL.
    let refused = diesel::sql_query(format!(
        "INSERT INTO mentor_assignments (person_id, mentor_id, organisation_id) VALUES ('{}', '{}', '{}')",
        person.id, author.id, org.id
    ))
    .execute(&mut conn)
    .await
    .unwrap_err();
    assert_eq!(ApiError::from(refused).code, ErrorCode::InvalidReference);
}

/// Pooled connections carry the configured guards.
#[actix_web::test]
async fn pooled_connections_time_out_long_statements() {
    use camau::error::{ApiError, ErrorCode};
    let app = TestApp::with_env(
        crate::support::TestEnv::default().set("CAMAU_DB_STATEMENT_TIMEOUT_MS", "200"),
    )
    .await;
    let mut conn = app.shared.state.conn().await.unwrap();
    let cancelled = diesel::sql_query("SELECT pg_sleep(2)")
        .execute(&mut conn)
        .await
        .unwrap_err();
    let e = ApiError::from(cancelled);
    assert_eq!(e.code, ErrorCode::ServiceUnavailable);
    assert!(e.retry_after_secs.is_some());
}

/// An interrupted `CREATE INDEX CONCURRENTLY` leaves an invalid index that its migration's
/// `IF NOT EXISTS` would take for done: `camau migrate` drops it and the migration builds it
/// again.
#[actix_web::test]
async fn migrate_builds_again_an_index_whose_concurrent_build_was_interrupted() {
    let app = TestApp::new().await;
    let valid = "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid \
                 WHERE c.relname = 'kpi_goals_person_idx' AND i.indisvalid";
    assert_eq!(app.scalar(valid).await, 1);
    // As an interrupted build leaves it, and its migration not recorded.
    app.sql(
        "UPDATE pg_index SET indisvalid = false \
          WHERE indexrelid = 'kpi_goals_person_idx'::regclass; \
         DELETE FROM __diesel_schema_migrations WHERE version = '20261207000025';",
    )
    .await;
    assert_eq!(app.scalar(valid).await, 0);
    let url = app.database_url().to_owned();
    let applied = tokio::task::spawn_blocking(move || camau::db::run_migrations(&url).unwrap())
        .await
        .unwrap();
    assert_eq!(applied.len(), 1, "{applied:?}");
    assert_eq!(app.scalar(valid).await, 1);
    assert_eq!(
        app.scalar(
            "SELECT count(*) FROM __diesel_schema_migrations WHERE version = '20261207000025'"
        )
        .await,
        1
    );
}
