//! `Idempotency-Key`: a retried create returns the first response instead of creating twice.

use camau::auth::roles::Role;
use serde_json::json;

use crate::support::TestApp;

fn person(name: &str) -> serde_json::Value {
    json!({ "preferred_name": name, "service_type": "other", "support_started_on": "2026-01-05" })
}

#[actix_web::test]
async fn a_retried_create_replays_the_first_response() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let coord = app.account(Some(&org), Role::Coordinator).await;
    let create = |key: &str, body: serde_json::Value| {
        app.post("/v1/people")
            .bearer(&coord.token)
            .header("idempotency-key", key)
            .json(&body)
    };
    let first = create("retry-1", person("Cai")).send().await;
    assert_eq!(first.header("idempotent-replayed"), None);
    let first_body = first.expect(201);
    let again = create("retry-1", person("Cai")).send().await;
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(again.header("etag"), first.header("etag"));
    assert_eq!(again.expect(201), first_body);
    let list = app
        .get("/v1/people")
        .bearer(&coord.token)
        .send()
        .await
        .expect(200);
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "created once");

    // The same key for another request is a client bug: refused, nothing created.
    create("retry-1", person("Someone else"))
        .send()
        .await
        .problem(422, "idempotency_key_reused");
    // Failures are not kept: a corrected retry with the same key goes through.
    create("retry-2", json!({ "preferred_name": "" }))
        .send()
        .await
        .problem(400, "invalid_json");
    create("retry-2", person("Elin")).send().await.expect(201);
    // Keys belong to the account: a colleague's identical key is their own.
    let colleague = app.account(Some(&org), Role::Admin).await;
    app.post("/v1/people")
        .bearer(&colleague.token)
        .header("idempotency-key", "retry-1")
        .json(&person("Cai"))
        .send()
        .await
        .expect(201);
    let list = app
        .get("/v1/people")
        .bearer(&coord.token)
        .send()
        .await
        .expect(200);
    assert_eq!(list["items"].as_array().unwrap().len(), 3);
    create(&"k".repeat(256), person("X"))
        .send()
        .await
        .problem(400, "idempotency_key_invalid");
}

#[actix_web::test]
async fn an_oversized_body_with_a_key_is_a_problem_not_plain_text() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let coord = app.account(Some(&org), Role::Coordinator).await;
    let huge = json!({ "preferred_name": "x".repeat(300_000), "service_type": "other", "support_started_on": "2026-01-05" });
    app.post("/v1/people")
        .bearer(&coord.token)
        .header("idempotency-key", "big-1")
        .json(&huge)
        .send()
        .await
        .problem(413, "payload_too_large");
}
