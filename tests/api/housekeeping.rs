//! Housekeeping removes expired sessions, tokens, codes, throttle counters and stored
//! responses, and keeps everything still in use.

use camau::auth::roles::Role;

use crate::support::TestApp;

#[actix_web::test]
async fn expired_rows_go_and_live_ones_stay() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    let ended = app.account(Some(&org), Role::Mentor).await;
    let revoked = app.account(Some(&org), Role::Mentor).await;
    let person = app.person(&org).await;
    app.sql(&format!(
        "UPDATE sessions SET expires_at = now() - interval '1 minute' WHERE account_id = '{}';
         UPDATE sessions SET revoked_at = now() - interval '2 days' WHERE account_id = '{}';
         INSERT INTO login_throttles (key, failures, window_started_at) VALUES
           ('address:old', 3, now() - interval '1 day'), ('address:new', 3, now());
         INSERT INTO invitations (id, organisation_id, email, role, code_hash, expires_at) VALUES
           (gen_random_uuid(), '{org}', 'old@example.org', 'mentor', '\\x01', now() - interval '1 hour'),
           (gen_random_uuid(), '{org}', 'new@example.org', 'mentor', '\\x02', now() + interval '1 hour');
         INSERT INTO device_codes (id, person_id, organisation_id, code_hash, issued_by, expires_at) VALUES
           (gen_random_uuid(), '{person}', '{org}', '\\x03', '{admin}', now() - interval '1 hour'),
           (gen_random_uuid(), '{person}', '{org}', '\\x04', '{admin}', now() + interval '1 hour');
         INSERT INTO idempotency_keys (account_id, key_hash, request_hash, status, sealed, lease_until, created_at) VALUES
           ('{admin}', '\\x05', '\\x00', 201, '\\x00', now(), now() - interval '25 hours'),
           ('{admin}', '\\x06', '\\x00', 201, '\\x00', now(), now());
         INSERT INTO outbox_emails (id, kind, sent_at) VALUES
           (gen_random_uuid(), 'password_reset', now() - interval '8 days'),
           (gen_random_uuid(), 'password_reset', now());
         INSERT INTO outbox_emails (id, kind, sealed) VALUES (gen_random_uuid(), 'password_reset', '\\x00');
         INSERT INTO password_resets (token_hash, account_id, expires_at, used_at) VALUES
           ('\\x01', '{admin}', now() - interval '1 minute', NULL),
           ('\\x02', '{admin}', now() + interval '1 hour', now()),
           ('\\x03', '{admin}', now() + interval '1 hour', NULL);",
        ended.id,
        revoked.id,
        org = org.id,
        person = person.id,
        admin = admin.id,
    ))
    .await;
    let mut conn = app.shared.state.conn().await.unwrap();
    let purged = camau::platform::housekeeping::purge(&mut conn, &app.shared.state.config)
        .await
        .unwrap();
    drop(conn);
    assert_eq!(purged.sessions, 2, "{purged:?}");
    assert_eq!(purged.throttles, 1, "{purged:?}");
    assert_eq!(purged.invitations, 1, "{purged:?}");
    assert_eq!(purged.device_codes, 1, "{purged:?}");
    assert_eq!(purged.idempotency_keys, 1, "{purged:?}");
    assert_eq!(purged.mails, 1, "{purged:?}");
    assert_eq!(purged.password_resets, 2, "{purged:?}");
    // The ended sessions' refresh tokens went with them; live ones stay.
    assert_eq!(
        app.scalar(&format!("SELECT count(*) AS n FROM refresh_tokens r JOIN sessions s ON s.id = r.session_id WHERE s.account_id IN ('{}', '{}')", ended.id, revoked.id)).await,
        0
    );
    assert!(app.scalar("SELECT count(*) AS n FROM refresh_tokens").await >= 2);
    assert_eq!(
        app.scalar("SELECT count(*) AS n FROM login_throttles WHERE key = 'address:new'")
            .await,
        1
    );
    assert_eq!(app.scalar("SELECT count(*) AS n FROM invitations").await, 1);
    assert_eq!(
        app.scalar("SELECT count(*) AS n FROM device_codes").await,
        1
    );
    assert_eq!(
        app.scalar("SELECT count(*) AS n FROM idempotency_keys")
            .await,
        1
    );
    // The admin's and the person's sessions are untouched: they still work.
    app.get("/v1/me")
        .bearer(&admin.token)
        .send()
        .await
        .expect(200);
    app.get("/v1/me")
        .bearer(&person.account.token)
        .send()
        .await
        .expect(200);
    // A second pass finds nothing more.
    let mut conn = app.shared.state.conn().await.unwrap();
    let again = camau::platform::housekeeping::purge(&mut conn, &app.shared.state.config)
        .await
        .unwrap();
    assert_eq!(again, camau::platform::housekeeping::Purged::default());
}

#[actix_web::test]
async fn a_removed_circle_member_leaves_no_contact_details() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let person = app.person(&org).await;
    let (member, supporter) = app.supporter(&person, &org, true).await;
    app.delete(&format!("/v1/circle-members/{member}"))
        .bearer(&person.account.token)
        .send()
        .await
        .expect(204);
    assert_eq!(
        app.scalar(&format!("SELECT count(*) AS n FROM circle_members WHERE id = '{member}' AND email IS NULL AND phone IS NULL")).await,
        1
    );
    // The audit trail says who they were without naming them.
    assert_eq!(
        app.scalar(&format!("SELECT count(*) AS n FROM audit_events WHERE action = 'circle.member_removed' AND subject_id = '{member}' AND details->>'relationship' = 'family'")).await,
        1
    );
    assert_eq!(
        app.scalar(&format!("SELECT count(*) AS n FROM audit_events WHERE details::text LIKE '%{}%' OR details::text LIKE '%{}%'", supporter.email, supporter.name)).await,
        0
    );
}
