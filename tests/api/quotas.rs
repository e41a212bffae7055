//! Quotas: invitations and device codes per organisation per day, photo uploads per user per
//! hour, comments per user per minute; 429 `rate_limited` with `Retry-After`, counted in the
//! database so a second instance sees the same count.

use camau::auth::roles::Role;
use serde_json::{Value, json};

use crate::support::{Res, TestApp, TestEnv};

fn limits() -> TestEnv {
    TestEnv::default()
        .set("CAMAU_QUOTA_INVITATIONS_PER_DAY", "2")
        .set("CAMAU_QUOTA_DEVICE_CODES_PER_DAY", "2")
        .set("CAMAU_QUOTA_UPLOADS_PER_HOUR", "2")
        .set("CAMAU_QUOTA_COMMENTS_PER_MINUTE", "5")
}

/// A 429 `rate_limited` whose `Retry-After` lies within the quota's window.
fn limited(res: &Res, window_secs: u64) {
    res.problem(429, "rate_limited");
    let wait: u64 = res
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .expect("seconds");
    assert!((1..=window_secs).contains(&wait), "Retry-After {wait}");
}

fn staff_invitation(n: usize) -> Value {
    json!({ "email": format!("newcomer{n}@example.org"), "role": "mentor" })
}

#[actix_web::test]
async fn invitations_per_organisation_per_day_hold_across_instances_and_kinds() {
    let app = TestApp::with_env(limits()).await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    let invite = |n: usize| {
        app.post(&format!("/v1/organisations/{}/invitations", org.id))
            .bearer(&admin.token)
            .json(&staff_invitation(n))
            .send()
    };
    invite(1).await.expect(201);
    // The second comes through another instance on the same database.
    let other = app.serve(limits()).await;
    let (status, _) = crate::support::net::json(
        &format!("{}/v1/organisations/{}/invitations", other.base, org.id),
        "POST",
        &admin.token,
        &staff_invitation(2),
    )
    .await;
    assert_eq!(status, 201);
    limited(&invite(3).await, 86_400);
    // Circle invitations spend the same quota.
    let person = app.person(&org).await;
    let member = app
        .post(&format!("/v1/people/{}/circle", person.id))
        .bearer(&admin.token)
        .json(&json!({ "name": "Mam", "relationship": "family", "email": "mam@example.org" }))
        .send()
        .await
        .expect(201);
    let circle = app
        .post(&format!(
            "/v1/circle-members/{}/invitations",
            member["id"].as_str().unwrap()
        ))
        .bearer(&admin.token)
        .send()
        .await;
    limited(&circle, 86_400);
    assert_eq!(
        app.scalar(&format!(
            "SELECT count(*) FROM invitations WHERE organisation_id = '{}'",
            org.id
        ))
        .await,
        2
    );
    // Another organisation's quota is its own.
    let elsewhere = app.provider().await;
    let their_admin = app.admin(&elsewhere).await;
    app.post(&format!("/v1/organisations/{}/invitations", elsewhere.id))
        .bearer(&their_admin.token)
        .json(&staff_invitation(4))
        .send()
        .await
        .expect(201);
}

#[actix_web::test]
async fn device_codes_per_organisation_per_day() {
    let app = TestApp::with_env(limits()).await;
    let org = app.provider().await;
    let coord = app.account(Some(&org), Role::Coordinator).await;
    let one = app.person(&org).await;
    let two = app.person(&org).await;
    let issue = |person: uuid::Uuid| {
        app.post(&format!("/v1/people/{person}/device-codes"))
            .bearer(&coord.token)
            .send()
    };
    issue(one.id).await.expect(201);
    issue(two.id).await.expect(201);
    limited(&issue(one.id).await, 86_400);
    assert_eq!(app.scalar("SELECT count(*) FROM device_codes").await, 2);
}

#[actix_web::test]
async fn photo_uploads_per_user_per_hour_and_a_replayed_retry_spends_nothing() {
    let app = TestApp::with_env(limits()).await;
    let org = app.provider().await;
    let person = app.person(&org).await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    app.assign(&person, &mentor, &org).await;
    let story = app.story(&person).await;
    let photo = crate::support::image("clean.jpg");
    let upload = |token: &str, key: &str| {
        app.post(&format!("/v1/stories/{story}/photos"))
            .bearer(token)
            .header("idempotency-key", key)
            .raw("image/jpeg", photo.clone())
            .send()
    };
    upload(&person.account.token, "a").await.expect(201);
    upload(&person.account.token, "b").await.expect(201);
    limited(&upload(&person.account.token, "c").await, 3_600);
    // A retry of an upload already made is answered, not refused.
    let again = upload(&person.account.token, "b").await;
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    again.expect(201);
    // The person's mentor has a quota of their own.
    let theirs = app
        .post(&format!("/v1/people/{}/stories", person.id))
        .bearer(&mentor.token)
        .json(&json!({ "body": "Diwrnod da", "lang": "cy", "audience": "circle" }))
        .send()
        .await
        .expect(201);
    app.post(&format!(
        "/v1/stories/{}/photos",
        theirs["id"].as_str().unwrap()
    ))
    .bearer(&mentor.token)
    .raw("image/jpeg", photo.clone())
    .send()
    .await
    .expect(201);
    assert_eq!(app.scalar("SELECT count(*) FROM photos").await, 3);
}

#[actix_web::test]
async fn twenty_comments_at_once_past_a_limit_of_five_make_five() {
    let app = TestApp::with_env(
        limits()
            .set("CAMAU_DB_POOL_SIZE", "16")
            .set("CAMAU_DB_POOL_TIMEOUT_MS", "20000"),
    )
    .await;
    let org = app.provider().await;
    let person = app.person(&org).await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    app.assign(&person, &mentor, &org).await;
    let story = app
        .post(&format!("/v1/people/{}/stories", person.id))
        .bearer(&person.account.token)
        .json(&json!({ "body": "Es i ar y bws", "lang": "cy", "audience": "circle" }))
        .send()
        .await
        .expect(201);
    let path = format!("/v1/stories/{}/comments", story["id"].as_str().unwrap());
    let sends: Vec<_> = (0..20)
        .map(|i| {
            app.post(&path)
                .bearer(&mentor.token)
                .json(&json!({ "body": format!("Da iawn! {i}"), "lang": "cy" }))
                .send()
        })
        .collect();
    let results = futures_util::future::join_all(sends).await;
    let made = results.iter().filter(|r| r.status.as_u16() == 201).count();
    assert_eq!(made, 5);
    for res in results.iter().filter(|r| r.status.as_u16() != 201) {
        limited(res, 60);
    }
    assert_eq!(app.scalar("SELECT count(*) FROM comments").await, 5);
    // The person's own comments are not the mentor's.
    app.post(&path)
        .bearer(&person.account.token)
        .json(&json!({ "body": "Diolch!", "lang": "cy" }))
        .send()
        .await
        .expect(201);
}
