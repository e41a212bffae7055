//! What a phone app needs after signing in, found from the answers alone: who am I, my
//! circles, my PIN, and reads that cost nothing when nothing changed.

use serde_json::json;

use crate::support::TestApp;

#[actix_web::test]
async fn a_person_reaches_their_goals_using_only_what_the_responses_say() {
    let app = TestApp::new().await;
    let (person, _, signed_in) = app.person_with_pin().await;
    assert_eq!(signed_in["role"], "person");
    let token = signed_in["tokens"]["access_token"].as_str().unwrap();
    let me = app.get("/v1/me").bearer(token).send().await.expect(200);
    assert_eq!(me["person"]["id"], signed_in["person_id"]);
    assert_eq!(me["person"]["id"], person.to_string());
    assert_eq!(me["person"]["preferred_language"], "en");
    let goals = format!("/v1/people/{}/goals", me["person"]["id"].as_str().unwrap());
    app.get(&goals).bearer(token).send().await.expect(200);
}

#[actix_web::test]
async fn a_supporter_lists_their_circles_page_by_page_and_can_leave_one() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let (ann, bryn) = (app.person(&org).await, app.person(&org).await);
    let (first, sup) = app.supporter(&ann, &org, true).await;
    // The same account joins a second circle.
    let second = uuid::Uuid::now_v7();
    app.sql(&format!(
        "INSERT INTO circle_members (id, person_id, organisation_id, name, relationship, \
           can_see_goals, account_id) VALUES ('{second}', '{}', '{}', 'Sam', 'friend', false, '{}')",
        bryn.id, org.id, sup.id
    ))
    .await;
    let page = app
        .get("/v1/me/circles?limit=1")
        .bearer(&sup.token)
        .send()
        .await
        .expect(200);
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["items"][0]["member_id"], first.to_string());
    assert_eq!(page["items"][0]["person_id"], ann.id.to_string());
    assert_eq!(page["items"][0]["person_preferred_name"], ann.name);
    assert_eq!(page["items"][0]["grants"]["goals"], true);
    let cursor = page["next_cursor"].as_str().unwrap();
    let rest = app
        .get(&format!("/v1/me/circles?limit=1&cursor={cursor}"))
        .bearer(&sup.token)
        .send()
        .await
        .expect(200);
    assert_eq!(rest["items"][0]["person_id"], bryn.id.to_string());
    assert_eq!(rest["items"][0]["grants"]["goals"], false);
    assert!(rest["next_cursor"].is_null());

    // Staff and people are in no circle.
    let admin = app.admin(&org).await;
    let none = app
        .get("/v1/me/circles")
        .bearer(&admin.token)
        .send()
        .await
        .expect(200);
    assert_eq!(none["items"], json!([]));

    // Leaving: someone else's membership is not theirs to end; their own is, once.
    let (other_member, _) = app.supporter(&ann, &org, true).await;
    app.delete(&format!("/v1/me/circles/{other_member}"))
        .bearer(&sup.token)
        .send()
        .await
        .problem(404, "not_found");
    let goals = format!("/v1/people/{}/goals", ann.id);
    app.get(&goals).bearer(&sup.token).send().await.expect(200);
    app.delete(&format!("/v1/me/circles/{first}"))
        .bearer(&sup.token)
        .send()
        .await
        .expect(204);
    app.get(&goals)
        .bearer(&sup.token)
        .send()
        .await
        .problem(404, "not_found");
    app.delete(&format!("/v1/me/circles/{first}"))
        .bearer(&sup.token)
        .send()
        .await
        .problem(404, "not_found");
    let left = app
        .get("/v1/me/circles")
        .bearer(&sup.token)
        .send()
        .await
        .expect(200);
    assert_eq!(left["items"].as_array().unwrap().len(), 1);
    assert_eq!(left["items"][0]["person_id"], bryn.id.to_string());
}

async fn person_login(app: &TestApp, device_key: &str, pin: &str) -> crate::support::Res {
    app.post("/v1/auth/person-login")
        .peer("203.0.113.7:4000")
        .json(&json!({ "device_key": device_key, "secret": pin }))
        .send()
        .await
}

#[actix_web::test]
async fn a_person_changes_their_pin_with_the_current_one() {
    let app = TestApp::new().await;
    let (_, device_key, signed_in) = app.person_with_pin().await;
    let token = signed_in["tokens"]["access_token"].as_str().unwrap();
    let other = person_login(&app, &device_key, "480137").await.expect(200);
    let other_token = other["tokens"]["access_token"].as_str().unwrap();

    let change = |current: &'static str, new: &'static str| {
        app.put("/v1/me/pin")
            .bearer(token)
            .json(&json!({ "current_pin": current, "new_pin": new }))
            .send()
    };
    let wrong = change("111111", "725904")
        .await
        .problem(400, "validation_failed");
    assert_eq!(wrong["errors"][0]["field"], "/current_pin");
    change("480137", "123456")
        .await
        .problem(400, "password_too_weak");
    change("480137", "725904").await.expect(204);

    // The old PIN no longer signs in; the new one does, on the same device key.
    person_login(&app, &device_key, "480137")
        .await
        .problem(401, "invalid_credentials");
    person_login(&app, &device_key, "725904").await.expect(200);
    // Every other session ended; this one goes on.
    app.get("/v1/me")
        .bearer(other_token)
        .send()
        .await
        .problem(401, "unauthenticated");
    app.get("/v1/me").bearer(token).send().await.expect(200);

    // Only a person's own login has a PIN.
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    app.put("/v1/me/pin")
        .bearer(&admin.token)
        .json(&json!({ "current_pin": "480137", "new_pin": "725904" }))
        .send()
        .await
        .problem(403, "forbidden");
}

#[actix_web::test]
async fn wrong_current_pins_count_towards_the_sign_in_limit() {
    let app = TestApp::new().await;
    let (_, device_key, signed_in) = app.person_with_pin().await;
    let token = signed_in["tokens"]["access_token"].as_str().unwrap();
    let limit = app
        .shared
        .state
        .config
        .login_throttle
        .max_failures_per_account;
    for _ in 0..limit {
        app.put("/v1/me/pin")
            .bearer(token)
            .json(&json!({ "current_pin": "111111", "new_pin": "725904" }))
            .send()
            .await
            .problem(400, "validation_failed");
    }
    // The PIN screen now refuses the right PIN too, as after as many wrong sign-ins.
    person_login(&app, &device_key, "480137")
        .await
        .problem(429, "too_many_attempts");
    app.put("/v1/me/pin")
        .bearer(token)
        .json(&json!({ "current_pin": "480137", "new_pin": "725904" }))
        .send()
        .await
        .problem(429, "too_many_attempts");
}

#[actix_web::test]
async fn a_read_with_the_current_etag_answers_304_with_no_body() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let person = app.person(&org).await;
    let admin = app.admin(&org).await;
    let goal = app
        .post(&format!("/v1/people/{}/goals", person.id))
        .bearer(&admin.token)
        .json(&json!({ "title": "Cook a meal for my sister" }))
        .send()
        .await
        .expect(201);
    let path = format!("/v1/goals/{}", goal["id"].as_str().unwrap());
    let first = app.get(&path).bearer(&admin.token).send().await;
    first.expect(200);
    let tag = first.header("etag").unwrap().to_owned();
    for reads in [
        format!("/v1/people/{}", person.id),
        format!("/v1/people/{}/profile", person.id),
        format!("/v1/staff/{}", admin.id),
        path.clone(),
    ] {
        let res = app.get(&reads).bearer(&admin.token).send().await;
        let tag = res
            .header("etag")
            .unwrap_or_else(|| panic!("{reads}: no ETag"))
            .to_owned();
        let again = app
            .get(&reads)
            .bearer(&admin.token)
            .header("if-none-match", &tag)
            .send()
            .await;
        assert_eq!(again.status.as_u16(), 304, "{reads}");
        assert_eq!(again.text(), "", "{reads}");
        assert_eq!(again.header("etag"), Some(tag.as_str()));
    }
    // Changed since: the whole record again, with its new tag.
    app.patch(&path)
        .bearer(&admin.token)
        .header("if-match", &tag)
        .json(&json!({ "title": "Cook a meal for my family" }))
        .send()
        .await
        .expect(200);
    let changed = app
        .get(&path)
        .bearer(&admin.token)
        .header("if-none-match", &tag)
        .send()
        .await;
    assert_eq!(changed.expect(200)["title"], "Cook a meal for my family");
    assert_ne!(changed.header("etag"), Some(tag.as_str()));
    // Not a way round authorization: another organisation's admin still gets 404.
    let stranger = app.admin(&app.provider().await).await;
    app.get(&path)
        .bearer(&stranger.token)
        .header("if-none-match", &tag)
        .send()
        .await
        .problem(404, "not_found");
}

#[actix_web::test]
async fn a_person_answers_the_welsh_active_offer_themselves() {
    let app = TestApp::new().await;
    let (person, _, signed_in) = app.person_with_pin().await;
    let token = signed_in["tokens"]["access_token"].as_str().unwrap();
    app.sql(&format!(
        "UPDATE people SET welsh_offered = true WHERE id = '{person}'"
    ))
    .await;
    let path = format!("/v1/people/{person}");
    let read = app.get(&path).bearer(token).send().await;
    let tag = read.header("etag").unwrap().to_owned();
    let answered = app
        .patch(&path)
        .bearer(token)
        .header("if-match", &tag)
        .json(&json!({ "welsh_accepted": true, "preferred_language": "cy" }))
        .send()
        .await
        .expect(200);
    assert_eq!(answered["details"]["welsh_accepted"], true);
    // Making the offer is staff's.
    let tag = app
        .get(&path)
        .bearer(token)
        .send()
        .await
        .header("etag")
        .unwrap()
        .to_owned();
    app.patch(&path)
        .bearer(token)
        .header("if-match", &tag)
        .json(&json!({ "welsh_offered": false }))
        .send()
        .await
        .problem(403, "forbidden");
}
