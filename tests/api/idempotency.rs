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

/// Polls `sql` (a count) until it is `want`, for work a server finishes after its client left.
async fn until_count(app: &TestApp, sql: &str, want: i64) {
    for _ in 0..200 {
        if app.scalar(sql).await == want {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("{sql} never reached {want}");
}

/// Sends `send` until the first request's response is recorded (409 until then).
async fn replayed<F, Fut>(send: F) -> crate::support::Res
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = crate::support::Res>,
{
    for _ in 0..100 {
        let res = send().await;
        if res.status.as_u16() != 409 {
            return res;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the first request's response was never recorded");
}

#[actix_web::test]
async fn a_create_whose_answer_was_lost_is_replayed_to_the_retry_and_made_once() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let person = app.person(&org).await;
    let served = app.serve(crate::support::TestEnv::default()).await;
    let auth = format!("Bearer {}", person.account.token);
    let body = json!({ "title": "Catch the bus to college", "lang": "en" }).to_string();
    let url = format!("{}/v1/people/{}/goals", served.base, person.id);
    // The phone sends the whole request and loses signal before any answer arrives.
    crate::support::net::send_and_hang_up(
        &url,
        "POST",
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
            ("Idempotency-Key", "lost-answer-1"),
        ],
        body.as_bytes(),
    )
    .await;
    // The server carries on and commits without anyone listening.
    until_count(&app, "SELECT count(*) FROM goals", 1).await;
    let goal = app.scalar("SELECT count(*) FROM goals").await;
    assert_eq!(goal, 1);
    // Back in signal, the retry gets the first response, not a second goal.
    let retry = replayed(|| {
        app.post(&format!("/v1/people/{}/goals", person.id))
            .bearer(&person.account.token)
            .header("idempotency-key", "lost-answer-1")
            .raw("application/json", body.clone())
            .send()
    })
    .await;
    assert_eq!(retry.header("idempotent-replayed"), Some("true"));
    let answered = retry.expect(201);
    assert_eq!(answered["title"], "Catch the bus to college");
    let stored_id = app
        .scalar(&format!(
            "SELECT count(*) FROM goals WHERE id = '{}'",
            answered["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(stored_id, 1, "the replayed id is the one stored");
    assert_eq!(app.scalar("SELECT count(*) FROM goals").await, 1);
}

#[actix_web::test]
async fn a_photo_whose_answer_was_lost_is_stored_once_and_the_retry_gets_it() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let person = app.person(&org).await;
    let story = app.story(&person).await;
    let photo = crate::support::image("clean.jpg");
    let served = app.serve(crate::support::TestEnv::default()).await;
    let auth = format!("Bearer {}", person.account.token);
    crate::support::net::send_and_hang_up(
        &format!("{}/v1/stories/{story}/photos", served.base),
        "POST",
        &[
            ("Authorization", &auth),
            ("Content-Type", "image/jpeg"),
            ("Idempotency-Key", "lost-photo-1"),
        ],
        &photo,
    )
    .await;
    until_count(
        &app,
        "SELECT count(*) FROM photos WHERE stored_at IS NOT NULL",
        1,
    )
    .await;
    let retry = replayed(|| {
        app.post(&format!("/v1/stories/{story}/photos"))
            .bearer(&person.account.token)
            .header("idempotency-key", "lost-photo-1")
            .raw("image/jpeg", photo.clone())
            .send()
    })
    .await;
    assert_eq!(retry.header("idempotent-replayed"), Some("true"));
    let answered = retry.expect(201);
    assert_eq!(
        app.scalar(&format!(
            "SELECT count(*) FROM photos WHERE id = '{}' AND stored_at IS NOT NULL",
            answered["id"].as_str().unwrap()
        ))
        .await,
        1
    );
    assert_eq!(app.scalar("SELECT count(*) FROM photos").await, 1);
}

#[actix_web::test]
async fn twenty_copies_of_one_keyed_create_at_once_make_one_record() {
    let app = TestApp::with_env(
        crate::support::TestEnv::default()
            .set("CAMAU_DB_POOL_SIZE", "16")
            .set("CAMAU_DB_POOL_TIMEOUT_MS", "20000"),
    )
    .await;
    let org = app.provider().await;
    let coord = app.account(Some(&org), Role::Coordinator).await;
    let sends: Vec<_> = (0..20)
        .map(|_| {
            app.post("/v1/people")
                .bearer(&coord.token)
                .header("idempotency-key", "twenty-at-once")
                .json(&person("Cai"))
                .send()
        })
        .collect();
    let results = futures_util::future::join_all(sends).await;
    let mut ids = std::collections::BTreeSet::new();
    let (mut created, mut replays, mut in_use) = (0, 0, 0);
    for res in &results {
        match res.status.as_u16() {
            201 if res.header("idempotent-replayed") == Some("true") => {
                replays += 1;
                ids.insert(res.json()["id"].as_str().unwrap().to_owned());
            }
            201 => {
                created += 1;
                ids.insert(res.json()["id"].as_str().unwrap().to_owned());
            }
            409 => {
                assert_eq!(res.json()["code"], "idempotency_key_in_use");
                in_use += 1;
            }
            other => panic!("unexpected {other}: {}", res.text()),
        }
    }
    assert_eq!(created, 1, "one of them ran");
    assert_eq!(created + replays + in_use, 20);
    assert_eq!(ids.len(), 1, "every 201 names the same person: {ids:?}");
    assert_eq!(
        app.scalar("SELECT count(*) FROM people WHERE preferred_name = 'Cai'")
            .await,
        1
    );
}
