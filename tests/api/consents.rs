//! Consents: who decided what, on which wording, replaced and withdrawn; a "no" takes effect
//! on the circle's very next request (stories, photos, feed) and on commissioner reports.

use camau::auth::roles::Role;
use serde_json::{Value, json};

use crate::support::{Actor, Org, Person, TestApp};

struct Circle {
    app: TestApp,
    admin: Actor,
    mentor: Actor,
    person: Person,
    supporter: Actor,
    story: String,
    photo: String,
}

async fn circle() -> Circle {
    let app = TestApp::new().await;
    let org: Org = app.provider().await;
    let admin = app.admin(&org).await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    let person = app.person(&org).await;
    app.assign(&person, &mentor, &org).await;
    let (_, supporter) = app.supporter(&person, &org, true).await;
    let story = app
        .post(&format!("/v1/people/{}/stories", person.id))
        .bearer(&person.account.token)
        .json(&json!({ "body": "At the beach", "lang": "en", "audience": "circle" }))
        .send()
        .await
        .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let jpeg = crate::support::image("clean.jpg");
    let photo = app
        .post(&format!("/v1/stories/{story}/photos"))
        .bearer(&person.account.token)
        .raw("image/jpeg", jpeg)
        .send()
        .await
        .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    Circle {
        app,
        admin,
        mentor,
        person,
        supporter,
        story,
        photo,
    }
}

impl Circle {
    fn consents(&self) -> String {
        format!("/v1/people/{}/consents", self.person.id)
    }

    async fn record(&self, token: &str, body: Value) -> crate::support::Res {
        self.app
            .post(&self.consents())
            .bearer(token)
            .json(&body)
            .send()
            .await
    }

    async fn state(&self, purpose: &str) -> Value {
        let list = self
            .app
            .get(&self.consents())
            .bearer(&self.admin.token)
            .send()
            .await
            .expect(200);
        list["purposes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["purpose"] == purpose)
            .unwrap()
            .clone()
    }

    /// What the supporter sees of the story: (its photos, the feed item's photo count).
    async fn supporter_sees(&self) -> (Option<usize>, Option<i64>) {
        let story = self
            .app
            .get(&format!("/v1/stories/{}", self.story))
            .bearer(&self.supporter.token)
            .send()
            .await;
        let photos =
            (story.status == 200).then(|| story.json()["photos"].as_array().unwrap().len());
        let feed = self
            .app
            .get(&format!("/v1/people/{}/feed", self.person.id))
            .bearer(&self.supporter.token)
            .send()
            .await
            .expect(200);
        let item = feed["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["story"]["id"] == self.story.as_str())
            .map(|i| i["story"]["photo_count"].as_i64().unwrap());
        (photos, item)
    }
}

#[actix_web::test]
async fn a_decision_records_who_made_it_on_which_wording_and_replaces_the_last() {
    let c = circle().await;
    assert_eq!(c.state("circle_photos").await["state"], "not_recorded");
    assert_eq!(c.state("circle_photos").await["in_effect"], true);
    // Staff record a parent's consent, as such.
    let given = c
        .record(
            &c.admin.token,
            json!({ "purpose": "circle_photos", "decision": "given", "given_by": "parent", "wording_version": "circle-photos/2026-11" }),
        )
        .await
        .expect(201);
    assert_eq!(given["given_by"], "parent");
    assert_eq!(given["audience"], "circle");
    assert_eq!(given["recorded_by"]["account_id"], c.admin.id.to_string());
    assert_eq!(given["wording_version"], "circle-photos/2026-11");
    assert_eq!(given["current"], true);
    // A best-interests decision is recorded as staff's, never as the person's.
    c.record(
        &c.admin.token,
        json!({ "purpose": "contact", "decision": "given", "given_by": "best_interests", "wording_version": "contact/1" }),
    )
    .await
    .expect(201);
    // The person records only their own decisions.
    c.record(
        &c.person.account.token,
        json!({ "purpose": "circle_photos", "decision": "refused", "given_by": "parent", "wording_version": "v1" }),
    )
    .await
    .problem(400, "validation_failed");
    let refused = c
        .record(
            &c.person.account.token,
            json!({ "purpose": "circle_photos", "decision": "refused", "given_by": "person", "wording_version": "circle-photos/2026-11" }),
        )
        .await
        .expect(201);
    let state = c.state("circle_photos").await;
    assert_eq!(state["state"], "refused");
    assert_eq!(state["in_effect"], false);
    assert_eq!(state["consent_id"], refused["id"]);
    let list = c
        .app
        .get(&c.consents())
        .bearer(&c.mentor.token)
        .send()
        .await
        .expect(200);
    let records = list["records"].as_array().unwrap();
    assert_eq!(records.len(), 3);
    let old = records.iter().find(|r| r["id"] == given["id"]).unwrap();
    assert_eq!(old["current"], false, "replaced, kept as history");
    // A refusal is not withdrawn (only a consent given is).
    c.app
        .post(&format!(
            "/v1/consents/{}/withdraw",
            refused["id"].as_str().unwrap()
        ))
        .bearer(&c.person.account.token)
        .send()
        .await
        .problem(409, "conflict");
    // Bad input is a clear 400; mentors read but do not record.
    c.record(
        &c.admin.token,
        json!({ "purpose": "commissioner_reports", "audience": "circle", "decision": "given", "given_by": "person", "wording_version": "" }),
    )
    .await
    .problem(400, "validation_failed");
    c.record(
        &c.mentor.token,
        json!({ "purpose": "contact", "decision": "given", "given_by": "person", "wording_version": "v1" }),
    )
    .await
    .problem(403, "forbidden");
    // Every decision is on the trail.
    assert_eq!(
        c.app
            .scalar("SELECT count(*) FROM audit_events WHERE subject_type = 'consent'")
            .await,
        3
    );
}

#[actix_web::test]
async fn withdrawing_photo_consent_hides_the_photos_from_the_circle_on_the_next_request() {
    let c = circle().await;
    let given = c
        .record(
            &c.person.account.token,
            json!({ "purpose": "circle_photos", "decision": "given", "given_by": "person", "wording_version": "circle-photos/2026-11" }),
        )
        .await
        .expect(201);
    let photo = format!("/v1/photos/{}", c.photo);
    assert_eq!(c.supporter_sees().await, (Some(1), Some(1)));
    let shown = c.app.get(&photo).bearer(&c.supporter.token).send().await;
    assert_eq!(shown.status, 200);

    let withdraw = format!("/v1/consents/{}/withdraw", given["id"].as_str().unwrap());
    let withdrawn = c
        .app
        .post(&withdraw)
        .bearer(&c.person.account.token)
        .send()
        .await
        .expect(200);
    assert!(withdrawn["withdrawn_at"].as_str().is_some());
    assert_eq!(
        withdrawn["withdrawn_by"]["account_id"],
        c.person.account.id.to_string()
    );
    // The same supporter token, the next request: the story without its photos.
    assert_eq!(c.supporter_sees().await, (Some(0), Some(0)));
    c.app
        .get(&photo)
        .bearer(&c.supporter.token)
        .send()
        .await
        .problem(404, "not_found");
    // Staff and the person still see them.
    for token in [&c.mentor.token, &c.person.account.token] {
        assert_eq!(c.app.get(&photo).bearer(token).send().await.status, 200);
    }
    // A retried withdrawal answers the same, and writes nothing more.
    let again = c
        .app
        .post(&withdraw)
        .bearer(&c.person.account.token)
        .send()
        .await
        .expect(200);
    assert_eq!(again["withdrawn_at"], withdrawn["withdrawn_at"]);
    assert_eq!(
        c.app
            .scalar("SELECT count(*) FROM audit_events WHERE action = 'consent.withdrawn'")
            .await,
        1
    );
    assert_eq!(c.state("circle_photos").await["state"], "withdrawn");
    // Giving it again shows them again.
    c.record(
        &c.person.account.token,
        json!({ "purpose": "circle_photos", "decision": "given", "given_by": "person", "wording_version": "circle-photos/2026-11" }),
    )
    .await
    .expect(201);
    assert_eq!(c.supporter_sees().await, (Some(1), Some(1)));
}

#[actix_web::test]
async fn refusing_story_consent_hides_the_stories_from_the_circle_on_the_next_request() {
    let c = circle().await;
    assert_eq!(c.supporter_sees().await, (Some(1), Some(1)));
    c.record(
        &c.admin.token,
        json!({ "purpose": "circle_stories", "decision": "refused", "given_by": "appointee", "wording_version": "circle-stories/2026-11" }),
    )
    .await
    .expect(201);
    assert_eq!(c.supporter_sees().await, (None, None));
    // (This supporter may contribute, so reads back their own stories: there are none.)
    let listed = c
        .app
        .get(&format!("/v1/people/{}/stories", c.person.id))
        .bearer(&c.supporter.token)
        .send()
        .await
        .expect(200);
    assert_eq!(listed["items"], json!([]));
    c.app
        .get(&format!("/v1/stories/{}", c.story))
        .bearer(&c.mentor.token)
        .send()
        .await
        .expect(200);
}

#[actix_web::test]
async fn parallel_decisions_for_one_purpose_leave_exactly_one_current() {
    let c = circle().await;
    let sends = (0..20).map(|i| {
        c.record(
            &c.admin.token,
            json!({ "purpose": "contact", "decision": if i % 2 == 0 { "given" } else { "refused" }, "given_by": "person", "wording_version": "contact/1" }),
        )
    });
    let results = futures_util::future::join_all(sends).await;
    for r in &results {
        assert!(
            r.status == 201 || r.status == 409,
            "{} {:?}",
            r.status,
            r.text()
        );
    }
    assert!(results.iter().any(|r| r.status == 201));
    assert_eq!(
        c.app
            .scalar(&format!(
                "SELECT count(*) FROM consents WHERE person_id = '{}' AND purpose = 'contact' AND current",
                c.person.id
            ))
            .await,
        1
    );
}
