//! Reports and dashboards read from a streaming replica when one is configured
//! (`CAMAU_READ_DATABASE_URL`) and it has replayed what the primary had committed when the read
//! began; from the primary when the replica is further behind than `CAMAU_READ_REPLICA_WAIT_MS`
//! or cannot be reached: slower for the primary, never older than the request, never
//! unavailable. `scripts/test` starts the replica (`pg_basebackup -R`).

use diesel_async::RunQueryDsl;
use serde_json::Value;
use uuid::Uuid;

use crate::support::{Actor, Org, TestApp, TestEnv, db};

/// `n` people supported since 2024, each with a goal coded to NOF area b, set in March 2025
/// and rated twice in 2025 (written in SQL: the read path, not the write paths, is under test).
async fn people(app: &TestApp, org: &Org, author: Uuid, n: usize) {
    let mut sql = String::new();
    for _ in 0..n {
        let (p, g, r1, r2) = (
            Uuid::now_v7(),
            Uuid::now_v7(),
            Uuid::now_v7(),
            Uuid::now_v7(),
        );
        let o = org.id;
        sql += &format!(
            "INSERT INTO people (id, organisation_id, preferred_name, service_type, support_started_on) \
               VALUES ('{p}', '{o}', 'Someone', 'other', '2024-01-01'); \
             INSERT INTO goals (id, person_id, organisation_id, title, lang, status, scale_id, author_account_id, created_at) \
               VALUES ('{g}', '{p}', '{o}', 'A goal', 'en', 'active', (SELECT id FROM scales WHERE is_default), '{author}', '2025-03-01 12:00+00'); \
             INSERT INTO goal_codes (id, goal_id, person_id, organisation_id, area_id, coded_by) \
               VALUES (gen_random_uuid(), '{g}', '{p}', '{o}', '0d86aa86-58d8-8e76-8621-43b18a8eb180', '{author}'); \
             INSERT INTO reviews (id, person_id, organisation_id, held_on, person_took_part, lang, author_account_id) \
               VALUES ('{r1}', '{p}', '{o}', '2025-03-02', true, 'en', '{author}'), \
                      ('{r2}', '{p}', '{o}', '2025-09-02', true, 'en', '{author}'); \
             INSERT INTO review_ratings (review_id, goal_id, person_id, organisation_id, value) \
               VALUES ('{r1}', '{g}', '{p}', '{o}', 2), ('{r2}', '{g}', '{p}', '{o}', 6);"
        );
    }
    app.sql(&sql).await;
}

/// The provider's 2025 report (its figures only) and its dashboard's count of people.
async fn read(app: &TestApp, org: &Org, admin: &Actor) -> (Value, i64) {
    let report = app
        .get(&format!(
            "/v1/organisations/{}/reports/outcomes?from=2025-01-01&to=2025-12-31",
            org.id
        ))
        .bearer(&admin.token)
        .send()
        .await
        .expect(200);
    let dashboard = app
        .get(&format!("/v1/organisations/{}/dashboard", org.id))
        .bearer(&admin.token)
        .send()
        .await
        .expect(200);
    (
        report["areas"].clone(),
        dashboard["active_people"].as_i64().unwrap(),
    )
}

async fn replay(pause: bool) {
    let sql = if pause {
        "SELECT pg_wal_replay_pause()::text"
    } else {
        "SELECT pg_wal_replay_resume()::text"
    };
    diesel::sql_query(sql)
        .execute(&mut db::replica_admin().await)
        .await
        .expect("replay control");
}

/// How many of the replica's sessions on `db` last ran a statement of the reports' and
/// dashboards' reads (`pg_stat_activity` keeps an idle session's last statement).
async fn replica_reads(db: &str) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let n: N = diesel::sql_query(
        "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 \
           AND (query LIKE '%kpi_goals%' OR query LIKE '%outcome\\_%')",
    )
    .bind::<diesel::sql_types::Text, _>(db)
    .get_result(&mut db::replica_admin().await)
    .await
    .unwrap();
    n.n
}

#[actix_web::test]
async fn reports_and_dashboards_read_the_replica_and_the_primary_when_it_is_behind_or_down() {
    let app =
        TestApp::with_replica(TestEnv::default().set("CAMAU_READ_REPLICA_WAIT_MS", "300")).await;
    let name = app.database_url().rsplit('/').next().unwrap().to_owned();
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    people(&app, &org, admin.id, 12).await;
    assert_eq!(replica_reads(&name).await, 0);

    // The primary takes writes while the report and the dashboard are read on the replica.
    let url = app.database_url().to_owned();
    let (o, a) = (org.id, admin.id);
    let writer = actix_web::rt::spawn(async move {
        use diesel_async::{AsyncConnection, SimpleAsyncConnection};
        let mut conn = diesel_async::AsyncPgConnection::establish(&url)
            .await
            .unwrap();
        for _ in 0..40 {
            conn.batch_execute(&format!(
                "BEGIN; SELECT set_config('camau.audited', 'on', true); \
                 INSERT INTO goals (id, person_id, organisation_id, title, lang, status, scale_id, author_account_id) \
                 SELECT gen_random_uuid(), id, '{o}', 'Another', 'en', 'active', \
                        (SELECT id FROM scales WHERE is_default), '{a}' FROM people \
                  WHERE organisation_id = '{o}' LIMIT 1; COMMIT;"
            ))
            .await
            .unwrap();
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    });
    let (report, active) = read(&app, &org, &admin).await;
    writer.await.unwrap();
    assert_eq!(active, 12);
    assert!(
        replica_reads(&name).await > 0,
        "the reads ran on the replica"
    );

    // The replica stops replaying: a read waits its 300 ms, then the primary answers, with
    // what was written before the read (never older than the request).
    replay(true).await;
    people(&app, &org, admin.id, 15).await;
    let behind = read(&app, &org, &admin).await;
    replay(false).await;
    let (from_primary, active_on_primary) = behind;
    assert_eq!(active_on_primary, 27);
    assert_ne!(from_primary, report, "27 people show differently from 12");

    // Caught up again, the replica answers what the primary did.
    db::replica_caught_up().await;
    assert_eq!(read(&app, &org, &admin).await, (from_primary, 27));

    // A replica that cannot be reached: the primary answers at once.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let other = TestApp::with_env(TestEnv::default().set(
        "CAMAU_READ_DATABASE_URL",
        format!("postgres://camau:nothing@127.0.0.1:{closed}/none"),
    ))
    .await;
    let org = other.provider().await;
    let admin = other.admin(&org).await;
    people(&other, &org, admin.id, 25).await;
    let (report, active) = read(&other, &org, &admin).await;
    assert_eq!(active, 25);
    let b = report
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["code"] == "b")
        .unwrap();
    assert!(b["total"]["people_supported"].as_i64() >= Some(20), "{b}");
}
