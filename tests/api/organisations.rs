//! Organisations and contracts, created by the platform operator.

use camau::auth::roles::Role;
use serde_json::json;

use crate::support::TestApp;

#[actix_web::test]
async fn the_platform_creates_an_organisation_whose_first_admin_signs_up() {
    let app = TestApp::new().await;
    let platform = app.platform_admin().await;
    let created = app
        .post("/v1/organisations")
        .bearer(&platform.token)
        .json(&json!({ "name": "Cymorth Caerdydd", "kind": "provider", "first_admin_email": "Nia@Example.org" }))
        .send()
        .await
        .expect(201);
    let org_id = created["organisation"]["id"].as_str().unwrap().to_owned();
    assert_eq!(created["organisation"]["name"], "Cymorth Caerdydd");
    assert_eq!(created["invitation"]["role"], "admin");
    assert_eq!(created["invitation"]["email"], "nia@example.org");
    let accepted = app
        .post("/v1/invitations/accept")
        .json(&json!({ "code": created["invitation"]["code"], "name": "Nia", "password": "Bore-da-from-Cardiff-7" }))
        .send()
        .await
        .expect(201);
    let token = accepted["tokens"]["access_token"].as_str().unwrap();
    let org = app
        .get(&format!("/v1/organisations/{org_id}"))
        .bearer(token)
        .send()
        .await
        .expect(200);
    assert_eq!(org["kind"], "provider");
    // The new admin can invite at once.
    app.post(&format!("/v1/organisations/{org_id}/invitations"))
        .bearer(token)
        .json(&json!({ "email": "mentor@example.org", "role": "mentor" }))
        .send()
        .await
        .expect(201);

    let list = app
        .get("/v1/organisations")
        .bearer(&platform.token)
        .send()
        .await
        .expect(200);
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["id"] == org_id.as_str())
    );
    app.get("/v1/organisations")
        .bearer(token)
        .send()
        .await
        .problem(403, "forbidden");
    app.post("/v1/organisations")
        .bearer(token)
        .json(&json!({ "name": "Mine", "kind": "provider", "first_admin_email": "z@example.org" }))
        .send()
        .await
        .problem(403, "forbidden");
}

#[actix_web::test]
async fn contracts_link_a_commissioning_body_to_providers() {
    let app = TestApp::new().await;
    let platform = app.platform_admin().await;
    let body = app.commissioning_body().await;
    let provider = app.provider().await;
    let path = format!("/v1/organisations/{}/contracts", body.id);
    let contract = app
        .post(&path)
        .bearer(&platform.token)
        .json(&json!({ "provider_id": provider.id, "starts_on": "2026-04-01", "ends_on": "2027-03-31" }))
        .send()
        .await
        .expect(201);
    assert_eq!(contract["starts_on"], "2026-04-01");
    assert_eq!(contract["ends_on"], "2027-03-31");
    app.post(&path)
        .bearer(&platform.token)
        .json(&json!({ "provider_id": provider.id, "starts_on": "2026-04-01" }))
        .send()
        .await
        .problem(409, "conflict");
    let bad = app
        .post(&format!("/v1/organisations/{}/contracts", provider.id))
        .bearer(&platform.token)
        .json(
            &json!({ "provider_id": body.id, "starts_on": "2026-04-01", "ends_on": "2026-01-01" }),
        )
        .send()
        .await
        .problem(400, "validation_failed");
    let fields: Vec<&str> = bad["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["/organisation_id", "/provider_id", "/ends_on"]);
    app.post(&path)
        .bearer(&platform.token)
        .json(&json!({ "provider_id": provider.id, "starts_on": "1 April" }))
        .send()
        .await
        .problem(400, "invalid_json");

    // Each party's admin sees it; their other staff and strangers do not.
    let provider_admin = app.admin(&provider).await;
    let body_admin = app.admin(&body).await;
    for (token, org) in [
        (&provider_admin.token, provider.id),
        (&body_admin.token, body.id),
    ] {
        let list = app
            .get(&format!("/v1/organisations/{org}/contracts"))
            .bearer(token)
            .send()
            .await
            .expect(200);
        assert_eq!(list["items"][0]["id"], contract["id"]);
    }
    let commissioner = app.account(Some(&body), Role::Commissioner).await;
    app.get(&path)
        .bearer(&commissioner.token)
        .send()
        .await
        .problem(403, "forbidden");
    app.get(&path)
        .bearer(&provider_admin.token)
        .send()
        .await
        .problem(404, "not_found");
    app.post(&path)
        .bearer(&body_admin.token)
        .json(&json!({ "provider_id": provider.id, "starts_on": "2027-04-01" }))
        .send()
        .await
        .problem(403, "forbidden");
}
