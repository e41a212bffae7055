//! The anonymous credential endpoints under bursts: every attempt is counted before it is
//! checked, so fifty parallel guesses get at most the configured number of checks, from one
//! address or from fifty in one IPv6 /64; and circle-invitation acceptance answers a wrong
//! code, a wrong password and an unknown email the same way.

use camau::auth::roles::Role;
use futures_util::future::join_all;
use serde_json::{Value, json};

use crate::support::{Res, TestApp, TestEnv};

const LIMIT: usize = 5;

/// An app whose account and address limits are both `LIMIT`.
async fn strict_app() -> TestApp {
    TestApp::with_env(
        TestEnv::default()
            .set("CAMAU_LOGIN_MAX_FAILURES_PER_ACCOUNT", LIMIT.to_string())
            .set("CAMAU_LOGIN_MAX_FAILURES_PER_ADDRESS", LIMIT.to_string()),
    )
    .await
}

/// How many answers had each status: (checked and refused, throttled).
fn tally(results: &[Res], refused: u16) -> (usize, usize) {
    let count = |s: u16| results.iter().filter(|r| r.status.as_u16() == s).count();
    let (checked, throttled) = (count(refused), count(429));
    assert_eq!(
        checked + throttled,
        results.len(),
        "only {refused} and 429 expected: {:?}",
        results.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    (checked, throttled)
}

#[actix_web::test]
async fn fifty_parallel_wrong_passwords_get_exactly_the_limit_of_checks() {
    let app = strict_app().await;
    let org = app.provider().await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    // Fifty addresses, so only the account's limit can stop them.
    let results = join_all((0..50).map(|i| {
        app.post("/v1/auth/login")
            .peer(&format!("198.51.100.{}:4000", i + 1))
            .json(&json!({ "email": mentor.email, "password": format!("Wrong-guess-{i}-xyzzy") }))
            .send()
    }))
    .await;
    // Exactly the limit: counted atomically, neither more nor fewer than allowed.
    let (checked, throttled) = tally(&results, 401);
    assert_eq!(checked, LIMIT, "{checked} passwords were checked");
    assert_eq!(throttled, 50 - LIMIT);
    // The right password is refused too until the window ends.
    app.login(&mentor.email, crate::support::PASSWORD)
        .await
        .problem(429, "too_many_attempts");
}

#[actix_web::test]
async fn fifty_addresses_in_one_ipv6_64_count_as_one() {
    let app = strict_app().await;
    // Unknown emails, one per request, so only the address limit can stop them.
    let results = join_all((0..50).map(|i| {
        app.post("/v1/auth/login")
            .peer(&format!("[2001:db8:7:9::{:x}]:4000", i + 1))
            .json(&json!({ "email": format!("nobody-{i}@example.org"), "password": "Wrong-guess-xyzzy-1" }))
            .send()
    }))
    .await;
    let (checked, _) = tally(&results, 401);
    assert_eq!(checked, LIMIT, "{checked} attempts were checked");
    // Another /64 is its own address.
    app.post("/v1/auth/login")
        .peer("[2001:db8:7:a::1]:4000")
        .json(&json!({ "email": "nobody@example.org", "password": "Wrong-guess-xyzzy-1" }))
        .send()
        .await
        .problem(401, "invalid_credentials");
}

#[actix_web::test]
async fn fifty_parallel_wrong_pins_get_exactly_the_limit_of_checks() {
    let app = strict_app().await;
    let (_, device_key, _) = app.person_with_pin().await;
    let results = join_all((0..50).map(|i| {
        app.post("/v1/auth/person-login")
            .peer(&format!("198.51.100.{}:4000", i + 1))
            .json(&json!({ "device_key": device_key, "secret": format!("{:06}", 100_000 + i) }))
            .send()
    }))
    .await;
    let (checked, _) = tally(&results, 401);
    assert_eq!(checked, LIMIT, "{checked} PINs were checked");
    app.post("/v1/auth/person-login")
        .peer("198.51.100.99:4000")
        .json(&json!({ "device_key": device_key, "secret": "480137" }))
        .send()
        .await
        .problem(429, "too_many_attempts");
}

#[actix_web::test]
async fn fifty_parallel_wrong_codes_get_the_limit_of_lookups_and_no_password_work() {
    let app = strict_app().await;
    let jobs_before = app.shared.state.passwords.jobs_accepted();
    for (path, body, refused) in [
        (
            "/v1/device-codes/redeem",
            json!({ "code": "AAAA-BBBB", "secret": "480137" }),
            409,
        ),
        (
            "/v1/invitations/accept",
            json!({ "code": "AAAA-BBBB-CCCC-DDDD", "name": "X", "password": "Some-long-passphrase-1" }),
            409,
        ),
        (
            "/v1/circle-invitations/accept",
            json!({ "code": "AAAA-BBBB-CCCC-DDDD", "email": "x@example.org", "name": "X", "password": "Some-long-passphrase-1" }),
            401,
        ),
    ] {
        // Each endpoint from its own /64, all counted per address.
        let net = path.len();
        let results = join_all((0..50).map(|i| {
            app.post(path)
                .peer(&format!("[2001:db8:{net:x}::{:x}]:4000", i + 1))
                .json(&body)
                .send()
        }))
        .await;
        let (checked, _) = tally(&results, refused);
        assert_eq!(checked, LIMIT, "{path}: {checked} codes were checked");
    }
    // A wrong code costs a hash lookup, never password work (no argon2, no zxcvbn).
    assert_eq!(app.shared.state.passwords.jobs_accepted(), jobs_before);
    // Nor does an unknown device key at PIN sign-in.
    app.post("/v1/auth/person-login")
        .peer("203.0.113.250:4000")
        .json(&json!({ "device_key": "unknown", "secret": "480137" }))
        .send()
        .await
        .problem(401, "invalid_credentials");
    assert_eq!(app.shared.state.passwords.jobs_accepted(), jobs_before);
    // The counter does count: a password checked at sign-in is one job.
    app.post("/v1/auth/login")
        .peer("203.0.113.251:4000")
        .json(&json!({ "email": "nobody@example.org", "password": "Wrong-guess-xyzzy-1" }))
        .send()
        .await
        .problem(401, "invalid_credentials");
    assert_eq!(app.shared.state.passwords.jobs_accepted(), jobs_before + 1);
}

#[actix_web::test]
async fn circle_invitation_acceptance_answers_every_failure_alike() {
    let app = strict_app().await;
    let org = app.provider().await;
    let person = app.person(&org).await;
    let (_, supporter) = app.supporter(&person, &org, true).await;
    let other = app.person(&org).await;
    let member = app
        .post(&format!("/v1/people/{}/circle", other.id))
        .bearer(&other.account.token)
        .json(&json!({ "name": "Nain", "relationship": "family" }))
        .send()
        .await
        .expect(201);
    let code = app
        .post(&format!(
            "/v1/circle-members/{}/invitations",
            member["id"].as_str().unwrap()
        ))
        .bearer(&other.account.token)
        .send()
        .await
        .expect(201)["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let attempt = |code: &str, email: &str, password: &str, peer: &str| {
        app.post("/v1/circle-invitations/accept")
            .peer(peer)
            .json(&json!({ "code": code, "email": email, "name": "Nain", "password": password }))
            .send()
    };
    let strip = |mut v: Value| {
        v.as_object_mut().unwrap().remove("request_id");
        v
    };
    // A wrong code, an existing supporter's email with a wrong password, and an unknown email
    // with a wrong code: one status, one body.
    let wrong_code = attempt(
        "ZZZZ-ZZZZ-ZZZZ-ZZZZ",
        &supporter.email,
        crate::support::PASSWORD,
        "192.0.2.1:1",
    )
    .await
    .problem(401, "invalid_credentials");
    let wrong_password = attempt(
        &code,
        &supporter.email,
        "Not-the-password-99",
        "192.0.2.2:1",
    )
    .await
    .problem(401, "invalid_credentials");
    let unknown_email = attempt(
        "ZZZZ-ZZZZ-ZZZZ-ZZZZ",
        "nobody@example.org",
        "Not-the-password-99",
        "192.0.2.3:1",
    )
    .await
    .problem(401, "invalid_credentials");
    // A staff member's email with a valid code: the same again, so a code holder cannot
    // learn that the email is staff.
    let staff = app.admin(&org).await;
    let staff_email = attempt(&code, &staff.email, "Some-long-passphrase-1", "192.0.2.4:1")
        .await
        .problem(401, "invalid_credentials");
    assert_eq!(strip(wrong_code.clone()), strip(wrong_password));
    assert_eq!(strip(wrong_code.clone()), strip(unknown_email));
    assert_eq!(strip(wrong_code), strip(staff_email));

    // Password guesses against one supporter are counted like sign-in, from any address: two
    // were made above.
    for i in 2..LIMIT {
        attempt(
            &code,
            &supporter.email,
            "Not-the-password-99",
            &format!("192.0.2.{}:1", 10 + i),
        )
        .await
        .problem(401, "invalid_credentials");
    }
    attempt(
        &code,
        &supporter.email,
        crate::support::PASSWORD,
        "192.0.2.99:1",
    )
    .await
    .problem(429, "too_many_attempts");
}

#[actix_web::test]
async fn two_parallel_acceptances_of_one_invitation_make_one_account() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    let code = app
        .post(&format!("/v1/organisations/{}/invitations", org.id))
        .bearer(&admin.token)
        .json(&json!({ "email": "newcomer@example.org", "role": "mentor" }))
        .send()
        .await
        .expect(201)["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let results = join_all((0..2).map(|i| {
        app.post("/v1/invitations/accept")
            .json(&json!({ "code": code, "name": format!("Newcomer {i}"), "password": "Bara-brith-and-tea-at-four" }))
            .send()
    }))
    .await;
    let created = results.iter().filter(|r| r.status.as_u16() == 201).count();
    assert_eq!(created, 1);
    for r in results.iter().filter(|r| r.status.as_u16() != 201) {
        r.problem(409, "invitation_invalid");
    }
}

#[actix_web::test]
async fn a_persons_account_id_used_as_an_email_does_not_lock_their_pin() {
    let app = strict_app().await;
    let (person, device_key, _) = app.person_with_pin().await;
    let account: String = {
        let res = app
            .post("/v1/auth/person-login")
            .peer("203.0.113.201:4000")
            .json(&json!({ "device_key": device_key, "secret": "480137" }))
            .send()
            .await
            .expect(200);
        let token = res["tokens"]["access_token"].as_str().unwrap().to_owned();
        let me = app.get("/v1/me").bearer(&token).send().await.expect(200);
        assert_eq!(me["account"]["role"], "person", "{person}");
        me["account"]["id"].as_str().unwrap().to_owned()
    };
    // Someone who saw the account id "signs in" with it as an email, from many addresses.
    for i in 0..(LIMIT * 2) {
        let res = app
            .post("/v1/auth/login")
            .peer(&format!("198.51.100.{}:4000", i + 1))
            .json(&json!({ "email": account, "password": "Wrong-guess-xyzzy-1" }))
            .send()
            .await;
        assert!(matches!(res.status.as_u16(), 401 | 429));
    }
    // The person's own sign-in is untouched.
    app.post("/v1/auth/person-login")
        .peer("203.0.113.202:4000")
        .json(&json!({ "device_key": device_key, "secret": "480137" }))
        .send()
        .await
        .expect(200);
}

#[actix_web::test]
async fn signing_in_to_ones_own_account_refunds_the_address_once_per_window() {
    let app = strict_app().await;
    let org = app.provider().await;
    let own = app.account(Some(&org), Role::Mentor).await;
    let from = "198.51.100.77:4000";
    let guess = |i: usize| {
        app.post("/v1/auth/login")
            .peer(from)
            .json(&json!({ "email": format!("victim-{i}@example.org"), "password": "Wrong-guess-xyzzy-1" }))
            .send()
    };
    let own_login = || {
        app.post("/v1/auth/login")
            .peer(from)
            .json(&json!({ "email": own.email, "password": crate::support::PASSWORD }))
            .send()
    };
    // guess, own, guess, own: only the first own sign-in gives an attempt back.
    guess(0).await.problem(401, "invalid_credentials");
    own_login().await.expect(200);
    guess(1).await.problem(401, "invalid_credentials");
    own_login().await.expect(200);
    guess(2).await.problem(401, "invalid_credentials");
    // Counted so far: 5 attempts, 1 refunded = 4; one more reaches the limit, then refused.
    guess(3).await.problem(401, "invalid_credentials");
    guess(4).await.problem(429, "too_many_attempts");
}
