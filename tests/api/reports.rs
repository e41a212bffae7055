//! Outcome figures and reports: each figure on a small hand-built dataset worked out here, a
//! commissioner's report over contracted providers only (in JSON and CSV, English and Welsh),
//! disclosure control as a commissioner sees it, and nothing person-level in a report.

use camau::auth::roles::Role;
use camau::outcomes::kpis::figures::{self, AreaFigures, Dimension, Scope, Window};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::{Value, json};
use time::macros::date;
use uuid::Uuid;

use crate::support::{Org, TestApp};

/// NOF areas as seeded: b (protection from abuse and neglect) and c (education, training and
/// recreation), both with Welsh labels.
const AREA_B: &str = "0d86aa86-58d8-8e76-8621-43b18a8eb180";
const AREA_C: &str = "59a06546-5baf-8857-8cd7-a447628c5ddf";
const NOF: &str = "06468675-38cb-89e4-8616-2682fa6348ff";

/// `n` alike people of `org`, each with one goal on the 0–10 scale coded to `area`, rated at
/// reviews on the given days. Built in SQL: the figures, not the write paths, are under test.
struct Group {
    org: Uuid,
    author: Uuid,
    n: usize,
    area: &'static str,
    service: &'static str,
    gender: Option<&'static str>,
    born: Option<&'static str>,
    support: (&'static str, Option<&'static str>),
    goal_created: &'static str,
    /// (held on, value, next review due)
    ratings: Vec<(&'static str, f64, Option<&'static str>)>,
    achieved_on: Option<&'static str>,
    code_removed: bool,
    uncoded: bool,
    story_on: Option<&'static str>,
}

impl Group {
    fn new(org: &Org, author: Uuid, n: usize, area: &'static str) -> Self {
        Group {
            org: org.id,
            author,
            n,
            area,
            service: "learning_disability",
            gender: None,
            born: None,
            support: ("2024-01-01", None),
            goal_created: "2024-12-01",
            ratings: Vec::new(),
            achieved_on: None,
            code_removed: false,
            uncoded: false,
            story_on: None,
        }
    }
    fn gender(mut self, g: &'static str) -> Self {
        self.gender = Some(g);
        self
    }
    fn born(mut self, d: &'static str) -> Self {
        self.born = Some(d);
        self
    }
    fn service(mut self, s: &'static str) -> Self {
        self.service = s;
        self
    }
    fn support(mut self, from: &'static str, to: Option<&'static str>) -> Self {
        self.support = (from, to);
        self
    }
    fn created(mut self, d: &'static str) -> Self {
        self.goal_created = d;
        self
    }
    fn rated(mut self, on: &'static str, value: f64, due: Option<&'static str>) -> Self {
        self.ratings.push((on, value, due));
        self
    }
    fn achieved(mut self, on: &'static str) -> Self {
        self.achieved_on = Some(on);
        self
    }
    fn code_removed(mut self) -> Self {
        self.code_removed = true;
        self
    }
    fn uncoded(mut self) -> Self {
        self.uncoded = true;
        self
    }
    fn story(mut self, on: &'static str) -> Self {
        self.story_on = Some(on);
        self
    }

    /// Inserts the group; returns the people's ids.
    async fn insert(self, app: &TestApp) -> Vec<Uuid> {
        let q = |v: Option<&str>| v.map_or("NULL".to_string(), |v| format!("'{v}'"));
        let (org, author) = (self.org, self.author);
        let ids: Vec<(Uuid, Uuid)> = (0..self.n)
            .map(|_| (Uuid::now_v7(), Uuid::now_v7()))
            .collect();
        let values: Vec<String> = ids
            .iter()
            .map(|(p, g)| format!("('{p}'::uuid, '{g}'::uuid)"))
            .collect();
        let g = format!("(VALUES {}) g(person, goal)", values.join(", "));
        let mut sql = format!(
            "INSERT INTO people (id, organisation_id, preferred_name, service_type, support_started_on, \
               support_ended_on, gender, date_of_birth) \
             SELECT person, '{org}', 'Someone', '{service}', '{from}', {to}, {gender}, {born} FROM {g}; \
             INSERT INTO goals (id, person_id, organisation_id, title, lang, status, scale_id, author_account_id, created_at) \
             SELECT goal, person, '{org}', 'My goal', 'en', '{status}', \
               (SELECT id FROM scales WHERE code = 'distance_travelled'), '{author}', '{created} 12:00+00' FROM {g}; \
             INSERT INTO goal_codes (id, goal_id, person_id, organisation_id, area_id, coded_by, removed_at, removed_by) \
             SELECT gen_random_uuid(), goal, person, '{org}', '{area}', '{author}', {removed}, {removed_by} FROM {g} \
             WHERE NOT {uncoded};",
            service = self.service,
            from = self.support.0,
            to = q(self.support.1),
            gender = q(self.gender),
            born = q(self.born),
            status = if self.achieved_on.is_some() {
                "achieved"
            } else {
                "active"
            },
            created = self.goal_created,
            area = self.area,
            uncoded = self.uncoded,
            removed = if self.code_removed { "now()" } else { "NULL" },
            removed_by = if self.code_removed {
                format!("'{author}'")
            } else {
                "NULL".into()
            },
        );
        for (on, value, due) in &self.ratings {
            let reviews: Vec<String> = ids
                .iter()
                .map(|(p, g)| format!("('{}'::uuid, '{p}'::uuid, '{g}'::uuid)", Uuid::now_v7()))
                .collect();
            let r = format!("(VALUES {}) r(review, person, goal)", reviews.join(", "));
            sql += &format!(
                "INSERT INTO reviews (id, person_id, organisation_id, held_on, person_took_part, lang, \
                   next_review_on, author_account_id) \
                 SELECT review, person, '{org}', '{on}', true, 'en', {due}, '{author}' FROM {r}; \
                 INSERT INTO review_ratings (review_id, goal_id, person_id, organisation_id, value) \
                 SELECT review, goal, person, '{org}', {value} FROM {r};",
                due = q(*due),
            );
        }
        if let Some(on) = self.achieved_on {
            sql += &format!(
                "INSERT INTO goal_status_changes (id, goal_id, person_id, organisation_id, status, changed_by, changed_at) \
                 SELECT gen_random_uuid(), goal, person, '{org}', 'achieved', '{author}', '{on} 12:00+00' FROM {g};"
            );
        }
        if let Some(on) = self.story_on {
            sql += &format!(
                "INSERT INTO stories (id, person_id, organisation_id, body, lang, audience, goal_id, \
                   author_account_id, author_kind, status, created_at) \
                 SELECT gen_random_uuid(), person, '{org}', 'I did it', 'en', 'private', goal, '{author}', \
                   'supporter', s, '{on} 12:00+00' FROM {g}, (VALUES ('published'), ('pending')) v(s);"
            );
        }
        app.sql(&sql).await;
        ids.into_iter().map(|(p, _)| p).collect()
    }
}

fn find<'a>(
    rows: &'a [AreaFigures],
    area: &str,
    cell: Option<(Dimension, &str)>,
) -> &'a AreaFigures {
    rows.iter()
        .find(|r| r.area == area && r.cell().as_ref().map(|(d, v)| (*d, v.as_str())) == cell)
        .unwrap_or_else(|| panic!("no row for {area} {cell:?}"))
}

#[actix_web::test]
async fn each_figure_follows_its_definition_on_a_hand_built_dataset() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let other = app.provider().await;
    let admin = app.admin(&org).await;
    let other_admin = app.admin(&other).await;
    // Period: the first half of 2025.
    // Three people: goal set before the period, baseline before it, a better rating in it;
    // their second review came before it was due. Each told a story in the period.
    let g1 = Group::new(&org, admin.id, 3, AREA_B)
        .gender("female")
        .born("1999-01-01")
        .rated("2024-12-15", 2.0, Some("2025-03-15"))
        .rated("2025-03-01", 5.0, None)
        .story("2025-03-02")
        .insert(&app)
        .await;
    // Two people: goal set in the period, rated twice in it the same; the second review late.
    Group::new(&org, admin.id, 2, AREA_B)
        .gender("male")
        .born("2009-06-01")
        .created("2025-02-01")
        .rated("2025-02-01", 4.0, Some("2025-04-01"))
        .rated("2025-05-01", 4.0, None)
        .insert(&app)
        .await;
    // One person: goal set in the period, rated once (no change to measure), achieved in it.
    Group::new(&org, admin.id, 1, AREA_B)
        .created("2025-02-01")
        .rated("2025-02-01", 3.0, None)
        .achieved("2025-04-10")
        .insert(&app)
        .await;
    // Not counted: support ended before the period; a code removed; another organisation.
    Group::new(&org, admin.id, 1, AREA_B)
        .support("2024-01-01", Some("2024-11-30"))
        .rated("2024-06-01", 1.0, None)
        .rated("2024-11-01", 9.0, None)
        .insert(&app)
        .await;
    Group::new(&org, admin.id, 1, AREA_B)
        .code_removed()
        .rated("2025-01-05", 1.0, None)
        .rated("2025-02-05", 9.0, None)
        .insert(&app)
        .await;
    Group::new(&other, other_admin.id, 1, AREA_B)
        .rated("2025-01-05", 1.0, None)
        .rated("2025-02-05", 9.0, None)
        .insert(&app)
        .await;
    // One person in area c only, worse: 6 then 3; neither review late.
    Group::new(&org, admin.id, 1, AREA_C)
        .rated("2025-01-10", 6.0, None)
        .rated("2025-06-01", 3.0, None)
        .insert(&app)
        .await;

    let scope = Scope {
        windows: vec![Window {
            organisation: org.id,
            from: date!(2025 - 01 - 01),
            to: date!(2025 - 06 - 30),
        }],
        mentor: None,
        for_commissioners: false,
    };
    let mut conn = AsyncPgConnection::establish(app.database_url())
        .await
        .unwrap();
    let nof = Uuid::parse_str(NOF).unwrap();
    let rows = figures::by_area(
        &mut conn,
        nof,
        &scope,
        &[Dimension::Gender, Dimension::AgeBand],
    )
    .await
    .unwrap();

    let b = find(&rows, "b", None);
    assert_eq!(b.people, 3 + 2 + 1, "people supported with a coded goal");
    assert_eq!(b.goals_set, 2 + 1, "goals created in the period");
    assert_eq!(b.goals_achieved, 1);
    assert_eq!(
        b.measured,
        3 + 2,
        "a baseline and a later rating in the period"
    );
    assert_eq!((b.improved, b.same, b.worse), (3, 2, 0));
    // Changes 0.3, 0.3, 0.3, 0, 0 of the scale's range: the median is 0.3.
    assert!((b.median_change.unwrap() - 0.3).abs() < 1e-9);
    // Reviews held in the period: 3 x 1, 2 x 2, 1 x 1; on time: all but the two late ones.
    assert_eq!(b.reviews_held, 3 + 4 + 1);
    assert_eq!(b.reviews_on_time, 3 + 2 + 1);
    // Each of the three has a published story about the goal (counted) and a pending one
    // (not).
    assert_eq!(b.stories, 3);

    let c = find(&rows, "c", None);
    assert_eq!((c.people, c.goals_set, c.measured, c.worse), (1, 0, 1, 1));
    assert!((c.median_change.unwrap() + 0.3).abs() < 1e-9);
    assert_eq!((c.reviews_held, c.reviews_on_time), (2, 2));

    // Breakdowns partition the total: gender (not recorded where unknown), age at the
    // period's end.
    assert_eq!(
        find(&rows, "b", Some((Dimension::Gender, "female"))).people,
        3
    );
    assert_eq!(
        find(&rows, "b", Some((Dimension::Gender, "male"))).people,
        2
    );
    assert_eq!(
        find(&rows, "b", Some((Dimension::Gender, "not_recorded"))).people,
        1
    );
    assert_eq!(
        find(&rows, "b", Some((Dimension::AgeBand, "25-34"))).improved,
        3
    );
    assert_eq!(
        find(&rows, "b", Some((Dimension::AgeBand, "16-17"))).same,
        2
    );
    assert_eq!(
        find(&rows, "b", Some((Dimension::AgeBand, "unknown"))).goals_achieved,
        1
    );

    // A mentor's caseload narrows the same figures to their people.
    let mentor = app.account(Some(&org), Role::Mentor).await;
    app.sql(&format!(
        "INSERT INTO mentor_assignments (person_id, mentor_id, organisation_id) VALUES ('{}', '{}', '{}')",
        g1[0], mentor.id, org.id
    ))
    .await;
    let mine = figures::by_area(
        &mut conn,
        nof,
        &Scope {
            mentor: Some(mentor.id),
            ..scope.clone()
        },
        &[],
    )
    .await
    .unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!((mine[0].people, mine[0].improved), (1, 1));
}

fn area<'a>(report: &'a Value, code: &str) -> &'a Value {
    report["areas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["code"] == code)
        .unwrap_or_else(|| panic!("area {code}"))
}

async fn contract(app: &TestApp, body: &Org, provider: &Org, from: &str, to: Option<&str>) {
    let to = to.map_or("NULL".to_string(), |d| format!("'{d}'"));
    app.sql(&format!(
        "INSERT INTO contracts (id, commissioning_body_id, provider_id, starts_on, ends_on) \
         VALUES ('{}', '{}', '{}', '{from}', {to})",
        Uuid::now_v7(),
        body.id,
        provider.id
    ))
    .await;
}

#[actix_web::test]
async fn a_commissioner_sees_a_years_report_of_contracted_providers_in_json_and_csv_in_both_languages()
 {
    let app = TestApp::new().await;
    let body = app.commissioning_body().await;
    let commissioner = app.account(Some(&body), Role::Commissioner).await;
    let (funded, ended, unfunded) = (
        app.provider().await,
        app.provider().await,
        app.provider().await,
    );
    contract(&app, &body, &funded, "2024-01-01", None).await;
    contract(&app, &body, &ended, "2024-01-01", Some("2024-12-31")).await;
    let mut people = Vec::new();
    for org in [&funded, &ended, &unfunded] {
        let admin = app.admin(org).await;
        // Twenty people who each set a goal in 2025, rated 2 then 6 on the 0-10 scale, both
        // reviews on time.
        people.extend(
            Group::new(org, admin.id, 20, AREA_B)
                .gender("female")
                .born("1989-05-05")
                .created("2025-01-15")
                .rated("2025-01-20", 2.0, Some("2025-07-20"))
                .rated("2025-07-01", 6.0, None)
                .insert(&app)
                .await,
        );
        // Three more, in area c: too few to show.
        Group::new(org, admin.id, 3, AREA_C)
            .gender("male")
            .created("2025-02-01")
            .insert(&app)
            .await;
    }
    let path = format!(
        "/v1/commissioners/{}/reports/outcomes?from=2025-01-01&to=2025-12-31&breakdown=provider,gender",
        body.id
    );
    let report = app
        .get(&path)
        .bearer(&commissioner.token)
        .send()
        .await
        .expect(200);

    // The default framework is the NOF; only the provider under contract in 2025 counts.
    assert_eq!(report["framework"]["id"], NOF);
    let providers = report["providers"].as_array().unwrap();
    assert_eq!(providers.len(), 1);
    assert_eq!(providers[0]["id"], funded.id.to_string());
    assert_eq!(report["disclosure"]["threshold"], 10);

    let b = area(&report, "b");
    assert_eq!(b["label"]["text"], "protection from abuse and neglect");
    let total = &b["total"];
    // Counts that are multiples of 5 above the threshold's band are shown as they are.
    assert_eq!(total["people_supported"], 20);
    assert_eq!(total["goals_set"], 20);
    assert_eq!(total["people_measured"], 20);
    assert_eq!(total["people_improved"], 20);
    assert_eq!(total["people_improved_pct"], 100);
    assert_eq!(total["median_change_pct"], 40);
    assert_eq!(total["reviews_held"], 40);
    assert_eq!(total["reviews_on_time"], 40);
    assert_eq!(total["reviews_on_time_pct"], 100);
    assert_eq!(total["goals_achieved"], 0, "zero is zero");
    // Three people: suppressed, and so is what depends on them.
    let c = &area(&report, "c")["total"];
    assert_eq!(c["people_supported"], Value::Null);
    assert_eq!(c["goals_set"], Value::Null);
    assert_eq!(c["people_improved_pct"], Value::Null);
    let gender = b["breakdowns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["dimension"] == "gender")
        .unwrap();
    assert_eq!(gender["cells"][0]["value"], "female");
    assert_eq!(gender["cells"][0]["label"]["text"], "Female");
    assert_eq!(gender["cells"][0]["figures"]["people_supported"], 20);

    // Nothing about any one person is in it.
    let text = report.to_string();
    for id in &people {
        assert!(!text.contains(&id.to_string()));
    }
    assert!(!text.contains("Someone") && !text.contains("My goal"));

    // In Welsh: the labels that have a Welsh text are in Welsh and say so.
    let cy = app
        .get(&path)
        .bearer(&commissioner.token)
        .header("Accept-Language", "cy")
        .send()
        .await
        .expect(200);
    let b = area(&cy, "b");
    assert_eq!(
        b["label"]["text"],
        "amddiffyn rhag camdriniaeth ac esgeulustod"
    );
    assert_eq!(b["label"]["lang"], "cy");
    assert!(cy.to_string().contains("Benyw"));
    assert_eq!(
        b["total"],
        report["areas"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["code"] == "b")
            .unwrap()["total"],
        "the same figures in either language"
    );

    // As CSV: a standard reader parses it; suppressed counts are `*`.
    let res = app
        .get(&path)
        .bearer(&commissioner.token)
        .header("Accept", "text/csv")
        .header("Accept-Language", "cy")
        .send()
        .await;
    assert_eq!(res.status, 200);
    assert!(res.header("content-type").unwrap().starts_with("text/csv"));
    let text = res.text();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "area_code");
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let b_total = rows
        .iter()
        .find(|r| &r[0] == "b" && &r[column("breakdown")] == "total")
        .unwrap();
    assert_eq!(
        &b_total[column("area_label")],
        "amddiffyn rhag camdriniaeth ac esgeulustod"
    );
    assert_eq!(&b_total[column("people_supported")], "20");
    let c_total = rows
        .iter()
        .find(|r| &r[0] == "c" && &r[column("breakdown")] == "total")
        .unwrap();
    assert_eq!(&c_total[column("people_supported")], "*");
    assert!(rows.iter().any(|r| &r[column("value_label")] == "Benyw"));

    // A bad breakdown or period is a clear 422, not a guess.
    app.get(&format!(
        "/v1/commissioners/{}/reports/outcomes?from=2025-01-01&to=2025-12-31&breakdown=postcode",
        body.id
    ))
    .bearer(&commissioner.token)
    .send()
    .await
    .problem(400, "validation_failed");
    app.get(&format!(
        "/v1/commissioners/{}/reports/outcomes?from=2025-12-31&to=2025-01-01",
        body.id
    ))
    .bearer(&commissioner.token)
    .send()
    .await
    .problem(400, "validation_failed");
}

#[actix_web::test]
async fn the_threshold_is_ten_whoever_is_in_the_report_small_groups_show_nothing_and_an_admin_may_raise_it()
 {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    let path = format!(
        "/v1/organisations/{}/reports/outcomes?from=2025-01-01&to=2025-12-31&breakdown=age_band",
        org.id
    );
    // Twenty adults in area c, reviewed twice each.
    Group::new(&org, admin.id, 20, AREA_C)
        .created("2025-03-01")
        .rated("2025-03-10", 2.0, None)
        .rated("2025-06-10", 5.0, None)
        .insert(&app)
        .await;
    // The threshold does not say whether a child is in the period: the same without one.
    let adults = app.get(&path).bearer(&admin.token).send().await.expect(200);
    assert_eq!(adults["disclosure"]["threshold"], 10);
    // Nine children, each reviewed twice in the year: 18 reviews, but only nine people.
    Group::new(&org, admin.id, 9, AREA_B)
        .service("childrens_services")
        .born("2011-01-01")
        .created("2025-03-01")
        .rated("2025-03-10", 2.0, None)
        .rated("2025-06-10", 5.0, None)
        .insert(&app)
        .await;
    let report = app.get(&path).bearer(&admin.token).send().await.expect(200);
    assert_eq!(report["disclosure"]["threshold"], 10);
    let b = &area(&report, "b")["total"];
    assert_eq!(b["people_supported"], Value::Null, "9 is under 10");
    // The group is too small to show, so none of its counts shows, however large.
    for figure in [
        "goals_set",
        "people_measured",
        "people_improved",
        "reviews_held",
        "reviews_on_time",
    ] {
        assert_eq!(b[figure], Value::Null, "{figure}");
    }
    assert_eq!(area(&report, "c")["total"]["people_supported"], 20);
    assert_eq!(area(&report, "c")["total"]["reviews_held"], 40);

    // The organisation's admin may raise its reports' threshold (a setting, not a query
    // parameter), never lower it below the rules' floor.
    app.patch(&format!("/v1/organisations/{}", org.id))
        .bearer(&admin.token)
        .json(&json!({ "report_threshold": 25 }))
        .send()
        .await
        .expect(200);
    let higher = app.get(&path).bearer(&admin.token).send().await.expect(200);
    assert_eq!(higher["disclosure"]["threshold"], 25);
    assert_eq!(area(&higher, "c")["total"]["people_supported"], Value::Null);
    app.patch(&format!("/v1/organisations/{}", org.id))
        .bearer(&admin.token)
        .json(&json!({ "report_threshold": 12 }))
        .send()
        .await
        .problem(400, "validation_failed");
}

/// A day `n` days before today (after it, when negative), as the builders take it.
fn day(n: i64) -> &'static str {
    let d = camau::fields::today() - time::Duration::days(n);
    Box::leak(d.to_string().into_boxed_str())
}

#[actix_web::test]
async fn the_dashboard_shows_each_figure_for_the_organisation_and_a_mentors_caseload() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    let welsh_mentor = app.account(Some(&org), Role::Mentor).await;
    let other_mentor = app.account(Some(&org), Role::Mentor).await;
    app.sql(&format!(
        "UPDATE accounts SET speaks_welsh = true WHERE id = '{}'",
        welsh_mentor.id
    ))
    .await;
    // Three people in area b: set 200 days ago, rated 2 then 5 (10 days ago); next review in
    // 20 days; each told a story 5 days ago. Welsh mentor; one took up the Active Offer.
    let a = Group::new(&org, admin.id, 3, AREA_B)
        .created(day(200))
        .rated(day(150), 2.0, Some(day(100)))
        .rated(day(10), 5.0, Some(day(-20)))
        .story(day(5))
        .insert(&app)
        .await;
    // Two people whose goals have no code and were never rated.
    let b = Group::new(&org, admin.id, 2, AREA_B)
        .uncoded()
        .created(day(30))
        .insert(&app)
        .await;
    // One person in area c, reviewed long ago and overdue, goal achieved 20 days ago.
    Group::new(&org, admin.id, 1, AREA_C)
        .created(day(500))
        .rated(day(400), 6.0, Some(day(300)))
        .achieved(day(20))
        .insert(&app)
        .await;
    // Support ended yesterday: not among people supported today.
    Group::new(&org, admin.id, 1, AREA_B)
        .support("2024-01-01", Some(day(1)))
        .insert(&app)
        .await;
    let assign = |people: &[Uuid], mentor: Uuid| {
        people
            .iter()
            .map(|p| {
                format!(
                    "INSERT INTO mentor_assignments (person_id, mentor_id, organisation_id) VALUES ('{p}', '{mentor}', '{}');",
                    org.id
                )
            })
            .collect::<String>()
    };
    app.sql(&(assign(&a, welsh_mentor.id) + &assign(&b, other_mentor.id)))
        .await;
    app.sql(&format!(
        "UPDATE people SET welsh_offered = true, welsh_accepted = true WHERE id = '{}'",
        a[0]
    ))
    .await;
    app.sql(&format!(
        "INSERT INTO circle_members (id, person_id, organisation_id, name, relationship) \
         VALUES ('{}', '{}', '{}', 'Mam', 'family')",
        Uuid::now_v7(),
        a[1],
        org.id
    ))
    .await;

    let path = format!("/v1/organisations/{}/dashboard", org.id);
    let d = app.get(&path).bearer(&admin.token).send().await.expect(200);
    assert_eq!(d["scope"], "organisation");
    assert_eq!(d["framework"]["key"], "wales-nof");
    assert_eq!(d["from"], day(90));
    assert_eq!(d["active_people"], 6);
    let caseload = |d: &Value, mentor: Uuid| {
        d["caseloads"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["mentor_id"] == mentor.to_string())
            .map(|c| {
                (
                    c["people"].as_i64().unwrap(),
                    c["speaks_welsh"].as_bool().unwrap(),
                )
            })
    };
    assert_eq!(caseload(&d, welsh_mentor.id), Some((3, true)));
    assert_eq!(caseload(&d, other_mentor.id), Some((2, false)));
    let goals = |d: &Value, code: Value| {
        let g = d["goals_by_area"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["code"] == code)
            .cloned()
            .unwrap();
        (
            g["active"].as_i64().unwrap(),
            g["achieved"].as_i64().unwrap(),
        )
    };
    assert_eq!(goals(&d, "b".into()), (3, 0));
    assert_eq!(goals(&d, "c".into()), (0, 1));
    assert_eq!(goals(&d, Value::Null), (2, 0), "goals with no NOF code");
    assert_eq!(d["goals_achieved"], 1);
    let progress = |d: &Value, code: &str| {
        d["distance_travelled"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["code"] == code)
            .cloned()
            .unwrap()
    };
    let pb = progress(&d, "b");
    // Period figures count everyone supported during the period: the person whose support
    // ended yesterday too.
    assert_eq!(pb["people"], 3 + 1);
    assert_eq!(pb["goals_set"], 0, "set before the period");
    assert_eq!(
        (pb["measured"].as_i64(), pb["improved"].as_i64()),
        (Some(3), Some(3))
    );
    assert_eq!(pb["improved_pct"], 100.0);
    assert_eq!(pb["worse_pct"], 0.0);
    assert_eq!(pb["median_change_pct"], 30.0);
    assert_eq!(pb["stories"], 3);
    let pc = progress(&d, "c");
    assert_eq!(
        (pc["people"].as_i64(), pc["measured"].as_i64()),
        (Some(1), Some(0))
    );
    assert_eq!(pc["improved_pct"], Value::Null);
    assert_eq!(pc["goals_achieved"], 1);
    assert_eq!(d["reviews"], json!({ "held": 3, "due": 3, "overdue": 1 }));
    assert_eq!(d["engagement"]["stories"], 3);
    // 3 stories / 6 people / (91 days / 30).
    assert_eq!(d["engagement"]["stories_per_person_per_month"], 0.16);
    assert_eq!(
        d["welsh"],
        json!({ "offered": 1, "accepted": 1, "accepted_with_welsh_speaking_mentor": 1, "preferring_welsh": 0 })
    );
    assert_eq!(
        d["data_quality"],
        json!({
            "goals_without_codes": 2,
            "people_without_recent_review": 2 + 1,
            "goals_without_baseline": 2,
            "people_without_circle": 5
        })
    );
    // No supported person's name or id is on it.
    let text = d.to_string();
    assert!(!text.contains("Someone"));
    assert!(a.iter().chain(&b).all(|p| !text.contains(&p.to_string())));

    // A mentor sees the same figures for their own caseload.
    let mine = app
        .get(&path)
        .bearer(&welsh_mentor.token)
        .send()
        .await
        .expect(200);
    assert_eq!(mine["scope"], "caseload");
    assert_eq!(mine["active_people"], 3);
    assert_eq!(mine["caseloads"].as_array().unwrap().len(), 1);
    assert_eq!(goals(&mine, "b".into()), (3, 0));
    assert!(
        mine["goals_by_area"]
            .as_array()
            .unwrap()
            .iter()
            .all(|g| !g["code"].is_null())
    );
    assert_eq!(mine["data_quality"]["goals_without_codes"], 0);
    assert_eq!(mine["reviews"]["overdue"], 0);
    assert_eq!(progress(&mine, "b")["improved"], 3);
}

/// Loads `people` demo people with `seed` into this test's database.
async fn demo(app: &TestApp, people: usize, seed: u64) -> camau::platform::demo::Summary {
    let mut connections = Vec::new();
    for _ in 0..2 {
        connections.push(
            AsyncPgConnection::establish(app.database_url())
                .await
                .unwrap(),
        );
    }
    let mut steps = Vec::new();
    let summary = camau::platform::demo::generate(
        connections,
        &app.shared.state.passwords,
        &camau::platform::demo::Options { people, seed },
        |done, total| steps.push((done, total)),
    )
    .await
    .unwrap();
    assert_eq!(
        steps.last(),
        Some(&(people, people)),
        "progress reaches the end"
    );
    summary
}

#[actix_web::test]
async fn demo_data_is_deterministic_complete_and_reportable() {
    let (one, two) = (TestApp::new().await, TestApp::new().await);
    let summary = demo(&one, 600, 42).await;
    demo(&two, 600, 42).await;
    // The same seed writes the same records.
    let fingerprint = "SELECT ('x' || substr(md5(string_agg(g.id::text || g.title || r.value::text, ',' \
                        ORDER BY g.id, r.review_id)), 1, 15))::bit(60)::bigint \
                        FROM goals g JOIN review_ratings r ON r.goal_id = g.id";
    assert_eq!(one.scalar(fingerprint).await, two.scalar(fingerprint).await);
    // What the issue asks of it: every scale rated, some goals never rated (no baseline),
    // some reviews overdue, some people without a circle, stories without photos, codes.
    for scale in ["distance_travelled", "goal_attainment", "review_outcome"] {
        assert!(
            one.scalar(&format!(
                "SELECT count(*) FROM review_ratings r JOIN goals g ON g.id = r.goal_id \
                 JOIN scales s ON s.id = g.scale_id WHERE s.code = '{scale}'"
            ))
            .await
                > 0,
            "{scale}"
        );
    }
    assert_eq!(one.scalar("SELECT count(*) FROM people").await, 600);
    // Loaded in bulk (sync notes and rollups written set-wise, not by the triggers): each record
    // has its sync note, and nothing else is noted.
    let notes = [
        ("assignment", "mentor_id", "mentor_assignments"),
        ("circle_member", "id", "circle_members"),
        ("goal", "id", "goals"),
        ("action", "id", "goal_actions"),
        ("review", "id", "reviews"),
        ("story", "id", "stories"),
    ];
    let mut records = 0;
    for (kind, key, table) in notes {
        let missing = one
            .scalar(&format!(
                "SELECT count(*) FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM sync_log l \
                 WHERE l.record_type = '{kind}' AND l.record_id = t.{key} AND l.op = 'upsert' \
                 AND l.person_id = t.person_id AND l.organisation_id = t.organisation_id)"
            ))
            .await;
        assert_eq!(missing, 0, "{table} without their sync notes");
        records += one.scalar(&format!("SELECT count(*) FROM {table}")).await;
    }
    assert_eq!(one.scalar("SELECT count(*) FROM sync_log").await, records);
    // Every goal and review has its rollup row, and the rollup answers what the definition does.
    assert_eq!(
        one.scalar("SELECT count(*) FROM goals g WHERE NOT EXISTS (SELECT 1 FROM kpi_goals k WHERE k.goal_id = g.id)").await
            + one.scalar("SELECT count(*) FROM reviews r WHERE NOT EXISTS (SELECT 1 FROM kpi_reviews k WHERE k.review_id = r.id)").await,
        0
    );
    let mut conn = one.shared.state.conn().await.unwrap();
    let scope = Scope {
        windows: vec![Window {
            organisation: summary.providers[0],
            from: camau::fields::today() - time::Duration::days(365),
            to: camau::fields::today(),
        }],
        mentor: None,
        for_commissioners: true,
    };
    let mut answers = Vec::new();
    for source in [figures::Source::Definition, figures::Source::Rollup] {
        let mut rows = figures::by_area_from(
            &mut conn,
            source,
            NOF.parse().unwrap(),
            &scope,
            &Dimension::ALL,
        )
        .await
        .unwrap();
        rows.sort_by_key(crate::rollups::key);
        answers.push(rows);
    }
    assert!(answers[0].len() > 20, "{} rows", answers[0].len());
    assert_eq!(answers[0].len(), answers[1].len());
    for (d, r) in answers[0].iter().zip(&answers[1]) {
        assert!(
            crate::rollups::same(d, r),
            "definition {d:?}\n rollup {r:?}"
        );
    }
    drop(conn);
    let goals = one.scalar("SELECT count(*) FROM goals").await;
    assert!((2_400..3_600).contains(&goals), "{goals} goals");
    assert!(one.scalar("SELECT count(*) FROM goals g WHERE NOT EXISTS (SELECT 1 FROM review_ratings r WHERE r.goal_id = g.id)").await > 0);
    assert!(one.scalar("SELECT count(*) FROM reviews r WHERE next_review_on < current_date AND NOT EXISTS (SELECT 1 FROM reviews l WHERE l.person_id = r.person_id AND l.held_on > r.held_on)").await > 0);
    assert!(one.scalar("SELECT count(*) FROM people p WHERE NOT EXISTS (SELECT 1 FROM circle_members c WHERE c.person_id = p.id)").await > 0);
    assert!(one.scalar("SELECT count(*) FROM stories").await > 0);
    assert_eq!(one.scalar("SELECT count(*) FROM photos").await, 0);
    assert!(
        one.scalar("SELECT count(DISTINCT area_id) FROM goal_codes")
            .await
            >= 6
    );
    assert!(
        one.scalar("SELECT count(*) FROM contracts WHERE ends_on IS NOT NULL")
            .await
            == 0,
        "one provider: its contract runs"
    );

    // The printed accounts sign in, and the commissioner's year report has figures.
    let commissioner = summary
        .accounts
        .iter()
        .find(|(what, _, _)| what == "commissioner")
        .unwrap();
    let signed = one
        .login(
            &commissioner.1,
            secrecy::ExposeSecret::expose_secret(&summary.password),
        )
        .await
        .expect(200);
    let token = signed["tokens"]["access_token"].as_str().unwrap();
    // The last month that has ended.
    let this_month = camau::fields::today().replace_day(1).unwrap();
    let to = this_month.previous_day().unwrap();
    let report = one
        .get(&format!(
            "/v1/commissioners/{}/reports/outcomes?from={}&to={to}",
            summary.commissioning_body,
            to.replace_day(1).unwrap()
        ))
        .bearer(token)
        .send()
        .await
        .expect(200);
    let supported: i64 = report["areas"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["total"]["people_supported"].as_i64())
        .sum();
    assert!(supported > 0, "{report}");
}

#[actix_web::test]
async fn a_person_who_says_no_to_commissioner_reports_is_left_out_of_them_from_the_next_report() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    let people = Group::new(&org, admin.id, 3, AREA_B)
        .rated("2025-01-05", 1.0, None)
        .rated("2025-02-05", 9.0, None)
        .insert(&app)
        .await;
    let scope = |for_commissioners| Scope {
        windows: vec![Window {
            organisation: org.id,
            from: date!(2025 - 01 - 01),
            to: date!(2025 - 06 - 30),
        }],
        mentor: None,
        for_commissioners,
    };
    let nof = Uuid::parse_str(NOF).unwrap();
    let people_in = |rows: Vec<AreaFigures>| find(&rows, "b", None).people;
    let mut conn = AsyncPgConnection::establish(app.database_url())
        .await
        .unwrap();
    let before = figures::by_area(&mut conn, nof, &scope(true), &[])
        .await
        .unwrap();
    assert_eq!(people_in(before), 3);
    app.post(&format!("/v1/people/{}/consents", people[0]))
        .bearer(&admin.token)
        .json(&json!({ "purpose": "commissioner_reports", "decision": "refused", "given_by": "person", "wording_version": "reports/2026-11" }))
        .send()
        .await
        .expect(201);
    let report = figures::by_area(&mut conn, nof, &scope(true), &[])
        .await
        .unwrap();
    assert_eq!(people_in(report), 2, "left out of commissioners' reports");
    let dashboard = figures::by_area(&mut conn, nof, &scope(false), &[])
        .await
        .unwrap();
    assert_eq!(people_in(dashboard), 3, "still counted on the dashboard");
}

#[actix_web::test]
async fn a_report_covers_a_whole_period_that_has_ended_and_an_account_pulls_a_few_a_day() {
    let app = TestApp::with_env(
        crate::support::TestEnv::default().set("CAMAU_QUOTA_REPORTS_PER_DAY", "3"),
    )
    .await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    let report = |from: &str, to: &str| {
        app.get(&format!(
            "/v1/organisations/{}/reports/outcomes?from={from}&to={to}&breakdown=age_band",
            org.id
        ))
        .bearer(&admin.token)
    };
    // Sweeping day by day (or any period a caller chooses) would show the day someone's
    // birthday crosses a band or their support starts: only whole periods are answered.
    let swept = report("2025-03-05", "2025-03-05").send().await;
    assert_eq!(
        swept.problem(400, "validation_failed")["errors"][0]["code"],
        "period_not_whole"
    );
    let week = report("2025-03-01", "2025-03-07").send().await;
    week.problem(400, "validation_failed");
    // A period that has not ended: its figures would still move day by day.
    let today = camau::fields::today();
    let this_month = today.replace_day(1).unwrap();
    let last_day = this_month
        .replace_day(this_month.month().length(this_month.year()))
        .unwrap();
    let open = report(&this_month.to_string(), &last_day.to_string())
        .send()
        .await;
    assert_eq!(
        open.problem(400, "validation_failed")["errors"][0]["code"],
        "period_not_ended"
    );
    // Refused requests spend nothing; three whole periods a day, then 429 until tomorrow.
    for (from, to) in [
        ("2025-01-01", "2025-12-31"),
        ("2025-04-01", "2026-03-31"),
        ("2025-07-01", "2025-09-30"),
    ] {
        report(from, to).send().await.expect(200);
    }
    let over = report("2025-02-01", "2025-02-28").send().await;
    over.problem(429, "rate_limited");
    let wait: u64 = over.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=86_400).contains(&wait), "{wait}");
}
