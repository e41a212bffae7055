//! Inviting colleagues and accepting invitations.

use camau::auth::roles::Role;
use serde_json::json;

use crate::support::{TestApp, TestEnv};

const GOOD_PASSWORD: &str = "Cwtch-with-the-cat-2026";

async fn invite(
    app: &TestApp,
    token: &str,
    org: uuid::Uuid,
    email: &str,
    role: &str,
) -> serde_json::Value {
    app.post(&format!("/v1/organisations/{org}/invitations"))
        .bearer(token)
        .json(&json!({ "email": email, "role": role }))
        .send()
        .await
        .expect(201)
}

#[actix_web::test]
async fn an_admin_invites_and_the_invitee_signs_up_once() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    let invitation = invite(
        &app,
        &admin.token,
        org.id,
        "Dafydd@Example.org",
        "coordinator",
    )
    .await;
    assert_eq!(invitation["email"], "dafydd@example.org");
    assert_eq!(invitation["role"], "coordinator");
    let code = invitation["code"].as_str().unwrap();
    assert_eq!(code.len(), 19);

    // Typed on a phone: lower case, spaces instead of dashes.
    let typed = code.to_lowercase().replace('-', " ");
    let accepted = app
        .post("/v1/invitations/accept")
        .json(&json!({ "code": typed, "name": "Dafydd ap Gwilym 🎶", "password": GOOD_PASSWORD }))
        .send()
        .await
        .expect(201);
    assert_eq!(accepted["role"], "coordinator");
    assert!(accepted["person_id"].is_null());
    let token = accepted["tokens"]["access_token"].as_str().unwrap();
    let me = app.get("/v1/me").bearer(token).send().await.expect(200);
    assert_eq!(me["account"]["id"], accepted["account_id"]);
    assert_eq!(me["account"]["email"], "dafydd@example.org");
    assert_eq!(me["account"]["name"], "Dafydd ap Gwilym 🎶");
    assert_eq!(me["organisation"]["id"], org.id.to_string());
    app.login("dafydd@example.org", GOOD_PASSWORD)
        .await
        .expect(200);

    // Single use.
    app.post("/v1/invitations/accept")
        .json(&json!({ "code": code, "name": "Someone Else", "password": GOOD_PASSWORD }))
        .send()
        .await
        .problem(409, "invitation_invalid");
}

#[actix_web::test]
async fn expired_and_unknown_codes_are_refused() {
    let app = TestApp::with_env(TestEnv::default().set("CAMAU_INVITATION_TTL_HOURS", "0")).await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    let invitation = invite(&app, &admin.token, org.id, "late@example.org", "mentor").await;
    app.post("/v1/invitations/accept")
        .json(&json!({ "code": invitation["code"], "name": "Late", "password": GOOD_PASSWORD }))
        .send()
        .await
        .problem(409, "invitation_invalid");
    app.post("/v1/invitations/accept")
        .json(&json!({ "code": "AAAA-BBBB-CCCC-DDDD", "name": "Guess", "password": GOOD_PASSWORD }))
        .send()
        .await
        .problem(409, "invitation_invalid");
}

#[actix_web::test]
async fn weak_passwords_are_refused_and_the_code_stays_usable() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    let invitation = invite(&app, &admin.token, org.id, "gwen@example.org", "mentor").await;
    let accept = |password: &str| {
        app.post("/v1/invitations/accept")
            .json(&json!({ "code": invitation["code"], "name": "Gwen", "password": password }))
    };
    accept("short")
        .send()
        .await
        .problem(400, "password_too_short");
    accept("gwen@example.org")
        .send()
        .await
        .problem(400, "password_too_weak");
    accept("qwertyuiopasdf")
        .send()
        .await
        .problem(400, "password_too_weak");
    let body = app
        .post("/v1/invitations/accept")
        .json(&json!({ "code": invitation["code"], "name": "  ", "password": GOOD_PASSWORD }))
        .send()
        .await
        .problem(400, "validation_failed");
    assert_eq!(body["errors"][0]["field"], "/name");
    accept(GOOD_PASSWORD).send().await.expect(201);
}

#[actix_web::test]
async fn roles_must_fit_the_organisation_and_emails_must_be_free() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    // A staff role of the other kind of organisation: named in the field error.
    let body = app
        .post(&format!("/v1/organisations/{}/invitations", org.id))
        .bearer(&admin.token)
        .json(&json!({ "email": "x@example.org", "role": "commissioner" }))
        .send()
        .await
        .problem(400, "validation_failed");
    assert_eq!(body["errors"][0]["field"], "/role");
    // Not a staff role at all: the spec's enum does not list it, and the body is refused.
    for role in ["platform_admin", "person", "supporter"] {
        app.post(&format!("/v1/organisations/{}/invitations", org.id))
            .bearer(&admin.token)
            .json(&json!({ "email": "x@example.org", "role": role }))
            .send()
            .await
            .problem(400, "invalid_json");
    }
    app.post(&format!("/v1/organisations/{}/invitations", org.id))
        .bearer(&admin.token)
        .json(&json!({ "email": admin.email, "role": "mentor" }))
        .send()
        .await
        .problem(409, "email_taken");

    let body = app.commissioning_body().await;
    let body_admin = app.admin(&body).await;
    let invitation = invite(
        &app,
        &body_admin.token,
        body.id,
        "analyst@example.org",
        "commissioner",
    )
    .await;
    assert_eq!(invitation["role"], "commissioner");
    app.post(&format!("/v1/organisations/{}/invitations", body.id))
        .bearer(&body_admin.token)
        .json(&json!({ "email": "m@example.org", "role": "mentor" }))
        .send()
        .await
        .problem(400, "validation_failed");
}

#[actix_web::test]
async fn only_admins_of_the_organisation_invite() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let other = app.provider().await;
    let coordinator = app.account(Some(&org), Role::Coordinator).await;
    let stranger = app.admin(&other).await;
    let path = format!("/v1/organisations/{}/invitations", org.id);
    let body = json!({ "email": "x@example.org", "role": "mentor" });
    app.post(&path)
        .bearer(&coordinator.token)
        .json(&body)
        .send()
        .await
        .problem(403, "forbidden");
    app.post(&path)
        .bearer(&stranger.token)
        .json(&body)
        .send()
        .await
        .problem(404, "not_found");
    app.post(&path)
        .json(&body)
        .send()
        .await
        .problem(401, "unauthenticated");
}

/// Codes handed out by mistake can be listed and withdrawn, and then stop working at once.
#[actix_web::test]
async fn open_codes_are_listed_and_withdrawn_codes_stop_working() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;

    // A staff invitation.
    let invited = app
        .post(&format!("/v1/organisations/{}/invitations", org.id))
        .bearer(&admin.token)
        .json(&json!({ "email": "wrong@example.org", "role": "mentor" }))
        .send()
        .await
        .expect(201);
    let list = format!("/v1/organisations/{}/invitations", org.id);
    let open = app.get(&list).bearer(&admin.token).send().await.expect(200);
    assert_eq!(open["items"][0]["id"], invited["id"]);
    assert_eq!(open["items"][0]["email"], "wrong@example.org");
    assert!(
        open["items"][0].get("code").is_none(),
        "codes are shown once only"
    );
    let revoke = format!("/v1/invitations/{}", invited["id"].as_str().unwrap());
    app.delete(&revoke)
        .bearer(&admin.token)
        .send()
        .await
        .expect(204);
    app.delete(&revoke)
        .bearer(&admin.token)
        .send()
        .await
        .problem(404, "not_found");
    assert_eq!(
        app.get(&list).bearer(&admin.token).send().await.expect(200)["items"],
        json!([])
    );
    app.post("/v1/invitations/accept")
        .json(&json!({ "code": invited["code"], "name": "X", "password": GOOD_PASSWORD }))
        .send()
        .await
        .problem(409, "invitation_invalid");

    // Withdrawing one already accepted says so, rather than a 404 that looks like success.
    let accepted = app
        .post(&format!("/v1/organisations/{}/invitations", org.id))
        .bearer(&admin.token)
        .json(&json!({ "email": "right@example.org", "role": "mentor" }))
        .send()
        .await
        .expect(201);
    app.post("/v1/invitations/accept")
        .json(&json!({ "code": accepted["code"], "name": "Right", "password": GOOD_PASSWORD }))
        .send()
        .await
        .expect(201);
    app.delete(&format!(
        "/v1/invitations/{}",
        accepted["id"].as_str().unwrap()
    ))
    .bearer(&admin.token)
    .send()
    .await
    .problem(409, "conflict");

    // A device code.
    let person = app.person(&org).await;
    let codes = format!("/v1/people/{}/device-codes", person.id);
    let issued = app
        .post(&codes)
        .bearer(&admin.token)
        .send()
        .await
        .expect(201);
    let open = app
        .get(&codes)
        .bearer(&admin.token)
        .send()
        .await
        .expect(200);
    assert_eq!(open["items"].as_array().unwrap().len(), 1);
    assert_eq!(open["items"][0]["issued_by"], admin.id.to_string());
    let id = open["items"][0]["id"].as_str().unwrap();
    app.delete(&format!("{codes}/{id}"))
        .bearer(&admin.token)
        .send()
        .await
        .expect(204);
    assert_eq!(
        app.get(&codes)
            .bearer(&admin.token)
            .send()
            .await
            .expect(200)["items"],
        json!([])
    );
    app.post("/v1/device-codes/redeem")
        .json(&json!({ "code": issued["code"], "secret": "480137" }))
        .send()
        .await
        .problem(409, "device_code_invalid");

    // A circle invitation: the person's own withdrawal, like staff's.
    let member = app
        .post(&format!("/v1/people/{}/circle", person.id))
        .bearer(&admin.token)
        .json(&json!({ "name": "Taid", "relationship": "family" }))
        .send()
        .await
        .expect(201);
    let invite = app
        .post(&format!(
            "/v1/circle-members/{}/invitations",
            member["id"].as_str().unwrap()
        ))
        .bearer(&admin.token)
        .send()
        .await
        .expect(201);
    assert_eq!(
        invite["emailed"], false,
        "no email: the code is handed over"
    );
    let circle_codes = format!("/v1/people/{}/circle-invitations", person.id);
    let open = app
        .get(&circle_codes)
        .bearer(&admin.token)
        .send()
        .await
        .expect(200);
    assert_eq!(open["items"][0]["member_id"], member["id"]);
    let id = open["items"][0]["id"].as_str().unwrap();
    app.delete(&format!("{circle_codes}/{id}"))
        .bearer(&admin.token)
        .send()
        .await
        .expect(204);
    app.post("/v1/circle-invitations/accept")
        .json(&json!({ "code": invite["code"], "email": "taid@example.org", "name": "Taid", "password": GOOD_PASSWORD }))
        .send()
        .await
        .problem(401, "invalid_credentials");
}
