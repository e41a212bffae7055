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

/// Every stored row's bytes, as one lossy string, for searching.
async fn stored(app: &TestApp) -> String {
    use camau::db::schema::idempotency_keys as k;
    use diesel::QueryDsl;
    use diesel_async::RunQueryDsl;
    let mut conn = app.shared.state.conn().await.unwrap();
    type Row = (Vec<u8>, Vec<u8>, Option<Vec<u8>>, serde_json::Value);
    let rows: Vec<Row> = k::table
        .select((k::key_hash, k::request_hash, k::sealed, k::checks))
        .load(&mut conn)
        .await
        .unwrap();
    assert!(!rows.is_empty());
    rows.iter()
        .map(|(a, b, c, d)| {
            let mut all = a.clone();
            all.extend(b);
            all.extend(c.clone().unwrap_or_default());
            all.extend(d.to_string().into_bytes());
            String::from_utf8_lossy(&all).into_owned()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[actix_web::test]
async fn the_store_holds_no_code_name_or_date_of_birth_in_clear() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    let person = app
        .post("/v1/people")
        .bearer(&admin.token)
        .header("idempotency-key", "client-key-person-0001")
        .json(&json!({ "preferred_name": "Gwenllian", "legal_name": "Gwenllian Angharad Prys", "date_of_birth": "1961-03-14", "service_type": "other", "support_started_on": "2026-01-05" }))
        .send()
        .await
        .expect(201);
    let device = app
        .post(&format!(
            "/v1/people/{}/device-codes",
            person["id"].as_str().unwrap()
        ))
        .bearer(&admin.token)
        .header("idempotency-key", "client-key-device-0001")
        .send()
        .await
        .expect(201);
    let invitation = app
        .post(&format!("/v1/organisations/{}/invitations", org.id))
        .bearer(&admin.token)
        .header("idempotency-key", "client-key-invite-0001")
        .json(&json!({ "email": "tomos.newcomer@example.org", "role": "mentor" }))
        .send()
        .await
        .expect(201);
    let table = stored(&app).await;
    for secret in [
        "Gwenllian",
        "Angharad",
        "1961-03-14",
        "tomos.newcomer",
        "client-key",
        device["code"].as_str().unwrap(),
        &device["code"].as_str().unwrap().replace('-', ""),
        invitation["code"].as_str().unwrap(),
        &invitation["code"].as_str().unwrap().replace('-', ""),
    ] {
        assert!(!table.contains(secret), "{secret} is stored in clear");
    }
    // And the replay still gives the first response back.
    let again = app
        .post(&format!("/v1/organisations/{}/invitations", org.id))
        .bearer(&admin.token)
        .header("idempotency-key", "client-key-invite-0001")
        .json(&json!({ "email": "tomos.newcomer@example.org", "role": "mentor" }))
        .send()
        .await;
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(again.expect(201)["code"], invitation["code"]);
}

#[actix_web::test]
async fn a_key_in_flight_is_409_until_its_lease_runs_out() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let coord = app.account(Some(&org), Role::Coordinator).await;
    let create = || {
        app.post("/v1/people")
            .bearer(&coord.token)
            .header("idempotency-key", "crashed-key")
            .json(&person("Cai"))
            .send()
    };
    create().await.expect(201);
    // As if that first request were still running (or had crashed before recording its
    // response): a retry is told to wait.
    app.sql(
        "UPDATE idempotency_keys SET status = NULL, sealed = NULL, \
         lease_until = now() + interval '60 seconds'",
    )
    .await;
    create().await.problem(409, "idempotency_key_in_use");
    // The lease ends: the retry runs (once), and later retries replay it.
    app.sql("UPDATE idempotency_keys SET lease_until = now() - interval '1 second'")
        .await;
    let first = create().await.expect(201);
    let again = create().await;
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(again.expect(201), first);
}

#[actix_web::test]
async fn a_replay_checks_access_again() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let person = app.person(&org).await;
    let (member, supporter) = app.supporter(&person, &org, true).await;
    let goal = app
        .post(&format!("/v1/people/{}/goals", person.id))
        .bearer(&person.account.token)
        .json(&json!({ "title": "Cook a meal for my friends", "lang": "en" }))
        .send()
        .await
        .expect(201);
    let suggest = || {
        app.post(&format!(
            "/v1/goals/{}/actions",
            goal["id"].as_str().unwrap()
        ))
        .bearer(&supporter.token)
        .header("idempotency-key", "suggest-1")
        .json(&json!({ "description": "Shop for the ingredients together", "owner": "person" }))
        .send()
    };
    suggest().await.expect(201);
    assert_eq!(suggest().await.header("idempotent-replayed"), Some("true"));
    // The person takes back the goals grant: the stored suggestion is not shown again.
    app.sql(&format!(
        "UPDATE circle_members SET can_see_goals = false WHERE id = '{member}'"
    ))
    .await;
    suggest().await.problem(403, "forbidden");
    // Removed from the circle altogether: the person's existence is not revealed.
    app.sql(&format!(
        "UPDATE circle_members SET removed_at = now() WHERE id = '{member}'"
    ))
    .await;
    suggest().await.problem(404, "not_found");
}
