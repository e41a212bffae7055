//! The audit trail: every read and change of a person's record is one event naming who, with
//! which role, did what to which record of whose, when and in which request; the trail cannot
//! be changed; the person reads it in plain words; an admin filters and exports it.

use camau::auth::roles::Role;
use serde_json::{Value, json};

use crate::support::{Actor, Org, Person, TestApp};

struct Setup {
    app: TestApp,
    org: Org,
    admin: Actor,
    mentor: Actor,
    person: Person,
}

async fn setup() -> Setup {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    app.sql(&format!(
        "UPDATE accounts SET name = 'Alex' WHERE id = '{}'",
        mentor.id
    ))
    .await;
    let person = app.person(&org).await;
    app.assign(&person, &mentor, &org).await;
    Setup {
        app,
        org,
        admin,
        mentor,
        person,
    }
}

impl Setup {
    /// The events about the person, oldest first, read through the organisation's trail.
    async fn events(&self) -> Vec<Value> {
        let res = self
            .app
            .get(&format!(
                "/v1/organisations/{}/audit?person={}&limit=100",
                self.org.id, self.person.id
            ))
            .bearer(&self.admin.token)
            .send()
            .await
            .expect(200);
        let mut items = res["items"].as_array().unwrap().clone();
        items.reverse();
        items
    }

    /// The events added by `f`.
    async fn added_by<F: Future>(&self, f: F) -> Vec<Value> {
        let before = self.events().await.len();
        f.await;
        self.events().await.split_off(before)
    }
}

#[actix_web::test]
async fn each_read_and_each_change_is_one_event_with_who_what_whose_and_which_request() {
    let s = setup().await;
    let app = &s.app;
    let person = s.person.id;

    // A read: one event, with the server's request id and, beside it, the one the caller sent.
    let mut ours = String::new();
    let added = s
        .added_by(async {
            let res = app
                .get(&format!("/v1/people/{person}/goals"))
                .bearer(&s.mentor.token)
                .header("x-request-id", "read-goals-1")
                .send()
                .await;
            ours = res.header("x-request-id").unwrap().to_owned();
            res.expect(200);
        })
        .await;
    assert_eq!(added.len(), 1, "{added:?}");
    let e = &added[0];
    assert_eq!(e["action"], "goals.viewed");
    assert_eq!(e["actor"]["account_id"], s.mentor.id.to_string());
    assert_eq!(e["actor"]["role"], "mentor");
    assert_eq!(e["actor"]["name"], "Alex");
    assert_eq!(e["person_id"], person.to_string());
    assert_eq!(e["subject_type"], "person");
    assert_eq!(e["subject_id"], person.to_string());
    assert_eq!(e["request_id"], ours);
    assert_ne!(e["request_id"], "read-goals-1");
    assert_eq!(e["client_request_id"], "read-goals-1");
    assert!(e["at"].as_str().is_some());

    // A change: one event, written with it, and no read event for the same request.
    let mut goal = None;
    let added = s
        .added_by(async {
            let g = app
                .post(&format!("/v1/people/{person}/goals"))
                .bearer(&s.mentor.token)
                .json(&json!({ "title": "Cook a meal for my sister" }))
                .send()
                .await
                .expect(201);
            goal = Some(g["id"].as_str().unwrap().to_owned());
        })
        .await;
    let goal = goal.unwrap();
    assert_eq!(added.len(), 1, "{added:?}");
    assert_eq!(added[0]["action"], "goal.created");
    assert_eq!(added[0]["subject_type"], "goal");
    assert_eq!(added[0]["subject_id"], goal);
    assert_eq!(added[0]["actor"]["role"], "mentor");

    // A read of one record names it.
    let added = s
        .added_by(async {
            app.get(&format!("/v1/goals/{goal}"))
                .bearer(&s.person.account.token)
                .send()
                .await
                .expect(200);
        })
        .await;
    assert_eq!(added.len(), 1, "{added:?}");
    assert_eq!(added[0]["action"], "goals.viewed");
    assert_eq!(added[0]["subject_type"], "goal");
    assert_eq!(added[0]["subject_id"], goal);
    assert_eq!(added[0]["actor"]["role"], "person");

    // A refused or failed request leaves nothing: nothing was shown or changed.
    let stranger_org = app.provider().await;
    let stranger = app.admin(&stranger_org).await;
    let added = s
        .added_by(async {
            app.get(&format!("/v1/people/{person}/goals"))
                .bearer(&stranger.token)
                .send()
                .await
                .problem(404, "not_found");
            app.post(&format!("/v1/people/{person}/goals"))
                .bearer(&s.mentor.token)
                .json(&json!({ "title": "" }))
                .send()
                .await
                .expect(400);
        })
        .await;
    assert!(added.is_empty(), "{added:?}");

    // Other parts of the record, read and changed.
    let tag = app
        .get(&format!("/v1/people/{person}/profile"))
        .bearer(&s.mentor.token)
        .send()
        .await
        .header("etag")
        .unwrap()
        .to_owned();
    let added = s
        .added_by(async {
            app.put(&format!("/v1/people/{person}/profile"))
                .bearer(&s.person.account.token)
                .header("if-match", &tag)
                .json(&json!({ "sections": { "important_to_me": { "text": "My dog" } } }))
                .send()
                .await
                .expect(200);
        })
        .await;
    let actions: Vec<_> = added.iter().map(|e| e["action"].clone()).collect();
    assert_eq!(actions, vec![json!("profile.updated")]);
    let last = s.events().await;
    let profile_read = &last[last.len() - 2];
    assert_eq!(profile_read["action"], "profile.viewed");
}

#[actix_web::test]
async fn the_trail_cannot_be_changed_or_emptied_by_the_services_own_role() {
    let s = setup().await;
    s.app
        .get(&format!("/v1/people/{}/goals", s.person.id))
        .bearer(&s.mentor.token)
        .send()
        .await
        .expect(200);
    let before = s.app.scalar("SELECT count(*) FROM audit_events").await;
    assert!(before >= 1);
    let mut conn = s.app.shared.state.conn().await.unwrap();
    for sql in [
        "UPDATE audit_events SET action = 'nothing.happened'",
        "DELETE FROM audit_events",
        "TRUNCATE audit_events",
    ] {
        let err = diesel_async::RunQueryDsl::execute(diesel::sql_query(sql), &mut conn)
            .await
            .expect_err(sql);
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    drop(conn);
    assert_eq!(
        s.app.scalar("SELECT count(*) FROM audit_events").await,
        before
    );
    assert_eq!(
        s.app
            .scalar("SELECT count(*) FROM audit_events WHERE action = 'nothing.happened'")
            .await,
        0
    );
}

#[actix_web::test]
async fn every_table_about_a_person_refuses_a_change_without_its_event() {
    let s = setup().await;
    // The schema walk: every table with a `person_id` (and `people`) carries the check, but
    // the trail itself and the outcome rollups, derived rows written only by the refresh
    // triggers of tables that carry it (migration 000024).
    let uncovered = s
        .app
        .scalar(
            "SELECT count(*) FROM information_schema.columns c
               JOIN information_schema.tables t USING (table_schema, table_name)
              WHERE c.table_schema = current_schema() AND c.column_name = 'person_id'
                AND t.table_type = 'BASE TABLE'
                AND c.table_name NOT IN ('audit_events', 'kpi_goals', 'kpi_reviews')
                AND NOT EXISTS (SELECT 1 FROM information_schema.triggers g
                                 WHERE g.event_object_schema = c.table_schema
                                   AND g.event_object_table = c.table_name
                                   AND g.trigger_name = 'audit_required')",
        )
        .await;
    assert_eq!(uncovered, 0, "a table about people without the audit check");
    assert_eq!(
        s.app
            .scalar(
                "SELECT count(DISTINCT event_manipulation) FROM information_schema.triggers
                  WHERE event_object_table = 'people' AND trigger_name = 'audit_required'"
            )
            .await,
        3
    );
    // And it bites: a change with no event does not commit.
    let mut conn = s.app.shared.state.conn().await.unwrap();
    let err = diesel_async::RunQueryDsl::execute(
        diesel::sql_query(format!(
            "UPDATE people SET preferred_name = 'Changed quietly' WHERE id = '{}'",
            s.person.id
        )),
        &mut conn,
    )
    .await
    .expect_err("an unaudited change");
    assert!(err.to_string().contains("without its audit event"), "{err}");
    drop(conn);
    assert_eq!(
        s.app
            .scalar("SELECT count(*) FROM people WHERE preferred_name = 'Changed quietly'")
            .await,
        0
    );
}

#[actix_web::test]
async fn the_person_reads_who_saw_their_record_in_plain_words_page_by_page() {
    let s = setup().await;
    let app = &s.app;
    let person = s.person.id;
    for _ in 0..3 {
        app.get(&format!("/v1/people/{person}/goals"))
            .bearer(&s.mentor.token)
            .send()
            .await
            .expect(200);
    }
    app.post(&format!("/v1/people/{person}/goals"))
        .bearer(&s.mentor.token)
        .json(&json!({ "title": "Catch the bus to college" }))
        .send()
        .await
        .expect(201);
    let log_path = format!("/v1/people/{person}/access-log");
    let page = app
        .get(&format!("{log_path}?limit=2"))
        .bearer(&s.person.account.token)
        .send()
        .await
        .expect(200);
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["summary"], "Your mentor Alex added a goal");
    assert_eq!(items[1]["summary"], "Your mentor Alex viewed your goals");
    let cursor = page["next_cursor"].as_str().unwrap();
    let rest = app
        .get(&format!("{log_path}?limit=100&cursor={cursor}"))
        .bearer(&s.person.account.token)
        .send()
        .await
        .expect(200);
    let rest = rest["items"].as_array().unwrap();
    assert!(
        rest.iter()
            .all(|e| e["id"] != items[0]["id"] && e["id"] != items[1]["id"])
    );
    assert_eq!(
        rest.iter()
            .filter(|e| e["action"] == "goals.viewed")
            .count(),
        2
    );
    // In Welsh.
    let cy = app
        .get(&format!("{log_path}?limit=1"))
        .bearer(&s.person.account.token)
        .header("accept-language", "cy")
        .send()
        .await
        .expect(200);
    // The newest is the person's own read of the log, a moment ago.
    assert_eq!(
        cy["items"][0]["summary"],
        "Gwelwyd pwy sydd wedi gweld eich cofnod gennych chi"
    );
    // Admins and coordinators read it; a mentor and a supporter do not.
    app.get(&log_path)
        .bearer(&s.admin.token)
        .send()
        .await
        .expect(200);
    app.get(&log_path)
        .bearer(&s.mentor.token)
        .send()
        .await
        .problem(403, "forbidden");
}

#[actix_web::test]
async fn a_safeguarding_concern_shows_in_the_access_log_and_the_trail_to_safeguarding_leads_only() {
    let s = setup().await;
    let app = &s.app;
    let person = s.person.id;
    app.sql(&format!(
        "INSERT INTO audit_events (id, organisation_id, actor_account_id, actor_role, person_id, action, subject_type, subject_id) \
         VALUES ('{}', '{}', '{}', 'mentor', '{person}', 'concern.raised', 'concern', NULL)",
        uuid::Uuid::now_v7(),
        s.org.id,
        s.mentor.id
    ))
    .await;
    let own = app
        .get(&format!("/v1/people/{person}/access-log?limit=100"))
        .bearer(&s.person.account.token)
        .send()
        .await
        .expect(200);
    assert!(
        own["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["action"] != "concern.raised")
    );
    // Only a safeguarding lead sees that a concern was raised.
    let shows = |res: Value| {
        res["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "concern.raised")
    };
    let log = format!("/v1/people/{person}/access-log?limit=100");
    let admin = app
        .get(&log)
        .bearer(&s.admin.token)
        .send()
        .await
        .expect(200);
    assert!(!shows(admin), "an admin who is not a safeguarding lead");
    // The organisation's trail, as JSON and as CSV, follows the same rule.
    let trail = format!("/v1/organisations/{}/audit?limit=100", s.org.id);
    let csv = async || {
        let res = app
            .get(&trail)
            .bearer(&s.admin.token)
            .header("accept", "text/csv")
            .send()
            .await;
        assert_eq!(res.status.as_u16(), 200);
        res.text()
    };
    let json = app
        .get(&trail)
        .bearer(&s.admin.token)
        .send()
        .await
        .expect(200);
    assert!(!shows(json), "the trail to an admin who is not a lead");
    assert!(!csv().await.contains("concern.raised"), "the CSV likewise");
    app.sql(&format!(
        "UPDATE accounts SET safeguarding_lead = true WHERE id = '{}'",
        s.admin.id
    ))
    .await;
    let lead = app
        .get(&log)
        .bearer(&s.admin.token)
        .send()
        .await
        .expect(200);
    assert!(shows(lead), "a safeguarding lead");
    let json = app
        .get(&trail)
        .bearer(&s.admin.token)
        .send()
        .await
        .expect(200);
    assert!(shows(json), "the trail to a lead");
    assert!(csv().await.contains("concern.raised"), "the CSV to a lead");
}

#[actix_web::test]
async fn an_admin_filters_the_organisations_trail_and_exports_it_as_csv() {
    let s = setup().await;
    let app = &s.app;
    let other = app.person(&s.org).await;
    app.assign(&other, &s.mentor, &s.org).await;
    let started = time::OffsetDateTime::now_utc();
    for p in [s.person.id, other.id] {
        app.get(&format!("/v1/people/{p}/goals"))
            .bearer(&s.mentor.token)
            .send()
            .await
            .expect(200);
    }
    app.get(&format!("/v1/people/{}/goals", s.person.id))
        .bearer(&s.admin.token)
        .send()
        .await
        .expect(200);
    let base = format!("/v1/organisations/{}/audit", s.org.id);
    let from = started
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let q = |extra: &str| format!("{base}?from={}&limit=100{extra}", from.replace('+', "%2B"));
    let by_mentor = app
        .get(&q(&format!("&actor={}", s.mentor.id)))
        .bearer(&s.admin.token)
        .send()
        .await
        .expect(200);
    assert_eq!(by_mentor["items"].as_array().unwrap().len(), 2);
    let about_other = app
        .get(&q(&format!("&person={}", other.id)))
        .bearer(&s.admin.token)
        .send()
        .await
        .expect(200);
    let about_other = about_other["items"].as_array().unwrap();
    assert_eq!(about_other.len(), 1);
    assert_eq!(about_other[0]["person_id"], other.id.to_string());
    // Nothing before the start.
    let before = app
        .get(&format!(
            "{base}?to={}&actor={}",
            from.replace('+', "%2B"),
            s.mentor.id
        ))
        .bearer(&s.admin.token)
        .send()
        .await
        .expect(200);
    assert_eq!(before["items"].as_array().unwrap().len(), 0);

    // CSV: every match, parsed as an auditor's tool would.
    let csv = app
        .get(&q(""))
        .bearer(&s.admin.token)
        .header("accept", "text/csv")
        .send()
        .await;
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    let text = csv.text();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[5], "action");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| &r[5] == "goals.viewed"));
    assert!(rows.iter().any(|r| &r[3] == "Alex" && &r[4] == "mentor"));
    // The export is itself on the trail.
    assert_eq!(
        app.scalar("SELECT count(*) FROM audit_events WHERE action = 'audit.exported'")
            .await,
        1
    );
    // A bad period is a clear 400.
    app.get(&format!("{base}?from=yesterday"))
        .bearer(&s.admin.token)
        .send()
        .await
        .expect(400);
    // A coordinator does not read the whole trail.
    let coordinator = app.account(Some(&s.org), Role::Coordinator).await;
    app.get(&base)
        .bearer(&coordinator.token)
        .send()
        .await
        .problem(403, "forbidden");
}

#[actix_web::test]
async fn a_feed_page_is_a_read_of_each_person_it_shows() {
    let s = setup().await;
    let app = &s.app;
    let other = app.person(&s.org).await;
    app.assign(&other, &s.mentor, &s.org).await;
    for p in [&s.person, &other] {
        app.post(&format!("/v1/people/{}/stories", p.id))
            .bearer(&p.account.token)
            .json(&json!({ "body": "A good day", "audience": "circle" }))
            .send()
            .await
            .expect(201);
    }
    let before = app
        .scalar("SELECT count(*) FROM audit_events WHERE action = 'feed.viewed'")
        .await;
    app.get("/v1/me/feed")
        .bearer(&s.mentor.token)
        .send()
        .await
        .expect(200);
    for p in [&s.person, &other] {
        assert_eq!(
            app.scalar(&format!(
                "SELECT count(*) FROM audit_events WHERE action = 'feed.viewed' \
                 AND person_id = '{}' AND actor_account_id = '{}'",
                p.id, s.mentor.id
            ))
            .await,
            1
        );
    }
    assert_eq!(
        app.scalar("SELECT count(*) FROM audit_events WHERE action = 'feed.viewed'")
            .await,
        before + 2
    );
}

#[actix_web::test]
async fn reads_at_once_each_have_their_event_and_a_read_whose_event_fails_is_withheld() {
    let s = setup().await;
    let app = &s.app;
    let goals = format!("/v1/people/{}/goals", s.person.id);

    // Fifty reads at once: written together by the group commit, each exactly once, each with
    // its own request.
    let reads = (0..50).map(|i| {
        app.get(&goals)
            .bearer(&s.mentor.token)
            .header("x-request-id", &format!("burst-{i}"))
            .send()
    });
    for res in futures_util::future::join_all(reads).await {
        res.expect(200);
    }
    let burst = "FROM audit_events WHERE client_request_id LIKE 'burst-%'";
    assert_eq!(app.scalar(&format!("SELECT count(*) {burst}")).await, 50);
    assert_eq!(
        app.scalar(&format!(
            "SELECT count(DISTINCT (client_request_id, request_id)) {burst} \
             AND action = 'goals.viewed'"
        ))
        .await,
        50
    );

    // The trail refuses the event: the read is withheld (503, retry), never served unrecorded.
    app.sql(
        "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS \
         $$ BEGIN RAISE EXCEPTION 'refused'; END $$; \
         CREATE TRIGGER refuse BEFORE INSERT ON audit_events FOR EACH ROW \
         WHEN (NEW.action = 'goals.viewed') EXECUTE FUNCTION refuse()",
    )
    .await;
    let refused = app.get(&goals).bearer(&s.mentor.token).send().await;
    refused.problem(503, "service_unavailable");
    assert!(refused.header("retry-after").is_some());
    assert!(!refused.text().contains("items"), "{}", refused.text());
    app.sql("DROP TRIGGER refuse ON audit_events").await;
    app.get(&goals)
        .bearer(&s.mentor.token)
        .send()
        .await
        .expect(200);
}
