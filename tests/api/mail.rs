//! Mail through a real SMTP server (aiosmtpd, started by scripts/test): password resets,
//! invitations, and what happens when the server is away.

use camau::auth::roles::Role;
use camau::platform::mail::worker::{Pass, deliver_due};
use serde_json::json;
use uuid::Uuid;

use crate::support::smtp::{code_in, mail_to, smtp_env, the_mail_to};
use crate::support::{PASSWORD, TestApp, TestEnv};

const NEW_PASSWORD: &str = "Cwtch-and-a-cuppa-by-the-fire";

async fn deliver(app: &TestApp) -> Pass {
    deliver_due(app.shared.state.outbox())
        .await
        .expect("delivery pass")
}

/// Proves `actor`'s email through the API: ask for a code, read it from the mail, confirm.
async fn verify_email(app: &TestApp, actor: &crate::support::Actor) {
    app.post("/v1/me/email/verification")
        .bearer(&actor.token)
        .header("accept-language", "cy")
        .send()
        .await
        .expect(202);
    deliver(app).await;
    let mail = the_mail_to(&actor.email).await;
    assert!(mail.subject.starts_with("Cadarnhewch"), "{}", mail.subject);
    app.post("/v1/me/email/verification/confirm")
        .bearer(&actor.token)
        .json(&json!({ "code": code_in(&mail.text) }))
        .send()
        .await
        .expect(204);
}

/// Marks `actor`'s email verified directly (for tests about what comes after).
async fn verified(app: &TestApp, actor: &crate::support::Actor) {
    app.sql(&format!(
        "UPDATE accounts SET email_verified_at = now() WHERE id = '{}'",
        actor.id
    ))
    .await;
}

async fn ask_reset(app: &TestApp, email: &str) -> crate::support::Res {
    app.post("/v1/auth/password-reset")
        .header("accept-language", "cy")
        .json(&json!({ "email": email }))
        .send()
        .await
}

async fn confirm(app: &TestApp, code: &str, password: &str) -> crate::support::Res {
    app.post("/v1/auth/password-reset/confirm")
        .json(&json!({ "code": code, "new_password": password }))
        .send()
        .await
}

#[actix_web::test]
async fn a_staff_member_resets_a_forgotten_password_from_the_email() {
    let app = TestApp::with_env(smtp_env()).await;
    let org = app.provider().await;
    let mentor = app.account(Some(&org), Role::Mentor).await;

    // Not yet verified: the answer is the same, and no code goes to the address.
    ask_reset(&app, &mentor.email).await.expect(202);
    assert_eq!(deliver(&app).await, Pass::default());
    let me = app
        .get("/v1/me")
        .bearer(&mentor.token)
        .send()
        .await
        .expect(200);
    assert_eq!(me["account"]["email_verified"], false);
    verify_email(&app, &mentor).await;
    let me = app
        .get("/v1/me")
        .bearer(&mentor.token)
        .send()
        .await
        .expect(200);
    assert_eq!(me["account"]["email_verified"], true);
    app.sql("DELETE FROM login_throttles").await;

    // Known and unknown emails get the same answer; only the known one gets mail.
    let known = ask_reset(&app, &mentor.email.to_uppercase()).await;
    let unknown = ask_reset(&app, &format!("{}@example.org", Uuid::now_v7())).await;
    assert_eq!(known.status.as_u16(), 202);
    assert_eq!(unknown.status.as_u16(), 202);
    assert_eq!(known.text(), unknown.text());
    assert_eq!(known.header("content-type"), unknown.header("content-type"));
    assert_eq!(
        deliver(&app).await,
        Pass {
            sent: 1,
            ..Pass::default()
        }
    );

    // The verification mail, then this one.
    let mail = mail_to(&mentor.email)
        .into_iter()
        .find(|m| m.subject.starts_with("Ailosod"))
        .expect("the reset mail, Welsh first");
    assert!(mail.text.contains("Reset") || mail.text.contains("reset"));
    let code = code_in(&mail.text);
    // Nothing readable stays in the outbox once sent.
    let sealed = app
        .scalar("SELECT count(*) FROM outbox_emails WHERE sealed IS NOT NULL")
        .await;
    assert_eq!(sealed, 0);

    confirm(&app, "AAAA-BBBB-CCCC-DDDD", NEW_PASSWORD)
        .await
        .problem(409, "reset_token_invalid");
    // A weak password is refused and leaves the code usable.
    confirm(&app, &code, "password1234")
        .await
        .problem(400, "password_too_weak");
    confirm(&app, &code.to_lowercase().replace('-', " "), NEW_PASSWORD)
        .await
        .expect(204);
    // Spent, and every session ended.
    confirm(&app, &code, "Another-long-passphrase-9")
        .await
        .problem(409, "reset_token_invalid");
    app.get("/v1/me")
        .bearer(&mentor.token)
        .send()
        .await
        .problem(401, "unauthenticated");
    app.login(&mentor.email, PASSWORD)
        .await
        .problem(401, "invalid_credentials");
    app.login(&mentor.email, NEW_PASSWORD).await.expect(200);
}

#[actix_web::test]
async fn parallel_confirmations_of_one_code_set_one_password() {
    let app = TestApp::with_env(smtp_env()).await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    verified(&app, &admin).await;
    ask_reset(&app, &admin.email).await.expect(202);
    deliver(&app).await;
    let code = code_in(&the_mail_to(&admin.email).await.text);
    let passwords: Vec<String> = (0..6).map(|i| format!("{NEW_PASSWORD}-{i}")).collect();
    let answers =
        futures_util::future::join_all(passwords.iter().map(|p| confirm(&app, &code, p))).await;
    let won: Vec<usize> = (0..answers.len())
        .filter(|&i| answers[i].status.as_u16() == 204)
        .collect();
    assert_eq!(
        won.len(),
        1,
        "{:?}",
        answers.iter().map(|a| a.status).collect::<Vec<_>>()
    );
    // The others: the code is spent, or (past the attempt limit for one code) throttled.
    for (i, a) in answers.iter().enumerate() {
        if i != won[0] {
            assert!([409, 429].contains(&a.status.as_u16()), "{}", a.text());
        }
    }
    app.login(&admin.email, &passwords[won[0]])
        .await
        .expect(200);
}

#[actix_web::test]
async fn asking_again_spoils_no_code_and_requests_are_throttled_per_email() {
    let app = TestApp::with_env(smtp_env()).await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    verified(&app, &admin).await;
    let limit = app
        .shared
        .state
        .config
        .login_throttle
        .max_failures_per_account;
    for _ in 0..limit {
        ask_reset(&app, &admin.email).await.expect(202);
    }
    ask_reset(&app, &admin.email)
        .await
        .problem(429, "too_many_attempts");
    // Sign-in is not locked by someone asking for resets.
    app.login(&admin.email, PASSWORD).await.expect(200);
    assert_eq!(deliver(&app).await.sent, limit as usize);
    let codes: Vec<String> = mail_to(&admin.email)
        .iter()
        .map(|m| code_in(&m.text))
        .collect();
    assert_eq!(codes.len(), limit as usize);
    // Strangers asking again did not spoil the code the owner holds: any one works, and the
    // first used closes the others.
    confirm(&app, &codes[0], NEW_PASSWORD).await.expect(204);
    for code in &codes[1..] {
        confirm(&app, code, "Another-long-passphrase-9")
            .await
            .problem(409, "reset_token_invalid");
    }
}

#[actix_web::test]
async fn invitations_are_emailed_welsh_first_when_asked_and_the_mailed_code_works() {
    let app = TestApp::with_env(smtp_env()).await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    let email = format!("{}@example.org", Uuid::now_v7());
    app.post(&format!("/v1/organisations/{}/invitations", org.id))
        .bearer(&admin.token)
        .json(&json!({ "email": email, "role": "mentor", "language": "cy" }))
        .send()
        .await
        .expect(201);
    deliver(&app).await;
    let mail = the_mail_to(&email).await;
    assert!(mail.subject.starts_with("Gwahoddiad"), "{}", mail.subject);
    let (welsh, english) = mail.text.split_once("----------").unwrap();
    assert!(welsh.contains("ymuno"), "{welsh}");
    assert!(english.contains("mentor"), "{english}");
    app.post("/v1/invitations/accept")
        .json(&json!({ "code": code_in(&mail.text), "name": "Gwen", "password": NEW_PASSWORD }))
        .send()
        .await
        .expect(201);

    // A circle member with an email gets theirs in the person's language.
    let person = app.person(&org).await;
    app.sql(&format!(
        "UPDATE people SET preferred_language = 'cy' WHERE id = '{}'",
        person.id
    ))
    .await;
    let mam = format!("{}@example.org", Uuid::now_v7());
    let member = app
        .post(&format!("/v1/people/{}/circle", person.id))
        .bearer(&admin.token)
        .json(&json!({ "name": "Mam", "relationship": "family", "email": mam, "grants": { "goals": true } }))
        .send()
        .await
        .expect(201);
    let invited = app
        .post(&format!(
            "/v1/circle-members/{}/invitations",
            member["id"].as_str().unwrap()
        ))
        .bearer(&admin.token)
        .send()
        .await
        .expect(201);
    assert_eq!(invited["emailed"], true);
    deliver(&app).await;
    let mail = the_mail_to(&mam).await;
    assert!(
        mail.subject.starts_with("Gwahoddiad i gylch"),
        "{}",
        mail.subject
    );
    assert!(
        !mail.subject.contains(&person.name),
        "no free text in the subject"
    );
    assert!(mail.text.contains(&person.name));
    assert_eq!(code_in(&mail.text), invited["code"].as_str().unwrap());
}

#[actix_web::test]
async fn an_unreachable_server_means_retries_with_backoff_then_giving_up() {
    // A port nothing listens on. Not one freed from an ephemeral bind: tests running beside
    // this one (S3 and SMTP servers, apps) may be given it meanwhile.
    let port = 1;
    let app = TestApp::with_env(
        TestEnv::default()
            .set("CAMAU_MAIL_TRANSPORT", "smtp")
            .set("CAMAU_SMTP_URL", format!("smtp://127.0.0.1:{port}"))
            .set("CAMAU_MAIL_MAX_ATTEMPTS", "2"),
    )
    .await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    verified(&app, &admin).await;
    // Two mails: the first finds the server down; the second is put back untried.
    ask_reset(&app, &admin.email).await.expect(202);
    ask_reset(&app, &admin.email).await.expect(202);
    assert_eq!(
        deliver(&app).await,
        Pass {
            retrying: 2,
            ..Pass::default()
        }
    );
    let tried = app
        .scalar(
            "SELECT count(*) FROM outbox_emails WHERE attempts = 1 AND sealed IS NOT NULL \
             AND last_error = 'smtp connection' \
             AND next_attempt_at BETWEEN now() + interval '20 seconds' AND now() + interval '40 seconds'",
        )
        .await;
    assert_eq!(tried, 1, "backoff after the first attempt is 30 s");
    let untried = app
        .scalar("SELECT count(*) FROM outbox_emails WHERE attempts = 0 AND sealed IS NOT NULL")
        .await;
    assert_eq!(untried, 1, "waiting behind a down server costs no attempt");
    // Not due yet: nothing is tried.
    assert_eq!(deliver(&app).await, Pass::default());
    app.sql(
        "UPDATE outbox_emails SET next_attempt_at = now() - interval '1 minute' WHERE attempts = 1;
         UPDATE outbox_emails SET next_attempt_at = now() WHERE attempts = 0",
    )
    .await;
    // The tried one reaches CAMAU_MAIL_MAX_ATTEMPTS (2) and is given up; the other waits again.
    assert_eq!(
        deliver(&app).await,
        Pass {
            given_up: 1,
            retrying: 1,
            ..Pass::default()
        }
    );
    let dropped = app
        .scalar("SELECT count(*) FROM outbox_emails WHERE failed_at IS NOT NULL AND sealed IS NULL AND attempts = 2")
        .await;
    assert_eq!(dropped, 1);
    let waiting = app
        .scalar("SELECT count(*) FROM outbox_emails WHERE attempts = 0 AND sealed IS NOT NULL")
        .await;
    assert_eq!(waiting, 1);
}

#[actix_web::test]
async fn no_reset_mail_for_a_deactivated_account_or_the_platform_operator() {
    let app = TestApp::with_env(smtp_env()).await;
    let org = app.provider().await;
    let gone = app.account(Some(&org), Role::Mentor).await;
    app.sql(&format!(
        "UPDATE accounts SET deactivated_at = now() WHERE id = '{}'",
        gone.id
    ))
    .await;
    verified(&app, &gone).await;
    let operator = app.platform_admin().await;
    verified(&app, &operator).await;
    for email in [&gone.email, &operator.email] {
        ask_reset(&app, email).await.expect(202);
    }
    assert_eq!(deliver(&app).await, Pass::default());
    assert!(mail_to(&gone.email).is_empty() && mail_to(&operator.email).is_empty());
    // What the outbox keeps of them: a record with nothing personal, given up at once.
    let unsent = app
        .scalar(
            "SELECT count(*) FROM outbox_emails WHERE sealed IS NULL AND failed_at IS NOT NULL \
             AND last_error = 'no verified account'",
        )
        .await;
    assert_eq!(unsent, 2);
}
