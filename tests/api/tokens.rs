//! Every way an access token can be wrong answers 401, and a good token stops working the
//! moment its session or account ends.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use camau::auth::roles::Role;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

use crate::support::{Actor, TEST_KID, TEST_SECRET, TestApp};

fn now() -> u64 {
    jsonwebtoken::get_current_timestamp()
}

/// The claims a real token for `actor` carries (read from it), for tampering.
fn claims_of(actor: &Actor) -> Value {
    let payload = actor.token.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

fn sign(header: Header, claims: &Value, secret: &str) -> String {
    jsonwebtoken::encode(
        &header,
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

fn header(alg: Algorithm, typ: Option<&str>, kid: Option<&str>) -> Header {
    let mut h = Header::new(alg);
    h.typ = typ.map(str::to_owned);
    h.kid = kid.map(str::to_owned);
    h
}

fn good_header() -> Header {
    header(Algorithm::HS256, Some("at+jwt"), Some(TEST_KID))
}

async fn assert_refused(app: &TestApp, token: &str, why: &str) {
    let res = app.get("/v1/me").bearer(token).send().await;
    assert_eq!(res.status.as_u16(), 401, "{why}: {}", res.text());
    res.problem(401, "unauthenticated");
    assert_eq!(res.header("www-authenticate"), Some("Bearer"), "{why}");
}

#[actix_web::test]
async fn a_forged_token_with_the_right_key_and_claims_works() {
    // The control: proves the tampered tokens below fail for the reason named, not another.
    let app = TestApp::new().await;
    let org = app.provider().await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    let token = sign(good_header(), &claims_of(&mentor), TEST_SECRET);
    app.get("/v1/me").bearer(&token).send().await.expect(200);
}

#[actix_web::test]
async fn tampered_tokens_are_refused() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    let claims = claims_of(&mentor);
    let with = |field: &str, value: Value| {
        let mut c = claims.clone();
        c[field] = value;
        c
    };

    let cases: Vec<(&str, String)> = vec![
        (
            "expired",
            sign(good_header(), &with("exp", json!(now() - 60)), TEST_SECRET),
        ),
        (
            "not yet valid",
            sign(good_header(), &with("nbf", json!(now() + 600)), TEST_SECRET),
        ),
        (
            "wrong audience",
            sign(good_header(), &with("aud", json!("other-api")), TEST_SECRET),
        ),
        (
            "wrong issuer",
            sign(
                good_header(),
                &with("iss", json!("someone-else")),
                TEST_SECRET,
            ),
        ),
        (
            "wrong typ",
            sign(
                header(Algorithm::HS256, Some("JWT"), Some(TEST_KID)),
                &claims,
                TEST_SECRET,
            ),
        ),
        (
            "no typ",
            sign(
                header(Algorithm::HS256, None, Some(TEST_KID)),
                &claims,
                TEST_SECRET,
            ),
        ),
        (
            "another algorithm with the same key",
            sign(
                header(Algorithm::HS512, Some("at+jwt"), Some(TEST_KID)),
                &claims,
                TEST_SECRET,
            ),
        ),
        (
            "signed with another key",
            sign(
                good_header(),
                &claims,
                "another-secret-that-is-long-enough-too",
            ),
        ),
        (
            "unknown kid",
            sign(
                header(Algorithm::HS256, Some("at+jwt"), Some("retired")),
                &claims,
                TEST_SECRET,
            ),
        ),
        (
            "no kid",
            sign(
                header(Algorithm::HS256, Some("at+jwt"), None),
                &claims,
                TEST_SECRET,
            ),
        ),
        (
            "unknown session",
            sign(
                good_header(),
                &with("sid", json!(uuid::Uuid::now_v7())),
                TEST_SECRET,
            ),
        ),
        (
            "session of another account",
            sign(
                good_header(),
                &with("sub", json!(uuid::Uuid::now_v7())),
                TEST_SECRET,
            ),
        ),
    ];
    for (why, token) in &cases {
        assert_refused(&app, token, why).await;
    }

    // alg "none": an unsigned token.
    let unsigned = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD
            .encode(json!({"alg": "none", "typ": "at+jwt", "kid": TEST_KID}).to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    assert_refused(&app, &unsigned, "alg none").await;

    // A signature flipped by one character.
    let mut bad_sig = mentor.token.clone();
    let last = bad_sig.pop().unwrap();
    bad_sig.push(if last == 'A' { 'B' } else { 'A' });
    assert_refused(&app, &bad_sig, "bad signature").await;

    assert_refused(&app, "not-a-jwt", "garbage").await;
    let res = app
        .get("/v1/me")
        .header("authorization", &format!("Basic {}", mentor.token))
        .send()
        .await;
    res.problem(401, "unauthenticated");
    app.get("/v1/me")
        .send()
        .await
        .problem(401, "unauthenticated");

    // The untampered token still works.
    app.get("/v1/me")
        .bearer(&mentor.token)
        .send()
        .await
        .expect(200);
}

#[actix_web::test]
async fn a_deactivated_accounts_token_stops_working_at_once() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    app.get("/v1/me")
        .bearer(&mentor.token)
        .send()
        .await
        .expect(200);
    crate::sessions::deactivate(&app, &admin.token, mentor.id).await;
    assert_refused(&app, &mentor.token, "deactivated").await;
    app.post("/v1/auth/refresh")
        .json(&json!({ "refresh_token": mentor.refresh_token }))
        .send()
        .await
        .problem(401, "invalid_refresh_token");
}

#[actix_web::test]
async fn a_revoked_sessions_token_is_refused() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    app.post("/v1/auth/logout")
        .bearer(&mentor.token)
        .send()
        .await
        .expect(204);
    assert_refused(&app, &mentor.token, "revoked session").await;
}
