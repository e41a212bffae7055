//! The outcome rollups (`kpi_goals`, `kpi_reviews`) answer exactly what the definition in
//! `kpis::figures` answers: random histories of people, goals, codes, reviews and ratings,
//! status changes, stories and consents, then random edits and deletions and an erasure (so
//! the triggers' update and delete paths run too), then both sources compared cell by cell for
//! many periods, providers, caseloads and breakdowns. A failure names the seed and the scope.

use camau::auth::roles::Role;
use camau::outcomes::kpis::figures::{self, AreaFigures, Dimension, Scope, Source, Window};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use time::{Date, Duration, macros::date};
use uuid::Uuid;

use crate::support::TestApp;

/// NOF areas as seeded, and one statement of area b (a goal coded twice to the same area).
const AREAS: [&str; 4] = [
    "0d86aa86-58d8-8e76-8621-43b18a8eb180",
    "59a06546-5baf-8857-8cd7-a447628c5ddf",
    "939745ae-176d-8887-8d98-0e8ae4b145eb",
    "201b3e55-aa98-8935-8251-764c5d01aadd",
];
const NOF: &str = "06468675-38cb-89e4-8616-2682fa6348ff";
/// The seeded scales: (id, min, max).
const SCALES: [(&str, i32, i32); 3] = [
    ("01937a00-0000-7000-8000-000000000001", 0, 10),
    ("01937a00-0000-7000-8000-000000000002", -2, 2),
    ("01937a00-0000-7000-8000-000000000003", 0, 2),
];
const EPOCH: Date = date!(2022 - 01 - 01);
/// Days from `EPOCH` that histories span (to the end of 2026).
const SPAN: i64 = 1_825;

fn day(rng: &mut StdRng) -> Date {
    EPOCH + Duration::days(rng.random_range(0..SPAN))
}

/// A moment near a UK midnight as often as not, so the UK-date rule is exercised.
fn moment(rng: &mut StdRng) -> String {
    let (h, m) = if rng.random_bool(0.5) {
        (
            *[22, 23, 0].get(rng.random_range(0..3)).unwrap(),
            rng.random_range(0..60),
        )
    } else {
        (rng.random_range(0..24), rng.random_range(0..60))
    };
    format!("{} {h:02}:{m:02}+00", day(rng))
}

fn maybe<T: std::fmt::Display>(rng: &mut StdRng, p: f64, v: T) -> String {
    if rng.random_bool(p) {
        format!("'{v}'")
    } else {
        "NULL".into()
    }
}

struct World {
    orgs: Vec<Uuid>,
    mentors: Vec<Uuid>,
}

/// People of two providers with random histories, written in SQL (the write paths are tested
/// elsewhere; here any history the schema allows is fair).
async fn history(app: &TestApp, rng: &mut StdRng) -> World {
    let mut orgs = Vec::new();
    let mut mentors = Vec::new();
    let mut sql = String::new();
    let statement = "(SELECT id FROM outcome_statements WHERE area_id = '0d86aa86-58d8-8e76-8621-43b18a8eb180' ORDER BY id LIMIT 1)";
    // A later version of the framework with one area's code again (a goal coded in both
    // versions counts once) and an area of another framework (its codes count nowhere here).
    let (later, other) = (Uuid::now_v7(), Uuid::now_v7());
    app.sql(&format!(
        "INSERT INTO framework_versions (id, framework_id, label, effective_from) \
         VALUES ('{later}', '{NOF}', 'later {later}', '2026-04-01'); \
         INSERT INTO outcome_areas (id, version_id, code, label_en, applies_to, position) \
         SELECT '{later}', '{later}', code, label_en, applies_to, position FROM outcome_areas \
          WHERE id = '{}'; \
         INSERT INTO outcome_areas (id, version_id, code, label_en, applies_to, position) \
         SELECT '{other}', v.id, 'x', 'Elsewhere', a.applies_to, 99 \
           FROM framework_versions v, outcome_areas a \
          WHERE v.framework_id <> '{NOF}' AND a.id = '{}' ORDER BY v.id LIMIT 1;",
        AREAS[1], AREAS[1]
    ))
    .await;
    let (later, other) = (later.to_string(), other.to_string());
    let areas = [AREAS[0], AREAS[1], &later, AREAS[2], AREAS[3], &other];
    for _ in 0..2 {
        let org = app.provider().await;
        let author = app.admin(&org).await.id;
        let team = [
            app.account(Some(&org), Role::Mentor).await.id,
            app.account(Some(&org), Role::Mentor).await.id,
        ];
        mentors.extend(team);
        orgs.push(org.id);
        let o = org.id;
        for _ in 0..rng.random_range(18..30) {
            let p = Uuid::now_v7();
            let started = day(rng);
            let ended = if rng.random_bool(0.3) {
                format!("'{}'", started + Duration::days(rng.random_range(0..700)))
            } else {
                "NULL".into()
            };
            let gender =
                ["female", "male", "non_binary", "other", "not_stated"][rng.random_range(0..5)];
            let gender = maybe(rng, 0.8, gender);
            let born = date!(1950 - 01 - 01) + Duration::days(rng.random_range(0..25_000i64));
            let born = maybe(rng, 0.85, born);
            let service = [
                "learning_disability",
                "childrens_services",
                "work_support",
                "mental_health",
                "other",
            ][rng.random_range(0..5)];
            let lang = if rng.random_bool(0.3) { "cy" } else { "en" };
            sql += &format!(
                "INSERT INTO people (id, organisation_id, preferred_name, service_type, support_started_on, \
                   support_ended_on, gender, date_of_birth, preferred_language) \
                 VALUES ('{p}', '{o}', 'Someone', '{service}', '{started}', {ended}, {gender}, {born}, '{lang}');"
            );
            if rng.random_bool(0.7) {
                let m = team[rng.random_range(0..2)];
                sql += &format!(
                    "INSERT INTO mentor_assignments (person_id, mentor_id, organisation_id) VALUES ('{p}', '{m}', '{o}');"
                );
            }
            match rng.random_range(0..10) {
                0 | 1 => sql += &consent(p, o, author, "'refused'", "true", "NULL"),
                2 => {
                    sql += &consent(
                        p,
                        o,
                        author,
                        "'given'",
                        "true",
                        &format!("'{}'", moment(rng)),
                    )
                }
                3 => sql += &consent(p, o, author, "'refused'", "false", "NULL"),
                4 => sql += &consent(p, o, author, "'given'", "true", "NULL"),
                _ => {}
            }
            let mut goals = Vec::new();
            for _ in 0..rng.random_range(0..5) {
                let g = Uuid::now_v7();
                let (scale, lo, hi) = SCALES[rng.random_range(0..3)];
                goals.push((g, lo, hi));
                sql += &format!(
                    "INSERT INTO goals (id, person_id, organisation_id, title, lang, status, scale_id, \
                       author_account_id, created_at) \
                     VALUES ('{g}', '{p}', '{o}', 'A goal', 'en', 'active', '{scale}', '{author}', '{}');",
                    moment(rng)
                );
                let codes = match rng.random_range(0..10) {
                    0 => 0,
                    1 | 2 => 2,
                    _ => 1,
                };
                let first = rng.random_range(0..areas.len());
                for i in 0..codes {
                    let (area, stmt) = if i == 1 && rng.random_bool(0.5) {
                        // The same area twice (by statement): counted once.
                        (AREAS[0], statement)
                    } else {
                        (areas[(first + i) % areas.len()], "NULL")
                    };
                    let removed = rng.random_bool(0.1);
                    sql += &format!(
                        "INSERT INTO goal_codes (id, goal_id, person_id, organisation_id, area_id, statement_id, \
                           coded_by, removed_at, removed_by) \
                         VALUES (gen_random_uuid(), '{g}', '{p}', '{o}', '{area}', {stmt}, '{author}', {}, {}) \
                         ON CONFLICT DO NOTHING;",
                        if removed { "now()" } else { "NULL" },
                        if removed {
                            format!("'{author}'")
                        } else {
                            "NULL".into()
                        },
                    );
                }
                for _ in 0..rng.random_range(0..3) {
                    let status =
                        ["achieved", "achieved", "active", "paused"][rng.random_range(0..4)];
                    sql += &format!(
                        "INSERT INTO goal_status_changes (id, goal_id, person_id, organisation_id, status, \
                           changed_by, changed_at) \
                         VALUES (gen_random_uuid(), '{g}', '{p}', '{o}', '{status}', '{author}', '{}');",
                        moment(rng)
                    );
                }
            }
            // Review days from a small pool, so a goal's ratings often share a day.
            let days: Vec<Date> = (0..3).map(|_| day(rng)).collect();
            for _ in 0..rng.random_range(0..6) {
                let r = Uuid::now_v7();
                let held = days[rng.random_range(0..days.len())];
                let next = held + Duration::days(rng.random_range(10..200));
                let next = maybe(rng, 0.8, next);
                sql += &format!(
                    "INSERT INTO reviews (id, person_id, organisation_id, held_on, person_took_part, lang, \
                       next_review_on, author_account_id) \
                     VALUES ('{r}', '{p}', '{o}', '{held}', true, 'en', {next}, '{author}');"
                );
                for (g, lo, hi) in &goals {
                    if rng.random_bool(0.6) {
                        sql += &format!(
                            "INSERT INTO review_ratings (review_id, goal_id, person_id, organisation_id, value) \
                             VALUES ('{r}', '{g}', '{p}', '{o}', {});",
                            rng.random_range(*lo..=*hi)
                        );
                    }
                }
            }
            for _ in 0..rng.random_range(0..5) {
                let goal = if goals.is_empty() || rng.random_bool(0.2) {
                    "NULL".to_string()
                } else {
                    format!("'{}'", goals[rng.random_range(0..goals.len())].0)
                };
                let status = if rng.random_bool(0.75) {
                    "published"
                } else {
                    "pending"
                };
                sql += &format!(
                    "INSERT INTO stories (id, person_id, organisation_id, body, lang, audience, goal_id, \
                       author_account_id, author_kind, status, created_at) \
                     VALUES (gen_random_uuid(), '{p}', '{o}', 'I did it', 'en', 'circle', {goal}, '{author}', \
                       'supporter', '{status}', '{}');",
                    moment(rng)
                );
            }
        }
    }
    app.sql(&sql).await;
    World { orgs, mentors }
}

fn consent(p: Uuid, o: Uuid, by: Uuid, decision: &str, current: &str, withdrawn: &str) -> String {
    let withdrawn_by = if withdrawn == "NULL" {
        "NULL".into()
    } else {
        format!("'{by}'")
    };
    format!(
        "INSERT INTO consents (id, person_id, organisation_id, purpose, audience, decision, given_by, \
           wording_version, recorded_by, current, withdrawn_at, withdrawn_by) \
         VALUES (gen_random_uuid(), '{p}', '{o}', 'commissioner_reports', 'commissioners', {decision}, \
           'person', 'v1', '{by}', {current}, {withdrawn}, {withdrawn_by});"
    )
}

/// Random edits and deletions of what the rollups derive from, and one person erased.
async fn edits(app: &TestApp, rng: &mut StdRng) {
    let s = rng.random_range(0..1_000_000);
    let pct = |n: u32| format!("abs(hashtext(x::text || '{s}')) % 100 < {n}");
    let sql = [
        format!("DELETE FROM review_ratings rr WHERE {}", pct(12).replace("x::text", "rr.review_id::text || rr.goal_id::text")),
        format!(
            "UPDATE stories SET status = CASE status WHEN 'published' THEN 'pending' ELSE 'published' END \
             WHERE {}", pct(15).replace("x::text", "id::text")),
        format!(
            "UPDATE stories SET created_at = created_at - interval '97 days' - interval '13 hours' \
             WHERE {}", pct(15).replace("x::text", "id::text || 'a'")),
        format!(
            "UPDATE stories st SET goal_id = NULL WHERE {}", pct(10).replace("x::text", "st.id::text || 'b'")),
        format!(
            "UPDATE reviews SET held_on = held_on + (abs(hashtext(id::text)) % 300 - 150), \
               next_review_on = held_on + 40 WHERE {}", pct(15).replace("x::text", "id::text")),
        format!("DELETE FROM reviews WHERE {}", pct(8).replace("x::text", "id::text || 'c'")),
        format!(
            "UPDATE goals SET created_at = created_at + interval '200 days' WHERE {}",
            pct(12).replace("x::text", "id::text")),
        format!(
            "UPDATE goals SET scale_id = '01937a00-0000-7000-8000-000000000001' WHERE {}",
            pct(8).replace("x::text", "id::text || 'd'")),
        format!("DELETE FROM goal_status_changes WHERE {}", pct(15).replace("x::text", "id::text")),
        format!(
            "UPDATE goal_status_changes SET changed_at = changed_at - interval '40 days', \
               status = CASE status WHEN 'achieved' THEN 'paused' ELSE 'achieved' END WHERE {}",
            pct(15).replace("x::text", "id::text || 'f'")),
        format!(
            "UPDATE review_ratings rr SET value = value + 1 WHERE {}",
            pct(15).replace("x::text", "rr.review_id::text || rr.goal_id::text || 'g'")),
        // A story moved to another goal of the same person.
        format!(
            "UPDATE stories st SET goal_id = (SELECT g.id FROM goals g WHERE g.person_id = st.person_id \
               ORDER BY g.id DESC LIMIT 1) WHERE {}",
            pct(15).replace("x::text", "st.id::text || 'h'")),
        format!(
            "UPDATE goal_codes SET removed_at = now(), removed_by = coded_by \
             WHERE removed_at IS NULL AND {}", pct(8).replace("x::text", "id::text")),
        // A goal deleted with its stories; a person erased (everything goes by cascade).
        format!(
            "DELETE FROM stories WHERE goal_id IN (SELECT id FROM goals WHERE {g}); \
             DELETE FROM goals WHERE {g}",
            g = pct(5).replace("x::text", "id::text || 'e'")),
        "DELETE FROM people WHERE id = (SELECT person_id FROM goals ORDER BY id LIMIT 1)".to_string(),
    ]
    .join("; ");
    app.sql(&sql).await;
}

/// Everything a row of figures says, comparable; the median to within rounding.
pub(crate) fn key(r: &AreaFigures) -> (String, Option<(&'static str, String)>) {
    (r.area.clone(), r.cell().map(|(d, v)| (d.as_str(), v)))
}

pub(crate) fn same(a: &AreaFigures, b: &AreaFigures) -> bool {
    let counts = |r: &AreaFigures| {
        [
            r.people,
            r.goals_set,
            r.goals_achieved,
            r.measured,
            r.improved,
            r.same,
            r.worse,
            r.reviews_held,
            r.reviews_on_time,
            r.stories,
            r.people_fp,
            r.goals_set_fp,
            r.goals_achieved_fp,
            r.measured_fp,
            r.improved_fp,
            r.reviews_held_fp,
            r.reviews_on_time_fp,
            r.stories_fp,
        ]
    };
    let median = match (a.median_change, b.median_change) {
        (None, None) => true,
        (Some(x), Some(y)) => (x - y).abs() < 1e-9,
        _ => false,
    };
    counts(a) == counts(b) && median
}

fn scope(rng: &mut StdRng, world: &World) -> (Scope, Vec<Dimension>) {
    let mut windows = Vec::new();
    for org in &world.orgs {
        if windows.is_empty() || rng.random_bool(0.6) {
            let from = day(rng);
            let to = from + Duration::days(rng.random_range(0..800));
            windows.push(Window {
                organisation: *org,
                from,
                to,
            });
        }
    }
    let mentor = if rng.random_bool(0.2) {
        Some(world.mentors[rng.random_range(0..world.mentors.len())])
    } else {
        None
    };
    let breakdowns = Dimension::ALL
        .into_iter()
        .filter(|_| rng.random_bool(0.4))
        .collect();
    let scope = Scope {
        windows,
        mentor,
        for_commissioners: rng.random_bool(0.5),
    };
    (scope, breakdowns)
}

/// Both sources for 15 random scopes of `world`, compared cell by cell; returns the rows
/// compared. `label` names the history in a failure.
async fn agree(app: &TestApp, rng: &mut StdRng, world: &World, label: &str) -> usize {
    let framework: Uuid = NOF.parse().unwrap();
    let mut conn = app.shared.state.conn().await.unwrap();
    let mut compared = 0;
    for _ in 0..15 {
        let (scope, breakdowns) = scope(rng, world);
        let mut answers = Vec::new();
        for source in [Source::Definition, Source::Rollup] {
            let mut rows = figures::by_area_from(&mut conn, source, framework, &scope, &breakdowns)
                .await
                .unwrap();
            rows.sort_by_key(key);
            answers.push(rows);
        }
        let (definition, rollup) = (&answers[0], &answers[1]);
        let keys = |rows: &[AreaFigures]| rows.iter().map(key).collect::<Vec<_>>();
        assert_eq!(
            keys(definition),
            keys(rollup),
            "{label}: {scope:?} {breakdowns:?}"
        );
        for (d, r) in definition.iter().zip(rollup) {
            assert!(
                same(d, r),
                "{label}: {scope:?} {breakdowns:?}\n definition {d:?}\n rollup {r:?}"
            );
        }
        compared += definition.len();
    }
    compared
}

#[actix_web::test]
async fn the_rollup_answers_what_the_definition_answers_on_random_histories() {
    let mut compared = 0;
    for seed in 0..4u64 {
        let app = TestApp::new().await;
        let mut rng = StdRng::seed_from_u64(seed);
        let world = history(&app, &mut rng).await;
        for round in 0..2 {
            if round == 1 {
                edits(&app, &mut rng).await;
            }
            compared += agree(
                &app,
                &mut rng,
                &world,
                &format!("seed {seed} round {round}"),
            )
            .await;
        }
    }
    // The histories are not empty: most scopes have figures in them.
    assert!(compared > 200, "only {compared} rows compared");
}

/// `db::backfill::rollup_keys` with a batch of `batch`, as `camau migrate` runs it.
async fn backfill(app: &TestApp, batch: i64) -> u64 {
    use diesel::Connection;
    use diesel_async::AsyncPgConnection;
    use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
    let url = app.database_url().to_owned();
    tokio::task::spawn_blocking(move || {
        let mut conn = AsyncConnectionWrapper::<AsyncPgConnection>::establish(&url).unwrap();
        camau::db::backfill::rollup_keys(&mut conn, batch).unwrap()
    })
    .await
    .unwrap()
}

/// Rollup rows written before migration 000024 gave them their keys get them from `camau
/// migrate`, batch by batch, and then answer what the definition answers.
#[actix_web::test]
async fn rows_from_before_the_keys_get_them_from_migrate_batch_by_batch() {
    let app = TestApp::new().await;
    let mut rng = StdRng::seed_from_u64(11);
    let world = history(&app, &mut rng).await;
    let rows = app.scalar("SELECT count(*) FROM kpi_goals").await
        + app.scalar("SELECT count(*) FROM kpi_reviews").await;
    assert!(rows > 50, "{rows}");
    // As migration 000024 finds a database: rows without keys, and the backfill to do.
    app.sql(
        "UPDATE kpi_goals SET person_id = NULL, code_frameworks = '{}', codes = '{}'; \
         UPDATE kpi_reviews SET person_id = NULL, organisation_id = NULL, held_on = NULL, fp = NULL; \
         INSERT INTO kpi_backfills (rollup) VALUES ('kpi_goals'), ('kpi_reviews');",
    )
    .await;
    // Every row was found without keys, or keyed by an earlier batch's refresh of its person.
    let found = backfill(&app, 7).await as i64;
    assert!(found > rows / 2 && found <= rows, "{found} of {rows}");
    let unkeyed = app
        .scalar(
            "SELECT (SELECT count(*) FROM kpi_goals WHERE person_id IS NULL) \
                  + (SELECT count(*) FROM kpi_reviews \
                      WHERE person_id IS NULL OR held_on IS NULL OR fp IS NULL)",
        )
        .await;
    assert_eq!(unkeyed, 0);
    assert_eq!(app.scalar("SELECT count(*) FROM kpi_backfills").await, 0);
    // Done once: the next `camau migrate` finds nothing to do.
    assert_eq!(backfill(&app, 7).await, 0);
    assert!(agree(&app, &mut rng, &world, "backfilled").await > 20);
}

/// A review written while another of the same person's reviews changes date: the first takes
/// the person's rollup lock and then its goal's, the second refreshes that goal and then the
/// person's reviews. Both lock the person first, so they queue; neither dies in a deadlock, and
/// the rollup holds both.
#[actix_web::test]
async fn a_review_and_a_change_of_another_reviews_date_at_once_both_commit() {
    use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
    let app = TestApp::new().await;
    let org = app.provider().await;
    let author = app.admin(&org).await.id;
    let (o, p, g, r0, r1) = (
        org.id,
        Uuid::now_v7(),
        Uuid::now_v7(),
        Uuid::now_v7(),
        Uuid::now_v7(),
    );
    let scale = SCALES[0].0;
    app.sql(&format!(
        "INSERT INTO people (id, organisation_id, preferred_name, service_type, support_started_on) \
           VALUES ('{p}', '{o}', 'Someone', 'other', '2024-01-01'); \
         INSERT INTO goals (id, person_id, organisation_id, title, lang, status, scale_id, author_account_id) \
           VALUES ('{g}', '{p}', '{o}', 'A goal', 'en', 'active', '{scale}', '{author}'); \
         INSERT INTO reviews (id, person_id, organisation_id, held_on, person_took_part, lang, author_account_id) \
           VALUES ('{r0}', '{p}', '{o}', '2025-01-01', true, 'en', '{author}'); \
         INSERT INTO review_ratings (review_id, goal_id, person_id, organisation_id, value) \
           VALUES ('{r0}', '{g}', '{p}', '{o}', 2);"
    ))
    .await;
    let connect = || AsyncPgConnection::establish(app.database_url());
    let (mut first, mut second) = (connect().await.unwrap(), connect().await.unwrap());
    let begin = "BEGIN; SELECT set_config('camau.audited', 'on', true);";
    first
        .batch_execute(&format!(
            "{begin} INSERT INTO reviews (id, person_id, organisation_id, held_on, person_took_part, lang, author_account_id) \
               VALUES ('{r1}', '{p}', '{o}', '2025-06-01', true, 'en', '{author}')"
        ))
        .await
        .unwrap();
    let moved = actix_web::rt::spawn(async move {
        second
            .batch_execute(&format!(
                "{begin} UPDATE reviews SET held_on = '2025-01-02' WHERE id = '{r0}'; COMMIT"
            ))
            .await
    });
    // The date change is under way (waiting for the person, or, before, holding the goal).
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    first
        .batch_execute(&format!(
            "INSERT INTO review_ratings (review_id, goal_id, person_id, organisation_id, value) \
               VALUES ('{r1}', '{g}', '{p}', '{o}', 5); COMMIT"
        ))
        .await
        .expect("the new review commits");
    moved.await.unwrap().expect("the date change commits");
    assert_eq!(
        app.scalar(&format!(
            "SELECT count(*) FROM kpi_goals WHERE goal_id = '{g}' \
               AND rated_on = '{{2025-01-02,2025-06-01}}' AND rated_value = '{{2,5}}'"
        ))
        .await,
        1
    );
}

/// What the rollups hold of a framework cannot change under them: an area's code and a
/// version's framework are fixed once written (a framework changes by a new version).
#[actix_web::test]
async fn an_areas_code_and_a_versions_framework_are_fixed_once_written() {
    let app = TestApp::new().await;
    let mut conn = app.shared.state.conn().await.unwrap();
    for sql in [
        format!(
            "UPDATE outcome_areas SET code = 'renamed' WHERE id = '{}'",
            AREAS[1]
        ),
        format!(
            "UPDATE framework_versions SET framework_id = \
               (SELECT id FROM frameworks WHERE id <> '{NOF}' ORDER BY id LIMIT 1) \
             WHERE framework_id = '{NOF}'"
        ),
    ] {
        let err = diesel_async::RunQueryDsl::execute(diesel::sql_query(sql), &mut conn)
            .await
            .expect_err("fixed once written");
        assert!(err.to_string().contains("fixed once written"), "{err}");
    }
    // Its words are not facts of the rollups: they may be corrected.
    app.sql(&format!(
        "UPDATE outcome_areas SET label_en = 'Corrected' WHERE id = '{}'",
        AREAS[1]
    ))
    .await;
    assert_eq!(
        app.scalar(&format!(
            "SELECT count(*) FROM outcome_areas WHERE id = '{}' AND label_en = 'Corrected'",
            AREAS[1]
        ))
        .await,
        1
    );
}

/// While `camau migrate` still keys older rollup rows, reports and dashboards would leave them
/// out: they answer 503 with `Retry-After` until it is done; nothing else waits.
#[actix_web::test]
async fn reports_and_dashboards_wait_for_the_keys() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    let paths = [
        format!("/v1/organisations/{}/dashboard", org.id),
        format!(
            "/v1/organisations/{}/reports/outcomes?from=2025-01-01&to=2025-12-31",
            org.id
        ),
    ];
    for path in &paths {
        app.get(path).bearer(&admin.token).send().await.expect(200);
    }
    app.sql("INSERT INTO kpi_backfills (rollup) VALUES ('kpi_reviews')")
        .await;
    for path in &paths {
        let waiting = app.get(path).bearer(&admin.token).send().await;
        let problem = waiting.problem(503, "service_unavailable");
        assert!(waiting.header("retry-after").is_some(), "{path}: {problem}");
    }
    app.get("/v1/me")
        .bearer(&admin.token)
        .send()
        .await
        .expect(200);
    app.sql("DELETE FROM kpi_backfills").await;
    for path in &paths {
        app.get(path).bearer(&admin.token).send().await.expect(200);
    }
}
