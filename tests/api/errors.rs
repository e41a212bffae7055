//! Client mistakes answer a clear problem+json 4xx: never a 500, never HTML or plain text.

use serde_json::json;

use crate::support::{TestApp, TestEnv};

#[actix_web::test]
async fn malformed_json_is_400_invalid_json() {
    let app = TestApp::new().await;
    let body = app
        .post("/v1/auth/login")
        .raw("application/json", "{\"email\": ")
        .send()
        .await
        .problem(400, "invalid_json");
    assert!(body["detail"].as_str().is_some());
}

#[actix_web::test]
async fn wrong_types_and_missing_fields_are_400_invalid_json() {
    let app = TestApp::new().await;
    app.post("/v1/auth/login")
        .json(&json!({ "email": 42, "password": "x" }))
        .send()
        .await
        .problem(400, "invalid_json");
    let body = app
        .post("/v1/auth/login")
        .json(&json!({ "email": "a@example.org" }))
        .send()
        .await
        .problem(400, "invalid_json");
    assert!(body["detail"].as_str().unwrap().contains("password"));
}

#[actix_web::test]
async fn unknown_fields_are_rejected() {
    let app = TestApp::new().await;
    let body = app
        .post("/v1/auth/login")
        .json(&json!({ "email": "a@example.org", "password": "x", "admin": true }))
        .send()
        .await
        .problem(400, "invalid_json");
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("unknown field `admin`")
    );
}

#[actix_web::test]
async fn wrong_or_missing_content_type_is_415() {
    let app = TestApp::new().await;
    app.post("/v1/auth/login")
        .raw(
            "text/plain",
            "{\"email\":\"a@example.org\",\"password\":\"x\"}",
        )
        .send()
        .await
        .problem(415, "unsupported_media_type");
    app.post("/v1/auth/login")
        .raw("application/x-www-form-urlencoded", "email=a&password=b")
        .send()
        .await
        .problem(415, "unsupported_media_type");
}

#[actix_web::test]
async fn oversized_bodies_are_413() {
    let app = TestApp::with_env(TestEnv::default().set("CAMAU_MAX_JSON_BYTES", "1024")).await;
    let big = json!({ "email": "a@example.org", "password": "x".repeat(2000) });
    let body = app
        .post("/v1/auth/login")
        .json(&big)
        .send()
        .await
        .problem(413, "payload_too_large");
    assert!(body["detail"].as_str().unwrap().contains("1024"));
}

#[actix_web::test]
async fn malformed_ids_in_paths_are_400() {
    let app = TestApp::new().await;
    let admin = app.platform_admin().await;
    for path in [
        "/v1/staff/not-a-uuid",
        "/v1/organisations/123/staff",
        "/v1/organisations/%00/invitations",
    ] {
        let req = if path.ends_with("invitations") {
            app.post(path)
                .json(&json!({"email": "a@example.org", "role": "mentor"}))
        } else {
            app.get(path)
        };
        req.bearer(&admin.token)
            .send()
            .await
            .problem(400, "invalid_path_parameter");
    }
}

#[actix_web::test]
async fn malformed_query_parameters_are_400() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    let base = format!("/v1/organisations/{}/staff", org.id);
    for query in [
        "?limit=abc",
        "?limit=0",
        "?limit=101",
        "?cursor=%%%",
        "?colour=blue",
    ] {
        app.get(&format!("{base}{query}"))
            .bearer(&admin.token)
            .send()
            .await
            .problem(400, "invalid_query_parameter");
    }
}

#[actix_web::test]
async fn unknown_routes_are_404_and_wrong_methods_405() {
    let app = TestApp::new().await;
    app.get("/v1/nothing-here")
        .send()
        .await
        .problem(404, "route_not_found");
    app.get("/").send().await.problem(404, "route_not_found");
    let res = app.delete("/v1/auth/login").send().await;
    res.problem(405, "method_not_allowed");
    assert_eq!(res.header("allow"), Some("POST"));
    let id = uuid::Uuid::now_v7();
    let res = app.put(&format!("/v1/staff/{id}")).send().await;
    res.problem(405, "method_not_allowed");
    assert_eq!(res.header("allow"), Some("GET, PATCH"));
}

/// `DELETE /v1/invitations/accept` reached `DELETE /v1/invitations/{invitation_id}` and
/// answered 400 for a malformed id: the resource is `/v1/invitations/accept`, and it takes POST.
#[actix_web::test]
async fn a_wrong_method_on_a_literal_path_is_405_with_its_own_allow() {
    let app = TestApp::new().await;
    let admin = app.platform_admin().await;
    for req in [
        app.delete("/v1/invitations/accept"),
        app.delete("/v1/invitations/accept").bearer(&admin.token),
        app.get("/v1/invitations/accept"),
    ] {
        let res = req.send().await;
        res.problem(405, "method_not_allowed");
        assert_eq!(res.header("allow"), Some("POST"));
    }
    // An invitation's own path still takes DELETE (a malformed id there is a 400).
    let id = uuid::Uuid::now_v7();
    let res = app.get(&format!("/v1/invitations/{id}")).send().await;
    res.problem(405, "method_not_allowed");
    assert_eq!(res.header("allow"), Some("DELETE"));
    app.delete("/v1/invitations/not-a-uuid")
        .bearer(&admin.token)
        .send()
        .await
        .problem(400, "invalid_path_parameter");
}

/// serde takes a struct from a JSON array (its fields in order): `["Camau", "provider",
/// "a@example.org"]` created an organisation. An array where the spec says object is a 400,
/// at the top and nested.
#[actix_web::test]
async fn an_array_where_an_object_is_expected_is_400() {
    let app = TestApp::new().await;
    let admin = app.platform_admin().await;
    let before = app.scalar("SELECT count(*) FROM organisations").await;
    let body = app
        .post("/v1/organisations")
        .bearer(&admin.token)
        .json(&json!(["Cymorth", "provider", "nia@example.org"]))
        .send()
        .await
        .problem(400, "invalid_json");
    assert_eq!(body["detail"], "the body must be an object, not an array");
    assert_eq!(
        app.scalar("SELECT count(*) FROM organisations").await,
        before
    );
    let org = app.provider().await;
    let person = app.person(&org).await;
    let staff = app.admin(&org).await.token;
    app.put("/v1/me/notification-settings")
        .bearer(&staff)
        .json(&json!([null, null]))
        .send()
        .await
        .problem(400, "invalid_json");
    let body = app
        .put(&format!("/v1/people/{}/profile", person.id))
        .bearer(&staff)
        .header("if-match", "*")
        .json(&json!({ "sections": { "important_to_me": ["Mot", "cy"] } }))
        .send()
        .await
        .problem(400, "invalid_json");
    assert_eq!(
        body["detail"],
        "/sections/important_to_me must be an object, not an array"
    );
    // Arrays where the spec has them still pass.
    app.put("/v1/me/notification-settings")
        .bearer(&staff)
        .json(&json!({ "quiet_from": null, "quiet_until": null, "muted_people": [] }))
        .send()
        .await
        .expect(200);
}

#[actix_web::test]
async fn validation_errors_name_every_bad_field() {
    let app = TestApp::new().await;
    let admin = app.platform_admin().await;
    let body = app
        .post("/v1/organisations")
        .bearer(&admin.token)
        .json(&json!({ "name": "", "kind": "provider", "first_admin_email": "not-an-email" }))
        .send()
        .await
        .problem(400, "validation_failed");
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["/name", "/first_admin_email"]);
    let body = app
        .post("/v1/organisations")
        .bearer(&admin.token)
        .json(&json!({ "name": "x".repeat(201), "kind": "provider", "first_admin_email": "a@example.org" }))
        .send()
        .await
        .problem(400, "validation_failed");
    assert_eq!(body["errors"][0]["code"], "too_long");
    // An unknown enum value is a JSON error naming the allowed values.
    let body = app
        .post("/v1/organisations")
        .bearer(&admin.token)
        .json(&json!({ "name": "X", "kind": "charity", "first_admin_email": "a@example.org" }))
        .send()
        .await
        .problem(400, "invalid_json");
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("commissioning_body")
    );
}
