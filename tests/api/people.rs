//! People: records, mentors, supported sign-in and ended support.

use camau::auth::roles::Role;
use serde_json::json;

use crate::support::{Org, TestApp};

async fn create_person(app: &TestApp, token: &str, body: serde_json::Value) -> serde_json::Value {
    app.post("/v1/people")
        .bearer(token)
        .json(&body)
        .send()
        .await
        .expect(201)
}

async fn etag(app: &TestApp, token: &str, path: &str) -> String {
    app.get(path)
        .bearer(token)
        .send()
        .await
        .header("etag")
        .expect("etag")
        .to_owned()
}

#[actix_web::test]
async fn coordinators_create_people_with_mentors_and_text_is_kept_exactly() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let coord = app.account(Some(&org), Role::Coordinator).await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    let person = create_person(
        &app,
        &coord.token,
        json!({
            "preferred_name": "Siân 🌟",
            "legal_name": "Siân Llŷr ap Dafydd",
            "date_of_birth": "2009-03-01",
            "pronouns": "hi/ei",
            "preferred_language": "cy",
            "welsh_offered": true,
            "welsh_accepted": true,
            "communication_needs": ["easy_read", "symbols", "easy_read"],
            "service_type": "childrens_services",
            "support_started_on": "2026-01-05",
            "mentor_ids": [mentor.id],
        }),
    )
    .await;
    let id = person["id"].as_str().unwrap();
    let read = app
        .get(&format!("/v1/people/{id}"))
        .bearer(&mentor.token)
        .send()
        .await
        .expect(200);
    assert_eq!(read["preferred_name"], "Siân 🌟");
    assert_eq!(read["details"]["legal_name"], "Siân Llŷr ap Dafydd");
    assert_eq!(read["details"]["preferred_language"], "cy");
    assert_eq!(read["details"]["welsh_accepted"], true);
    assert_eq!(
        read["details"]["communication_needs"],
        json!(["easy_read", "symbols"])
    );
    let caseload = app
        .get("/v1/me/caseload")
        .bearer(&mentor.token)
        .send()
        .await
        .expect(200);
    assert_eq!(caseload["items"][0]["id"], id);
    let mentors = app
        .get(&format!("/v1/people/{id}/mentors"))
        .bearer(&coord.token)
        .send()
        .await
        .expect(200);
    assert_eq!(mentors["items"][0]["id"], mentor.id.to_string());
}

#[actix_web::test]
async fn invalid_people_are_refused_with_every_field_named() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    let other_org_mentor = app.account(Some(&app.provider().await), Role::Mentor).await;
    let body = app
        .post("/v1/people")
        .bearer(&admin.token)
        .json(&json!({
            "preferred_name": "",
            "date_of_birth": "2100-01-01",
            "welsh_offered": false,
            "welsh_accepted": true,
            "service_type": "other",
            "support_started_on": "2026-01-05",
        }))
        .send()
        .await
        .problem(400, "validation_failed");
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["/preferred_name", "/date_of_birth", "/welsh_accepted"]
    );
    app.post("/v1/people")
        .bearer(&admin.token)
        .json(&json!({ "preferred_name": "A", "service_type": "other", "support_started_on": "2026-01-05", "mentor_ids": [other_org_mentor.id] }))
        .send()
        .await
        .problem(400, "validation_failed");
}

#[actix_web::test]
async fn unassigning_a_mentor_ends_their_access_on_the_next_request() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let coord = app.account(Some(&org), Role::Coordinator).await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    let other = app.account(Some(&org), Role::Mentor).await;
    let person = app.person(&org).await;
    app.assign(&person, &mentor, &org).await;
    let path = format!("/v1/people/{}", person.id);
    app.get(&path)
        .bearer(&mentor.token)
        .send()
        .await
        .expect(200);
    app.put(&format!("{path}/mentors"))
        .bearer(&coord.token)
        .json(&json!({ "mentor_ids": [other.id] }))
        .send()
        .await
        .expect(200);
    app.get(&path)
        .bearer(&mentor.token)
        .send()
        .await
        .problem(404, "not_found");
    app.get(&path).bearer(&other.token).send().await.expect(200);
}

#[actix_web::test]
async fn mentors_and_the_person_change_only_what_they_may() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    let person = app.person(&org).await;
    app.assign(&person, &mentor, &org).await;
    let path = format!("/v1/people/{}", person.id);
    let tag = etag(&app, &mentor.token, &path).await;
    app.patch(&path)
        .bearer(&mentor.token)
        .header("if-match", &tag)
        .json(&json!({ "legal_name": "Changed" }))
        .send()
        .await
        .problem(403, "forbidden");
    let me = &person.account.token;
    app.patch(&path)
        .bearer(me)
        .header("if-match", &tag)
        .json(&json!({ "service_type": "other" }))
        .send()
        .await
        .problem(403, "forbidden");
    let updated = app
        .patch(&path)
        .bearer(me)
        .header("if-match", &tag)
        .json(&json!({ "preferred_name": "Cai", "communication_needs": ["large_text"] }))
        .send()
        .await
        .expect(200);
    assert_eq!(updated["preferred_name"], "Cai");
    app.patch(&path)
        .bearer(&mentor.token)
        .header("if-match", &tag)
        .json(&json!({ "pronouns": "he/him" }))
        .send()
        .await
        .problem(412, "precondition_failed");
    let tag = etag(&app, &mentor.token, &path).await;
    let body = app
        .patch(&path)
        .bearer(&mentor.token)
        .header("if-match", &tag)
        .json(&json!({ "welsh_accepted": true }))
        .send()
        .await
        .problem(400, "validation_failed");
    assert_eq!(body["errors"][0]["field"], "/welsh_accepted");
}

async fn end_support(
    app: &TestApp,
    token: &str,
    person: uuid::Uuid,
    on: serde_json::Value,
) -> serde_json::Value {
    let path = format!("/v1/people/{person}");
    let tag = etag(app, token, &path).await;
    app.patch(&path)
        .bearer(token)
        .header("if-match", &tag)
        .json(&json!({ "support_ended_on": on }))
        .send()
        .await
        .expect(200)
}

#[actix_web::test]
async fn ended_support_is_read_only_until_reopened() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let coord = app.account(Some(&org), Role::Coordinator).await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    let person = app.person(&org).await;
    app.assign(&person, &mentor, &org).await;
    end_support(&app, &coord.token, person.id, json!("2026-02-01")).await;
    let goals = format!("/v1/people/{}/goals", person.id);
    app.get(&goals)
        .bearer(&mentor.token)
        .send()
        .await
        .expect(200);
    app.post(&goals)
        .bearer(&mentor.token)
        .json(&json!({ "title": "New" }))
        .send()
        .await
        .problem(409, "support_ended");
    app.post(&goals)
        .bearer(&person.account.token)
        .json(&json!({ "title": "New" }))
        .send()
        .await
        .problem(409, "support_ended");
    end_support(&app, &coord.token, person.id, json!(null)).await;
    app.post(&goals)
        .bearer(&mentor.token)
        .json(&json!({ "title": "New" }))
        .send()
        .await
        .expect(201);
}

async fn redeem(app: &TestApp, code: &str, secret: &str) -> crate::support::Res {
    app.post("/v1/device-codes/redeem")
        .json(&json!({ "code": code, "secret": secret }))
        .send()
        .await
}

#[actix_web::test]
async fn a_device_code_gives_the_person_their_own_pin_login_once() {
    let app = TestApp::new().await;
    let org: Org = app.provider().await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    let coord = app.account(Some(&org), Role::Coordinator).await;
    let created = create_person(
        &app,
        &coord.token,
        json!({ "preferred_name": "Elis", "service_type": "work_support", "support_started_on": "2026-03-01", "mentor_ids": [mentor.id] }),
    )
    .await;
    let person = created["id"].as_str().unwrap().to_owned();
    let code = app
        .post(&format!("/v1/people/{person}/device-codes"))
        .bearer(&mentor.token)
        .send()
        .await
        .expect(201)["code"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(code.len(), 9);
    redeem(&app, &code, "123456")
        .await
        .problem(400, "password_too_weak");
    let signed_in = redeem(&app, &code.to_lowercase(), "480137")
        .await
        .expect(201);
    let device_key = signed_in["device_key"].as_str().unwrap().to_owned();
    assert_eq!(signed_in["person_id"], person.to_string());
    let token = signed_in["tokens"]["access_token"].as_str().unwrap();
    let me = app.get("/v1/me").bearer(token).send().await.expect(200);
    assert_eq!(me["account"]["role"], "person");
    assert!(me["account"]["email"].is_null());
    // Everything the phone needs next comes from the answers: its person id is in both.
    assert_eq!(me["person"]["id"], person.to_string());
    assert_eq!(signed_in["role"], "person");
    app.get(&format!("/v1/people/{person}"))
        .bearer(token)
        .send()
        .await
        .expect(200);
    redeem(&app, &code, "480137")
        .await
        .problem(409, "device_code_invalid");

    let login = |key: &str, secret: &str| {
        app.post("/v1/auth/person-login")
            .json(&json!({ "device_key": key, "secret": secret }))
    };
    login(&device_key, "480137").send().await.expect(200);
    login(&device_key, "999999")
        .send()
        .await
        .problem(401, "invalid_credentials");
    // The PIN alone, or with the account id a supporter could see, signs nobody in.
    login("not-a-device-key", "480137")
        .send()
        .await
        .problem(401, "invalid_credentials");
    let account = signed_in["account_id"].as_str().unwrap();
    app.post("/v1/auth/person-login")
        .json(&json!({ "account_id": account, "secret": "480137" }))
        .send()
        .await
        .problem(400, "invalid_json");
    // Issuing is audited.
    let read = app
        .get(&format!("/v1/people/{person}"))
        .bearer(&coord.token)
        .send()
        .await
        .expect(200);
    assert_eq!(read["details"]["has_login"], true);
    let mut conn = app.shared.state.conn().await.unwrap();
    let n: i64 = diesel_async::RunQueryDsl::get_result(
        diesel::QueryDsl::count(diesel::QueryDsl::filter(
            camau::db::schema::audit_events::table,
            diesel::ExpressionMethods::eq(
                camau::db::schema::audit_events::action,
                "person.device_code_issued",
            ),
        )),
        &mut conn,
    )
    .await
    .unwrap();
    assert_eq!(n, 1);
}
