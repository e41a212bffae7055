//! Sign-in, refresh, sign-out, password change and throttling.

use camau::auth::roles::Role;
use serde_json::json;

use crate::support::{PASSWORD, TestApp, TestEnv};

#[actix_web::test]
async fn login_gives_a_token_pair_that_works_for_me() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    // Emails are matched without case or surrounding spaces.
    let tokens = app
        .login(&format!("  {} ", mentor.email.to_uppercase()), PASSWORD)
        .await
        .expect(200);
    assert_eq!(tokens["account_id"], mentor.id.to_string());
    assert_eq!(tokens["role"], "mentor");
    assert!(tokens["person_id"].is_null());
    assert!(tokens.get("device_key").is_none());
    assert_eq!(tokens["tokens"]["token_type"], "Bearer");
    assert_eq!(tokens["tokens"]["expires_in"], 600);
    assert_eq!(
        tokens["tokens"]["refresh_token"].as_str().unwrap().len(),
        43
    );
    let me = app
        .get("/v1/me")
        .bearer(tokens["tokens"]["access_token"].as_str().unwrap())
        .send()
        .await
        .expect(200);
    assert_eq!(me["account"]["id"], mentor.id.to_string());
    assert_eq!(me["account"]["email"], mentor.email);
    assert_eq!(me["account"]["name"], mentor.name);
    assert_eq!(me["account"]["role"], "mentor");
    assert_eq!(me["organisation"]["id"], org.id.to_string());
    assert_eq!(me["organisation"]["kind"], "provider");
}

#[actix_web::test]
async fn platform_admins_have_no_organisation() {
    let app = TestApp::new().await;
    let admin = app.platform_admin().await;
    let me = app
        .get("/v1/me")
        .bearer(&admin.token)
        .send()
        .await
        .expect(200);
    assert_eq!(me["account"]["role"], "platform_admin");
    assert!(me["organisation"].is_null());
}

#[actix_web::test]
async fn wrong_password_unknown_email_and_deactivated_account_look_the_same() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    let wrong = app.login(&mentor.email, "Not-the-right-password-1").await;
    let unknown = app.login("nobody@example.org", PASSWORD).await;
    let w = wrong.problem(401, "invalid_credentials");
    let u = unknown.problem(401, "invalid_credentials");
    assert_eq!(w["title"], u["title"]);
    assert_eq!(w.get("detail"), u.get("detail"));

    deactivate(&app, &admin.token, mentor.id).await;
    app.login(&mentor.email, PASSWORD)
        .await
        .problem(401, "invalid_credentials");
}

pub async fn deactivate(app: &TestApp, admin_token: &str, account: uuid::Uuid) {
    let res = app
        .get(&format!("/v1/staff/{account}"))
        .bearer(admin_token)
        .send()
        .await;
    let etag = res.header("etag").expect("etag").to_owned();
    app.patch(&format!("/v1/staff/{account}"))
        .bearer(admin_token)
        .header("if-match", &etag)
        .json(&json!({ "active": false }))
        .send()
        .await
        .expect(200);
}

#[actix_web::test]
async fn refresh_rotates_and_a_reused_token_revokes_the_session() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    let first = mentor.refresh_token.clone();
    let second = app
        .post("/v1/auth/refresh")
        .json(&json!({ "refresh_token": first }))
        .send()
        .await
        .expect(200);
    let second_refresh = second["tokens"]["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let second_access = second["tokens"]["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(second_refresh, first);
    app.get("/v1/me")
        .bearer(&second_access)
        .send()
        .await
        .expect(200);

    // The spent token again, at once and while its successor is unused (a phone that lost the
    // response): the same successor comes back and the session lives on.
    let retried = app
        .post("/v1/auth/refresh")
        .json(&json!({ "refresh_token": first }))
        .send()
        .await
        .expect(200);
    assert_eq!(retried["tokens"]["refresh_token"], second_refresh.as_str());
    app.get("/v1/me")
        .bearer(retried["tokens"]["access_token"].as_str().unwrap())
        .send()
        .await
        .expect(200);

    // Once the successor has been used, the spent token is a copy: the whole session ends.
    let third = app
        .post("/v1/auth/refresh")
        .json(&json!({ "refresh_token": second_refresh }))
        .send()
        .await
        .expect(200);
    app.post("/v1/auth/refresh")
        .json(&json!({ "refresh_token": first }))
        .send()
        .await
        .problem(401, "invalid_refresh_token");
    app.post("/v1/auth/refresh")
        .json(&json!({ "refresh_token": third["tokens"]["refresh_token"] }))
        .send()
        .await
        .problem(401, "invalid_refresh_token");
    app.get("/v1/me")
        .bearer(&second_access)
        .send()
        .await
        .problem(401, "unauthenticated");
    app.get("/v1/me")
        .bearer(&mentor.token)
        .send()
        .await
        .problem(401, "unauthenticated");
}

#[actix_web::test]
async fn unknown_refresh_tokens_are_refused() {
    let app = TestApp::new().await;
    app.post("/v1/auth/refresh")
        .json(&json!({ "refresh_token": "made-up" }))
        .send()
        .await
        .problem(401, "invalid_refresh_token");
}

#[actix_web::test]
async fn logout_ends_only_this_session_and_logout_all_ends_every_one() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    let phone = app.login(&mentor.email, PASSWORD).await.expect(200);
    let phone_token = phone["tokens"]["access_token"].as_str().unwrap();

    app.post("/v1/auth/logout")
        .bearer(&mentor.token)
        .send()
        .await
        .expect(204);
    app.get("/v1/me")
        .bearer(&mentor.token)
        .send()
        .await
        .problem(401, "unauthenticated");
    app.post("/v1/auth/refresh")
        .json(&json!({ "refresh_token": mentor.refresh_token }))
        .send()
        .await
        .problem(401, "invalid_refresh_token");
    app.get("/v1/me")
        .bearer(phone_token)
        .send()
        .await
        .expect(200);

    let laptop = app.login(&mentor.email, PASSWORD).await.expect(200);
    let laptop_token = laptop["tokens"]["access_token"].as_str().unwrap();
    app.post("/v1/auth/logout-all")
        .bearer(laptop_token)
        .send()
        .await
        .expect(204);
    app.get("/v1/me")
        .bearer(phone_token)
        .send()
        .await
        .problem(401, "unauthenticated");
    app.get("/v1/me")
        .bearer(laptop_token)
        .send()
        .await
        .problem(401, "unauthenticated");
    app.post("/v1/auth/refresh")
        .json(&json!({ "refresh_token": phone["tokens"]["refresh_token"] }))
        .send()
        .await
        .problem(401, "invalid_refresh_token");
}

#[actix_web::test]
async fn password_change_keeps_this_session_and_ends_the_others() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    let other = app.login(&mentor.email, PASSWORD).await.expect(200);
    let new_password = "Llanfair-pwll-gwyngyll-2026";
    app.post("/v1/auth/password")
        .bearer(&mentor.token)
        .json(&json!({ "current_password": PASSWORD, "new_password": new_password }))
        .send()
        .await
        .expect(204);
    app.get("/v1/me")
        .bearer(&mentor.token)
        .send()
        .await
        .expect(200);
    app.get("/v1/me")
        .bearer(other["tokens"]["access_token"].as_str().unwrap())
        .send()
        .await
        .problem(401, "unauthenticated");
    app.login(&mentor.email, PASSWORD)
        .await
        .problem(401, "invalid_credentials");
    app.login(&mentor.email, new_password).await.expect(200);
}

#[actix_web::test]
async fn password_change_checks_the_current_password_and_the_policy() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    let change = |current: &str, new: &str| {
        app.post("/v1/auth/password")
            .bearer(&mentor.token)
            .json(&json!({ "current_password": current, "new_password": new }))
    };
    let body = change("wrong-current-password", "Another-good-passphrase-9")
        .send()
        .await
        .problem(400, "validation_failed");
    assert_eq!(body["errors"][0]["field"], "/current_password");
    change(PASSWORD, "short")
        .send()
        .await
        .problem(400, "password_too_short");
    change(PASSWORD, &"ab1!".repeat(33))
        .send()
        .await
        .problem(400, "password_too_long");
    change(PASSWORD, "password1234")
        .send()
        .await
        .problem(400, "password_too_weak");
    change(PASSWORD, &mentor.email)
        .send()
        .await
        .problem(400, "password_too_weak");
    // Nothing changed.
    app.login(&mentor.email, PASSWORD).await.expect(200);
}

#[actix_web::test]
async fn repeated_failures_for_one_account_are_throttled() {
    let app =
        TestApp::with_env(TestEnv::default().set("CAMAU_LOGIN_MAX_FAILURES_PER_ACCOUNT", "3"))
            .await;
    let org = app.provider().await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    for _ in 0..3 {
        app.login(&mentor.email, "Wrong-password-attempt-1")
            .await
            .problem(401, "invalid_credentials");
    }
    // Even the right password is refused while blocked, without being checked.
    let res = app.login(&mentor.email, PASSWORD).await;
    res.problem(429, "too_many_attempts");
    let retry: u64 = res.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=900).contains(&retry), "retry-after {retry}");
    // Other accounts are not affected.
    let colleague = app.account(Some(&org), Role::Mentor).await;
    app.login(&colleague.email, PASSWORD).await.expect(200);
}

#[actix_web::test]
async fn repeated_failures_from_one_address_are_throttled() {
    let app =
        TestApp::with_env(TestEnv::default().set("CAMAU_LOGIN_MAX_FAILURES_PER_ADDRESS", "4"))
            .await;
    let org = app.provider().await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    for i in 0..4 {
        app.post("/v1/auth/login")
            .peer("198.51.100.7:5000")
            .json(&json!({ "email": format!("guess{i}@example.org"), "password": "Whatever-guess-1" }))
            .send()
            .await
            .problem(401, "invalid_credentials");
    }
    let login = |peer: &'static str| {
        app.post("/v1/auth/login")
            .peer(peer)
            .json(&json!({ "email": mentor.email, "password": PASSWORD }))
    };
    login("198.51.100.7:5001")
        .send()
        .await
        .problem(429, "too_many_attempts");
    login("198.51.100.8:5000").send().await.expect(200);
}

#[actix_web::test]
async fn a_successful_login_resets_the_account_counter() {
    let app =
        TestApp::with_env(TestEnv::default().set("CAMAU_LOGIN_MAX_FAILURES_PER_ACCOUNT", "3"))
            .await;
    let org = app.provider().await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    for _ in 0..2 {
        app.login(&mentor.email, "Wrong-password-attempt-1")
            .await
            .problem(401, "invalid_credentials");
    }
    app.login(&mentor.email, PASSWORD).await.expect(200);
    for _ in 0..2 {
        app.login(&mentor.email, "Wrong-password-attempt-1")
            .await
            .problem(401, "invalid_credentials");
    }
    app.login(&mentor.email, PASSWORD).await.expect(200);
}

#[actix_web::test]
async fn behind_a_trusted_proxy_each_client_is_throttled_on_its_own() {
    let app = TestApp::with_env(
        TestEnv::default()
            .set("CAMAU_LOGIN_MAX_FAILURES_PER_ADDRESS", "3")
            .set("CAMAU_TRUSTED_PROXIES", "192.0.2.10"),
    )
    .await;
    let org = app.provider().await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    let via_proxy = |client: &str, email: &str, password: &str| {
        app.post("/v1/auth/login")
            .header("x-forwarded-for", client)
            .json(&json!({ "email": email, "password": password }))
    };
    for i in 0..3 {
        via_proxy(
            "203.0.113.5",
            &format!("guess{i}@example.org"),
            "Whatever-guess-1",
        )
        .send()
        .await
        .problem(401, "invalid_credentials");
    }
    via_proxy("203.0.113.5", &mentor.email, PASSWORD)
        .send()
        .await
        .problem(429, "too_many_attempts");
    // Another client behind the same proxy is not locked out with the attacker.
    via_proxy("203.0.113.6", &mentor.email, PASSWORD)
        .send()
        .await
        .expect(200);
}

#[actix_web::test]
async fn a_retry_after_the_grace_window_revokes_the_session() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    let refresh = |token: &str| {
        app.post("/v1/auth/refresh")
            .json(&json!({ "refresh_token": token }))
    };
    refresh(&mentor.refresh_token).send().await.expect(200);
    // Spent 31 seconds ago, with the default 30-second grace window.
    app.sql("UPDATE refresh_tokens SET used_at = now() - interval '31 seconds' WHERE used_at IS NOT NULL")
        .await;
    refresh(&mentor.refresh_token)
        .send()
        .await
        .problem(401, "invalid_refresh_token");
    app.get("/v1/me")
        .bearer(&mentor.token)
        .send()
        .await
        .problem(401, "unauthenticated");
}

#[actix_web::test]
async fn parallel_refreshes_of_one_token_get_one_successor() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    let body = json!({ "refresh_token": mentor.refresh_token });
    let results = futures_util::future::join_all(
        (0..8).map(|_| app.post("/v1/auth/refresh").json(&body).send()),
    )
    .await;
    let successors: std::collections::BTreeSet<String> = results
        .iter()
        .map(|r| {
            r.expect(200)["tokens"]["refresh_token"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(successors.len(), 1, "{successors:?}");
    // That one successor works, and the session is alive.
    let next = successors.into_iter().next().unwrap();
    app.post("/v1/auth/refresh")
        .json(&json!({ "refresh_token": next }))
        .send()
        .await
        .expect(200);
}
