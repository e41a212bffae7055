//! Data rights: an export holds everything about the person (every table, found by walking
//! the schema) with their photos and a summary in their language; erasure takes two steps
//! and leaves no row about the person and no object in storage (checked on the S3 test
//! server); a hold refuses erasure with its reason; retention erases who is due and keeps
//! who is held.

use std::io::Read;

use camau::auth::roles::Role;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::s3::{S3TestServer, SECRET_KEY};
use crate::support::{Actor, Org, Person, TestApp};

struct Record {
    org: Org,
    admin: Actor,
    mentor: Actor,
    person: Person,
    supporter: Actor,
    goal: String,
    photo: String,
}

/// A person with a little of everything: a goal with a step, a profile, a story with a
/// photo, a review, a consent, a circle member with a login, a comment.
async fn record(app: &TestApp) -> Record {
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    let person = app.person(&org).await;
    app.assign(&person, &mentor, &org).await;
    app.sql(&format!(
        "UPDATE people SET preferred_language = 'cy' WHERE id = '{}'",
        person.id
    ))
    .await;
    let (_, supporter) = app.supporter(&person, &org, true).await;
    let token = &person.account.token;
    let p = person.id;
    let goal = app
        .post(&format!("/v1/people/{p}/goals"))
        .bearer(token)
        .json(&json!({ "title": "Dysgu nofio", "lang": "cy" }))
        .send()
        .await
        .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.post(&format!("/v1/goals/{goal}/actions"))
        .bearer(&mentor.token)
        .json(&json!({ "description": "Book a lesson", "owner": "person" }))
        .send()
        .await
        .expect(201);
    let tag = app
        .get(&format!("/v1/people/{p}/profile"))
        .bearer(token)
        .send()
        .await
        .header("etag")
        .unwrap()
        .to_owned();
    app.put(&format!("/v1/people/{p}/profile"))
        .bearer(token)
        .header("if-match", &tag)
        .json(&json!({ "sections": { "important_to_me": { "text": "Fy nghi", "lang": "cy" } } }))
        .send()
        .await
        .expect(200);
    let story = app
        .post(&format!("/v1/people/{p}/stories"))
        .bearer(token)
        .json(&json!({ "body": "Nofiais i!", "lang": "cy", "audience": "circle" }))
        .send()
        .await
        .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let jpeg = crate::support::image("clean.jpg");
    let photo = app
        .post(&format!("/v1/stories/{story}/photos"))
        .bearer(token)
        .raw("image/jpeg", jpeg)
        .send()
        .await
        .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.post(&format!("/v1/stories/{story}/comments"))
        .bearer(&supporter.token)
        .json(&json!({ "body": "Da iawn!", "lang": "cy" }))
        .send()
        .await
        .expect(201);
    app.post(&format!("/v1/people/{p}/reviews"))
        .bearer(&mentor.token)
        .json(&json!({ "held_on": "2026-11-01", "person_took_part": true, "whats_working": "Swimming" }))
        .send()
        .await
        .expect(201);
    app.post(&format!("/v1/people/{p}/consents"))
        .bearer(token)
        .json(&json!({ "purpose": "circle_photos", "decision": "given", "given_by": "person", "wording_version": "v1" }))
        .send()
        .await
        .expect(201);
    Record {
        org,
        admin,
        mentor,
        person,
        supporter,
        goal,
        photo,
    }
}

/// Every table with a `person_id` column, from the catalogue.
async fn person_tables(app: &TestApp) -> Vec<String> {
    #[derive(diesel::QueryableByName)]
    struct T {
        #[diesel(sql_type = diesel::sql_types::Text)]
        t: String,
    }
    let mut conn = app.shared.state.conn().await.unwrap();
    let rows: Vec<T> = diesel_async::RunQueryDsl::load(
        diesel::sql_query(
            "SELECT c.table_name::text AS t FROM information_schema.columns c
               JOIN information_schema.tables t USING (table_schema, table_name)
              WHERE c.table_schema = current_schema() AND c.column_name = 'person_id'
                AND t.table_type = 'BASE TABLE' ORDER BY 1",
        ),
        &mut conn,
    )
    .await
    .unwrap();
    rows.into_iter().map(|r| r.t).collect()
}

async fn export_zip(app: &TestApp, token: &str, person: Uuid) -> Vec<u8> {
    let started = app
        .post(&format!("/v1/people/{person}/exports"))
        .bearer(token)
        .send()
        .await
        .expect(202);
    // Pending, or ready when one was made for the person today (answered again).
    assert!(
        started["status"] == "pending" || started["status"] == "ready",
        "{started}"
    );
    let path = format!("/v1/exports/{}", started["id"].as_str().unwrap());
    let mut status = Value::Null;
    for _ in 0..200 {
        status = app.get(&path).bearer(token).send().await.expect(200);
        if status["status"] != "pending" {
            break;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(status["status"], "ready", "{status}");
    let res = app
        .get(&path)
        .bearer(token)
        .header("accept", "application/zip")
        .send()
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(res.header("content-type"), Some("application/zip"));
    res.body.to_vec()
}

/// `record.json` of an export's ZIP.
fn record_json(zip: Vec<u8>) -> Value {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut json = String::new();
    archive
        .by_name("record.json")
        .unwrap()
        .read_to_string(&mut json)
        .unwrap();
    serde_json::from_str(&json).unwrap()
}

#[actix_web::test]
async fn an_export_holds_every_table_about_the_person_their_photos_and_a_summary_in_welsh() {
    let app = TestApp::new().await;
    let r = record(&app).await;
    let zip = export_zip(&app, &r.person.account.token, r.person.id).await;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut json = String::new();
    archive
        .by_name("record.json")
        .unwrap()
        .read_to_string(&mut json)
        .unwrap();
    let record: Value = serde_json::from_str(&json).unwrap();
    // Completeness: every table with a person_id is in the export (a new table is found by
    // the same walk) or named as withheld, with the rows that are about the person.
    let withheld: Vec<&str> = record["withheld"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    for table in person_tables(&app).await {
        assert!(
            record.get(&table).is_some() != withheld.contains(&table.as_str()),
            "{table} is neither in the export nor named as withheld"
        );
    }
    // Withheld from the person's copy: safeguarding concerns, holds, staff's private notes.
    for w in ["concerns", "legal_holds", "reviews.staff_notes"] {
        assert!(withheld.contains(&w), "{w}");
    }
    assert!(record["reviews"][0].get("staff_notes").is_none());
    for (table, at_least) in [
        ("goals", 1),
        ("goal_actions", 1),
        ("profile_entries", 1),
        ("stories", 1),
        ("photos", 1),
        ("comments", 1),
        ("reviews", 1),
        ("consents", 1),
        ("circle_members", 1),
        ("mentor_assignments", 1),
        ("activities", 1),
        ("audit_events", 1),
        ("people", 1),
        ("accounts", 1),
    ] {
        let n = record[table].as_array().map_or(0, Vec::len);
        assert!(n >= at_least, "{table}: {n} rows");
    }
    for table in ["people", "goals", "photos"] {
        for row in record[table].as_array().unwrap() {
            let id = row.get("person_id").or_else(|| row.get("id")).unwrap();
            if table == "people" {
                assert_eq!(id, &json!(r.person.id));
            } else {
                assert_eq!(id, &json!(r.person.id), "{table} row of someone else");
            }
        }
    }
    assert_eq!(record["goals"][0]["id"], r.goal);
    // No secrets: no hash, sealed token or PIN.
    assert!(!json.contains("_hash\"") && !json.contains("_sealed\""));
    // The photo, as stored (already stripped of metadata).
    let mut photo = Vec::new();
    archive
        .by_name(&format!("photos/{}.jpg", r.photo))
        .unwrap()
        .read_to_end(&mut photo)
        .unwrap();
    assert!(photo.starts_with(&[0xFF, 0xD8]));
    // The summary, in Welsh, with the plan and the story.
    let mut summary = String::new();
    archive
        .by_name("summary.md")
        .unwrap()
        .read_to_string(&mut summary)
        .unwrap();
    assert!(summary.contains("## Fy nodau"), "{summary}");
    assert!(summary.contains("Dysgu nofio") && summary.contains("Book a lesson"));
    assert!(summary.contains("Nofiais i!") && summary.contains("Fy nghi"));
    // Audited: asked for and downloaded.
    for action in ["export.requested", "export.downloaded"] {
        assert_eq!(
            app.scalar(&format!(
                "SELECT count(*) FROM audit_events WHERE action = '{action}' AND person_id = '{}'",
                r.person.id
            ))
            .await,
            1,
            "{action}"
        );
    }
    // Staff other than admins, and supporters, do not export.
    for token in [&r.mentor.token, &r.supporter.token] {
        app.post(&format!("/v1/people/{}/exports", r.person.id))
            .bearer(token)
            .send()
            .await
            .problem(403, "forbidden");
    }
    // An admin exports for the person.
    let by_admin = export_zip(&app, &r.admin.token, r.person.id).await;
    assert!(!by_admin.is_empty());
}

#[actix_web::test]
async fn erasure_takes_two_steps_and_leaves_no_row_about_the_person_and_no_object_in_s3() {
    let s3 = S3TestServer::start().await;
    let app = TestApp::with_env(s3.env(SECRET_KEY)).await;
    let r = record(&app).await;
    let other = app.person(&r.org).await;
    let p = r.person.id;
    export_zip(&app, &r.person.account.token, p).await;
    assert!(!s3.keys(&format!("photos/{}/", r.photo)).is_empty());
    assert!(!s3.keys("exports/").is_empty());
    let account = r.person.account.id;

    // Step one: what would go, and a code. Nothing goes yet.
    let step = app
        .delete(&format!("/v1/people/{p}"))
        .bearer(&r.admin.token)
        .send()
        .await
        .expect(202);
    assert!(step["rows"]["goals"].as_i64().unwrap() >= 1);
    let code = step["confirmation"].as_str().unwrap().to_owned();
    // A wrong code, a mentor, a supporter: refused; still all there.
    app.delete(&format!("/v1/people/{p}?confirmation=WRONG-CODE"))
        .bearer(&r.admin.token)
        .send()
        .await
        .problem(409, "erasure_confirmation_invalid");
    app.delete(&format!("/v1/people/{p}?confirmation={code}"))
        .bearer(&r.mentor.token)
        .send()
        .await
        .problem(403, "forbidden");
    assert_eq!(
        app.scalar(&format!(
            "SELECT count(*) FROM goals WHERE person_id = '{p}'"
        ))
        .await,
        1
    );

    // Step two.
    let res = app
        .delete(&format!("/v1/people/{p}?confirmation={code}"))
        .bearer(&r.admin.token)
        .send()
        .await;
    assert_eq!(res.status, 204, "{}", res.text());

    // Nothing about the person in any table (the schema walk), but the audit trail.
    for table in person_tables(&app).await {
        let n = app
            .scalar(&format!(
                "SELECT count(*) FROM \"{table}\" WHERE person_id = '{p}'"
            ))
            .await;
        if table == "audit_events" {
            assert!(n > 0, "the trail keeps its events");
        } else {
            assert_eq!(n, 0, "{table} still holds rows about the erased person");
        }
    }
    assert_eq!(
        app.scalar(&format!("SELECT count(*) FROM people WHERE id = '{p}'"))
            .await,
        0
    );
    assert_eq!(
        app.scalar(&format!(
            "SELECT count(*) FROM accounts WHERE id = '{account}'"
        ))
        .await,
        0,
        "the person's own sign-in goes"
    );
    // No object left in storage: photos (every size) and exports.
    assert!(s3.keys(&format!("photos/{}/", r.photo)).is_empty());
    assert!(s3.keys("exports/").is_empty());
    // Kept: de-identified counts, and the event.
    assert_eq!(
        app.scalar(&format!(
            "SELECT count(*) FROM erasures WHERE organisation_id = '{}' AND (counts->>'goals')::int >= 1",
            r.org.id
        ))
        .await,
        1
    );
    assert_eq!(
        app.scalar(&format!(
            "SELECT count(*) FROM audit_events WHERE action = 'person.erased' AND person_id = '{p}' AND actor_account_id = '{}'",
            r.admin.id
        ))
        .await,
        1
    );
    // The person's token no longer works; the code cannot be used again; others untouched.
    app.get("/v1/me")
        .bearer(&r.person.account.token)
        .send()
        .await
        .problem(401, "unauthenticated");
    app.delete(&format!("/v1/people/{p}?confirmation={code}"))
        .bearer(&r.admin.token)
        .send()
        .await
        .problem(404, "not_found");
    assert_eq!(
        app.scalar(&format!(
            "SELECT count(*) FROM people WHERE id = '{}'",
            other.id
        ))
        .await,
        1
    );
}

#[actix_web::test]
async fn a_hold_refuses_erasure_with_its_reason_until_it_is_lifted() {
    let app = TestApp::new().await;
    let r = record(&app).await;
    let p = r.person.id;
    let holds = format!("/v1/people/{p}/holds");
    let step = app
        .delete(&format!("/v1/people/{p}"))
        .bearer(&r.admin.token)
        .send()
        .await
        .expect(202);
    let code = step["confirmation"].as_str().unwrap().to_owned();
    let hold = app
        .post(&holds)
        .bearer(&r.admin.token)
        .json(&json!({ "reason": "safeguarding" }))
        .send()
        .await
        .expect(201);
    let refused = app
        .delete(&format!("/v1/people/{p}?confirmation={code}"))
        .bearer(&r.admin.token)
        .send()
        .await
        .problem(409, "legal_hold");
    assert_eq!(refused["errors"][0]["code"], "safeguarding");
    app.delete(&format!("/v1/people/{p}"))
        .bearer(&r.admin.token)
        .send()
        .await
        .problem(409, "legal_hold");
    // The database refuses too, whatever the code asks.
    let mut conn = app.shared.state.conn().await.unwrap();
    let err = diesel_async::SimpleAsyncConnection::batch_execute(
        &mut *conn,
        &format!(
            "BEGIN; SELECT set_config('camau.audited', 'on', true); \
             DELETE FROM people WHERE id = '{p}'; COMMIT;"
        ),
    )
    .await
    .expect_err("a held person deleted");
    assert!(err.to_string().contains("legal hold"), "{err}");
    let _ = diesel_async::SimpleAsyncConnection::batch_execute(&mut *conn, "ROLLBACK").await;
    drop(conn);
    assert_eq!(
        app.scalar(&format!("SELECT count(*) FROM people WHERE id = '{p}'"))
            .await,
        1
    );
    // Listed; only admins.
    let list = app
        .get(&holds)
        .bearer(&r.admin.token)
        .send()
        .await
        .expect(200);
    assert_eq!(list["items"][0]["reason"], "safeguarding");
    app.get(&holds)
        .bearer(&r.mentor.token)
        .send()
        .await
        .problem(403, "forbidden");
    // Lifted (twice: the same answer), then erasure goes ahead.
    let lift = format!("{holds}/{}", hold["id"].as_str().unwrap());
    let lifted = app
        .delete(&lift)
        .bearer(&r.admin.token)
        .send()
        .await
        .expect(200);
    let again = app
        .delete(&lift)
        .bearer(&r.admin.token)
        .send()
        .await
        .expect(200);
    assert_eq!(lifted["lifted_at"], again["lifted_at"]);
    for action in ["hold.placed", "hold.lifted"] {
        assert_eq!(
            app.scalar(&format!(
                "SELECT count(*) FROM audit_events WHERE action = '{action}'"
            ))
            .await,
            1,
            "{action}"
        );
    }
    let res = app
        .delete(&format!("/v1/people/{p}?confirmation={code}"))
        .bearer(&r.admin.token)
        .send()
        .await;
    assert_eq!(res.status, 204, "{}", res.text());
}

#[actix_web::test]
async fn retention_erases_who_is_due_and_keeps_who_is_held_or_not_yet_due() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    app.patch(&format!("/v1/organisations/{}", org.id))
        .bearer(&admin.token)
        .json(&json!({ "retention_months": 96 }))
        .send()
        .await
        .expect(200);
    // Its 30 days' grace (tested below) are over.
    app.sql(&format!(
        "UPDATE organisations SET retention_effective_at = now() - interval '1 second' WHERE id = '{}'",
        org.id
    ))
    .await;
    let due = app.person(&org).await;
    let held = app.person(&org).await;
    let recent = app.person(&org).await;
    let current = app.person(&org).await;
    // Ended in 2017 (and recorded then); ended a month ago; and backdated to 2017 just now,
    // which waits the whole period from now.
    let backdated = app.person(&org).await;
    app.sql(&format!(
        "UPDATE people SET support_started_on = '2010-01-04', support_ended_on = '2017-01-31' \
           WHERE id IN ('{0}', '{1}', '{3}');
         UPDATE people SET support_ended_recorded_at = '2017-02-01' WHERE id IN ('{0}', '{1}');
         UPDATE people SET support_ended_on = current_date - 30 WHERE id = '{2}'",
        due.id, held.id, recent.id, backdated.id
    ))
    .await;
    app.post(&format!("/v1/people/{}/holds", held.id))
        .bearer(&admin.token)
        .json(&json!({ "reason": "litigation" }))
        .send()
        .await
        .expect(201);
    let state = &app.shared.state;
    let mut conn = state.conn().await.unwrap();
    let dry = camau::trust::retention::run(&mut conn, &state.storage, true)
        .await
        .unwrap();
    let listed: Vec<Uuid> = dry.due.iter().map(|d| d.person_id).collect();
    assert_eq!(listed.len(), 2);
    assert!(listed.contains(&due.id) && listed.contains(&held.id));
    assert_eq!((dry.erased, dry.held), (0, 1));
    assert_eq!(
        app.scalar("SELECT count(*) FROM people").await,
        5,
        "a dry run erases nothing"
    );
    let done = camau::trust::retention::run(&mut conn, &state.storage, false)
        .await
        .unwrap();
    assert_eq!((done.erased, done.held, done.failed), (1, 1, 0));
    drop(conn);
    for (p, there) in [
        (&due, 0),
        (&held, 1),
        (&recent, 1),
        (&current, 1),
        (&backdated, 1),
    ] {
        assert_eq!(
            app.scalar(&format!(
                "SELECT count(*) FROM people WHERE id = '{}'",
                p.id
            ))
            .await,
            there
        );
    }
    // The same trail as a manual erasure, by the service.
    assert_eq!(
        app.scalar(&format!(
            "SELECT count(*) FROM audit_events WHERE action = 'person.erased' AND person_id = '{}' \
             AND actor_account_id IS NULL AND details->>'reason' = 'retention'",
            due.id
        ))
        .await,
        1
    );
    assert_eq!(
        app.scalar("SELECT count(*) FROM erasures WHERE reason = 'retention'")
            .await,
        1
    );
}

#[actix_web::test]
async fn erasure_removes_the_stored_replay_of_the_request_that_created_the_person() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    let create = || {
        app.post("/v1/people")
            .bearer(&admin.token)
            .header("idempotency-key", "create-ffion-1")
            .json(&json!({
                "preferred_name": "Ffion Erased",
                "service_type": "other",
                "support_started_on": "2026-01-01"
            }))
    };
    let person = create().send().await.expect(201)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let stored = format!(
        "SELECT count(*) FROM idempotency_keys WHERE account_id = '{}' AND status IS NOT NULL",
        admin.id
    );
    assert_eq!(app.scalar(&stored).await, 1, "the create's answer is kept");
    // It names the person (kept beside it), and so would an answer made under any other check:
    // one made under none at all stands in for those.
    assert_eq!(
        app.scalar(&format!(
            "SELECT count(*) FROM idempotency_keys WHERE '{person}' = ANY (mentions)"
        ))
        .await,
        1
    );
    app.sql(&format!(
        "INSERT INTO idempotency_keys (account_id, key_hash, request_hash, status, checks, lease_until, mentions) \
         VALUES ('{}', '\\x01', '\\x01', 201, '[]', now(), ARRAY['{person}'::uuid])",
        admin.id
    ))
    .await;
    assert_eq!(app.scalar(&stored).await, 2);
    let code = app
        .delete(&format!("/v1/people/{person}"))
        .bearer(&admin.token)
        .send()
        .await
        .expect(202)["confirmation"]
        .as_str()
        .unwrap()
        .to_owned();
    app.delete(&format!("/v1/people/{person}?confirmation={code}"))
        .bearer(&admin.token)
        .send()
        .await
        .expect(204);
    // The answer that named the person is gone with them: a retry of the same request shows
    // nothing of the erased person.
    assert_eq!(app.scalar(&stored).await, 0, "no stored answer about them");
    let again = create().send().await;
    assert!(!again.text().contains(&person), "{}", again.text());
}

#[actix_web::test]
async fn nothing_the_person_sees_or_exports_says_a_concern_was_raised_or_by_whom() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    let cai = app.person(&org).await;
    let (_, mam) = app.supporter(&cai, &org, true).await;
    let (_, friend) = app.supporter(&cai, &org, true).await;
    let story = app.story(&cai).await;
    let comment = app.comment(&friend, &story).await;
    for item in [
        json!({ "comment_id": comment }),
        json!({ "story_id": story }),
    ] {
        app.post("/v1/concerns")
            .bearer(&mam.token)
            .json(&item)
            .send()
            .await
            .expect(201);
    }

    // The safeguarding lead is told; other staff and the person are not (their story and the
    // comment look as they did).
    let hidden = async |token: &str| {
        let s = app
            .get(&format!("/v1/stories/{story}"))
            .bearer(token)
            .send()
            .await
            .expect(200);
        let c = app
            .get(&format!("/v1/stories/{story}/comments"))
            .bearer(token)
            .send()
            .await
            .expect(200);
        (s["hidden"].clone(), c["items"][0]["hidden"].clone())
    };
    assert_eq!(hidden(&admin.token).await, (json!(false), json!(false)));
    app.sql(&format!(
        "UPDATE accounts SET safeguarding_lead = true WHERE id = '{}'",
        admin.id
    ))
    .await;
    assert_eq!(hidden(&admin.token).await, (json!(true), json!(true)));
    assert_eq!(
        hidden(&cai.account.token).await,
        (json!(false), json!(false))
    );
    let feed = app
        .get(&format!("/v1/people/{}/feed", cai.id))
        .bearer(&cai.account.token)
        .send()
        .await
        .expect(200);
    assert!(
        feed["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["comment_hidden"] != true),
        "{feed}"
    );

    // The export: no raiser on the comment, no trace of the hiding, the sync log withheld.
    let record = record_json(export_zip(&app, &cai.account.token, cai.id).await);
    let comments = record["comments"].as_array().unwrap();
    assert_eq!(comments.len(), 1);
    assert!(comments[0]["hidden_by"].is_null(), "{}", comments[0]);
    assert!(comments[0].get("hidden_at").is_none(), "{}", comments[0]);
    let stories = record["stories"].as_array().unwrap();
    assert!(stories[0].get("hidden_at").is_none(), "{}", stories[0]);
    assert!(record.get("sync_log").is_none());
    for table in ["comments", "stories", "activities", "audit_events"] {
        let text = record[table].to_string();
        assert!(
            !text.contains("concern"),
            "{table} tells of the concern: {text}"
        );
    }
    for table in ["comments", "stories", "activities"] {
        let text = record[table].to_string();
        assert!(
            !text.contains(&mam.id.to_string()),
            "{table} names who raised it: {text}"
        );
    }
}

#[actix_web::test]
async fn an_export_ready_today_is_answered_again_and_a_person_gets_few_a_day() {
    let app = TestApp::with_env(
        crate::support::TestEnv::default().set("CAMAU_QUOTA_EXPORTS_PER_DAY", "1"),
    )
    .await;
    let r = record(&app).await;
    let (token, p) = (&r.person.account.token, r.person.id);
    export_zip(&app, token, p).await;
    let ask = || {
        app.post(&format!("/v1/people/{p}/exports"))
            .bearer(token)
            .send()
    };
    // Asked again (a second tap, or the admin for them) within the day: the same, ready.
    let again = ask().await.expect(202);
    assert_eq!(again["status"], "ready");
    let admin = app
        .post(&format!("/v1/people/{p}/exports"))
        .bearer(&r.admin.token)
        .send()
        .await
        .expect(202);
    assert_eq!(admin["id"], again["id"]);
    assert_eq!(
        app.scalar(&format!(
            "SELECT count(*) FROM exports WHERE person_id = '{p}'"
        ))
        .await,
        1
    );
    // A day later a new one would be built, but the person's one a day is spent.
    app.sql(&format!(
        "UPDATE exports SET ready_at = now() - interval '25 hours' WHERE person_id = '{p}'"
    ))
    .await;
    let over = ask().await;
    over.problem(429, "rate_limited");
    assert!(over.header("retry-after").is_some());
    // Nothing of it is left on the server's disk.
    let left = std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .contains(&again["id"].as_str().unwrap().to_string())
        })
        .count();
    assert_eq!(left, 0);
}

#[actix_web::test]
async fn a_shorter_retention_period_lists_who_it_would_erase_and_waits_its_grace_period() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    let settings = |months: i64| {
        app.patch(&format!("/v1/organisations/{}", org.id))
            .bearer(&admin.token)
            .json(&json!({ "retention_months": months }))
            .send()
    };
    // Ten years where there was no limit: sooner than never, so it waits too (nobody to list).
    let first = settings(120).await.expect(200);
    assert_eq!(first["retention_would_erase"], json!([]));
    app.sql(&format!(
        "UPDATE organisations SET retention_effective_at = NULL WHERE id = '{}'",
        org.id
    ))
    .await;
    // Ended (and recorded) five years ago, and a year ago.
    let old = app.person(&org).await;
    let young = app.person(&org).await;
    app.sql(&format!(
        "UPDATE people SET support_started_on = current_date - 3000 WHERE id IN ('{0}', '{1}');
         UPDATE people SET support_ended_on = current_date - 1826 WHERE id = '{0}';
         UPDATE people SET support_ended_on = current_date - 365 WHERE id = '{1}';
         UPDATE people SET support_ended_recorded_at = now() - interval '1826 days' WHERE id = '{0}';
         UPDATE people SET support_ended_recorded_at = now() - interval '365 days' WHERE id = '{1}'",
        old.id, young.id
    ))
    .await;
    // Shortened to two years by mistake: the answer lists who would go, and when.
    let shorter = settings(24).await.expect(200);
    assert_eq!(shorter["retention_months"], 24);
    let would: Vec<&str> = shorter["retention_would_erase"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["person_id"].as_str().unwrap())
        .collect();
    assert_eq!(would, [old.id.to_string()]);
    let at = time::OffsetDateTime::parse(
        shorter["retention_takes_effect_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let days = (at - time::OffsetDateTime::now_utc()).whole_days();
    assert!((29..=30).contains(&days), "{days}");
    // Nobody is erased meanwhile (the ten years it replaced still hold), and asking again
    // does not start the grace period afresh.
    let state = &app.shared.state;
    let mut conn = state.conn().await.unwrap();
    let pass = camau::trust::retention::run(&mut conn, &state.storage, false)
        .await
        .unwrap();
    assert_eq!((pass.due.len(), pass.erased), (0, 0));
    let again = settings(24).await.expect(200);
    assert_eq!(
        again["retention_takes_effect_at"],
        shorter["retention_takes_effect_at"]
    );
    // Once the grace period is over, it applies.
    app.sql(&format!(
        "UPDATE organisations SET retention_effective_at = now() - interval '1 second' WHERE id = '{}'",
        org.id
    ))
    .await;
    let pass = camau::trust::retention::run(&mut conn, &state.storage, false)
        .await
        .unwrap();
    assert_eq!(pass.erased, 1);
    drop(conn);
    assert_eq!(
        app.scalar(&format!(
            "SELECT count(*) FROM people WHERE id IN ('{}', '{}')",
            old.id, young.id
        ))
        .await,
        1
    );
}

#[actix_web::test]
async fn the_persons_own_hiding_of_a_comment_a_concern_hid_holds_when_the_concern_is_restored() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let lead = app.account(Some(&org), Role::Coordinator).await;
    app.sql(&format!(
        "UPDATE accounts SET safeguarding_lead = true WHERE id = '{}'",
        lead.id
    ))
    .await;
    let cai = app.person(&org).await;
    let (_, mam) = app.supporter(&cai, &org, true).await;
    let (_, friend) = app.supporter(&cai, &org, true).await;
    let story = app.story(&cai).await;
    let comment = app.comment(&friend, &story).await;
    let concern = app
        .post("/v1/concerns")
        .bearer(&mam.token)
        .json(&json!({ "comment_id": comment }))
        .send()
        .await
        .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Cai hides it too: it says so, as any hiding of theirs would.
    let hidden = app
        .post(&format!("/v1/comments/{comment}/hide"))
        .bearer(&cai.account.token)
        .send()
        .await
        .expect(200);
    assert_eq!(hidden["hidden"], true);
    // The concern is restored: Cai's own hiding stands; the circle does not see it.
    app.patch(&format!("/v1/concerns/{concern}"))
        .bearer(&lead.token)
        .json(&json!({ "status": "restored" }))
        .send()
        .await
        .expect(200);
    let seen = app
        .get(&format!("/v1/stories/{story}/comments"))
        .bearer(&mam.token)
        .send()
        .await
        .expect(200);
    assert_eq!(seen["items"], json!([]), "{seen}");
}

#[actix_web::test]
async fn ten_taps_at_once_start_one_export() {
    let app = TestApp::with_env(
        crate::support::TestEnv::default()
            .set("CAMAU_DB_POOL_SIZE", "16")
            .set("CAMAU_DB_POOL_TIMEOUT_MS", "20000"),
    )
    .await;
    let org = app.provider().await;
    let cai = app.person(&org).await;
    let taps = (0..10).map(|_| {
        app.post(&format!("/v1/people/{}/exports", cai.id))
            .bearer(&cai.account.token)
            .send()
    });
    let answers = futures_util::future::join_all(taps).await;
    let ids: std::collections::BTreeSet<String> = answers
        .iter()
        .map(|a| a.expect(202)["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 1, "{ids:?}");
}
