//! Push notifications through the FCM sender against a local server that speaks FCM HTTP v1
//! and Google's token endpoint: who is notified (by the feed's rule), what a lock screen
//! shows, muting, quiet hours, dead tokens, retries and dead-lettering.

use std::sync::{Arc, Mutex};

use camau::auth::roles::Role;
use camau::social::notifications::worker::{Pass, deliver_due};
use http_body_util::{BodyExt, Full};
use serde_json::{Value, json};

use crate::support::{Actor, TestApp, TestEnv};

#[derive(Clone, Debug)]
struct Seen {
    path: String,
    authorization: String,
    body: String,
}

/// A local stand-in for `oauth2.googleapis.com/token` and `fcm.googleapis.com`.
pub(crate) struct FakeFcm {
    base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    credentials: std::path::PathBuf,
}

impl FakeFcm {
    pub(crate) async fn start() -> Self {
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let log = seen.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let log = log.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(
                        move |req: hyper::Request<hyper::body::Incoming>| {
                            let log = log.clone();
                            async move {
                                let path = req.uri().path().to_owned();
                                let authorization = req
                                    .headers()
                                    .get("authorization")
                                    .and_then(|v| v.to_str().ok())
                                    .unwrap_or_default()
                                    .to_owned();
                                let body = req.into_body().collect().await.unwrap().to_bytes();
                                let body = String::from_utf8_lossy(&body).into_owned();
                                log.lock().unwrap().push(Seen {
                                    path: path.clone(),
                                    authorization,
                                    body: body.clone(),
                                });
                                let (status, answer) = if path == "/token" {
                                    (
                                        200,
                                        json!({ "access_token": "test-access", "expires_in": 3600, "token_type": "Bearer" }),
                                    )
                                } else if body.contains("dead-token") {
                                    (
                                        404,
                                        json!({ "error": { "status": "NOT_FOUND", "details": [{ "errorCode": "UNREGISTERED" }] } }),
                                    )
                                } else if body.contains("flaky-token") {
                                    (503, json!({ "error": { "status": "UNAVAILABLE" } }))
                                } else {
                                    (200, json!({ "name": "projects/camau-test/messages/1" }))
                                };
                                let mut res = hyper::Response::new(Full::new(bytes::Bytes::from(
                                    answer.to_string(),
                                )));
                                *res.status_mut() = hyper::StatusCode::from_u16(status).unwrap();
                                Ok::<_, std::convert::Infallible>(res)
                            }
                        },
                    );
                    let _ = hyper_util::server::conn::auto::Builder::new(
                        hyper_util::rt::TokioExecutor::new(),
                    )
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                    .await;
                });
            }
        });
        let mut account: Value =
            serde_json::from_str(include_str!("fixtures/fcm-test-service-account.json")).unwrap();
        account["token_uri"] = json!(format!("{base}/token"));
        let credentials =
            std::env::temp_dir().join(format!("camau-fcm-{}.json", uuid::Uuid::now_v7()));
        std::fs::write(&credentials, account.to_string()).unwrap();
        FakeFcm {
            base,
            seen,
            credentials,
        }
    }

    pub(crate) fn env(&self) -> TestEnv {
        TestEnv::default()
            .set("CAMAU_PUSH_TRANSPORT", "fcm")
            .set(
                "CAMAU_FCM_CREDENTIALS_FILE",
                self.credentials.display().to_string(),
            )
            .set("CAMAU_FCM_ENDPOINT", self.base.clone())
            .set("CAMAU_PUSH_MAX_ATTEMPTS", "2")
    }

    /// The messages sent, as (registration token, notification body), and forget them.
    pub(crate) fn take_sends(&self) -> Vec<(String, String)> {
        let mut seen = self.seen.lock().unwrap();
        let sends = seen
            .iter()
            .filter(|s| s.path == "/v1/projects/camau-test/messages:send")
            .map(|s| {
                assert_eq!(s.authorization, "Bearer test-access");
                let v: Value = serde_json::from_str(&s.body).unwrap();
                (
                    v["message"]["token"].as_str().unwrap().to_owned(),
                    v["message"]["notification"]["body"]
                        .as_str()
                        .unwrap()
                        .to_owned(),
                )
            })
            .collect();
        seen.retain(|s| s.path == "/token");
        sends
    }
}

impl Drop for FakeFcm {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.credentials);
    }
}

pub(crate) async fn register(app: &TestApp, who: &Actor, token: &str) -> Value {
    app.post("/v1/me/devices")
        .bearer(&who.token)
        .json(&json!({ "platform": "android", "token": token }))
        .send()
        .await
        .expect(201)
}

/// Sets `who`'s quiet hours to the two hours around now (London time): their settings.
async fn quiet_hours_around_now(app: &TestApp, who: &Actor) -> Value {
    let now = time::OffsetDateTime::now_utc()
        .to_offset(camau::fields::london_offset(time::OffsetDateTime::now_utc()));
    let hhmm = |t: time::OffsetDateTime| format!("{:02}:{:02}", t.hour(), t.minute());
    app.put("/v1/me/notification-settings")
        .bearer(&who.token)
        .json(&json!({
            "quiet_from": hhmm(now - time::Duration::hours(1)),
            "quiet_until": hhmm(now + time::Duration::hours(1)),
        }))
        .send()
        .await
        .expect(200)
}

pub(crate) async fn pass(app: &TestApp) -> Pass {
    deliver_due(&app.shared.state)
        .await
        .expect("a delivery pass")
}

#[actix_web::test]
async fn followers_who_may_see_an_activity_get_a_bare_notification_through_fcm() {
    let fcm = FakeFcm::start().await;
    let app = TestApp::with_env(fcm.env()).await;
    let org = app.provider().await;
    let cai = app.person(&org).await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    app.assign(&cai, &mentor, &org).await;
    let (_, mam) = app.supporter(&cai, &org, true).await;
    let (_, nogrant) = app.supporter(&cai, &org, false).await;
    register(&app, &cai.account, "cai-token").await;
    let first = register(&app, &mam, "mam-token").await;
    // Registering the same token again (a retry, or the app starting) keeps one device.
    assert_eq!(register(&app, &mam, "mam-token").await["id"], first["id"]);
    register(&app, &nogrant, "nogrant-token").await;
    register(&app, &mentor, "dead-token").await;

    app.post(&format!("/v1/people/{}/stories", cai.id))
        .bearer(&mentor.token)
        .json(&json!({ "body": "Secret words of the story", "audience": "circle" }))
        .send()
        .await
        .expect(201);
    let done = pass(&app).await;
    assert_eq!((done.queued, done.sent), (2, 2), "{done:?}");
    let mut sends = fcm.take_sends();
    sends.sort();
    let words = format!("{} posted a new story", mentor.name);
    assert_eq!(
        sends,
        [
            ("cai-token".to_owned(), words.clone()),
            ("mam-token".to_owned(), words)
        ]
    );
    // Nothing of the story itself left the service, and the token request was a signed
    // service-account assertion.
    let seen = fcm.seen.lock().unwrap().clone();
    assert!(seen.iter().all(|s| !s.body.contains("Secret words")));
    let token_request = seen
        .iter()
        .find(|s| s.path == "/token")
        .expect("a token request");
    assert!(token_request.body.starts_with(
        "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=ey"
    ));

    // Mam mutes Cai; Cai keeps quiet hours around now; Cai's own story reaches the mentor's
    // dead token, which is removed.
    app.put("/v1/me/notification-settings")
        .bearer(&mam.token)
        .json(&json!({ "muted_people": [cai.id] }))
        .send()
        .await
        .expect(200);
    let settings = quiet_hours_around_now(&app, &cai.account).await;
    assert_eq!(settings["muted_people"], json!([]));
    app.post(&format!("/v1/people/{}/goals", cai.id))
        .bearer(&mentor.token)
        .json(&json!({ "title": "Learn to swim" }))
        .send()
        .await
        .expect(201);
    let done = pass(&app).await;
    // Cai only (Mam muted him, the supporter without grants may not see goals): deferred.
    assert_eq!(
        (done.queued, done.sent, done.deferred),
        (1, 0, 1),
        "{done:?}"
    );
    app.post(&format!("/v1/people/{}/stories", cai.id))
        .bearer(&cai.account.token)
        .json(&json!({ "body": "Went swimming", "audience": "private" }))
        .send()
        .await
        .expect(201);
    let done = pass(&app).await;
    assert_eq!(done.devices_removed, 1, "{done:?}");
    assert_eq!(
        app.scalar(&format!(
            "SELECT count(*) FROM push_devices WHERE account_id = '{}'",
            mentor.id
        ))
        .await,
        0
    );
    assert!(
        fcm.take_sends()
            .iter()
            .all(|(token, _)| token != "mam-token")
    );
}

#[actix_web::test]
async fn a_failing_send_is_retried_with_backoff_then_dead_lettered() {
    let fcm = FakeFcm::start().await;
    let app = TestApp::with_env(fcm.env()).await;
    let org = app.provider().await;
    let cai = app.person(&org).await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    app.assign(&cai, &mentor, &org).await;
    register(&app, &cai.account, "flaky-token").await;
    app.post(&format!("/v1/people/{}/stories", cai.id))
        .bearer(&mentor.token)
        .json(&json!({ "body": "A day out" }))
        .send()
        .await
        .expect(201);
    let done = pass(&app).await;
    assert_eq!(done.retrying, 1, "{done:?}");
    let waiting = app
        .scalar(
            "SELECT count(*) FROM notifications WHERE attempts = 1 AND last_error = 'fcm: 503 Service Unavailable' \
             AND next_attempt_at BETWEEN now() + interval '20 seconds' AND now() + interval '40 seconds'",
        )
        .await;
    assert_eq!(waiting, 1, "backoff after the first attempt is 30 s");
    // Not due: nothing is tried.
    assert_eq!(pass(&app).await, Pass::default());
    app.sql("UPDATE notifications SET next_attempt_at = now()")
        .await;
    let done = pass(&app).await;
    assert_eq!(done.given_up, 1, "{done:?}");
    assert_eq!(
        app.scalar(
            "SELECT count(*) FROM notifications WHERE failed_at IS NOT NULL AND sent_at IS NULL"
        )
        .await,
        1
    );
}

#[actix_web::test]
async fn a_queued_notification_is_decided_again_when_it_is_sent() {
    let fcm = FakeFcm::start().await;
    let app = TestApp::with_env(fcm.env()).await;
    let org = app.provider().await;
    let cai = app.person(&org).await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    app.assign(&cai, &mentor, &org).await;
    let (mam_member, mam) = app.supporter(&cai, &org, true).await;
    let (_, friend) = app.supporter(&cai, &org, true).await;
    let (_, aunt) = app.supporter(&cai, &org, true).await;
    let (_, nain) = app.supporter(&cai, &org, true).await;
    let (_, stranger) = app.supporter(&app.person(&org).await, &org, true).await;
    // Quiet hours around now for everyone: what is queued waits.
    for who in [&mam, &friend, &aunt, &nain] {
        register(&app, who, &format!("{}-token", who.id)).await;
        quiet_hours_around_now(&app, who).await;
    }
    let story = app
        .post(&format!("/v1/people/{}/stories", cai.id))
        .bearer(&mentor.token)
        .json(&json!({ "body": "Swimming on Saturday", "audience": "circle" }))
        .send()
        .await
        .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let done = pass(&app).await;
    assert_eq!((done.queued, done.deferred), (4, 4), "{done:?}");

    // While they wait: Mam leaves the circle; Aunt raises a concern that hides the story; the
    // friend's phone is handed on and registered by someone who does not follow Cai at all.
    app.sql(&format!(
        "UPDATE circle_members SET removed_at = now() WHERE id = '{mam_member}'"
    ))
    .await;
    app.post("/v1/concerns")
        .bearer(&aunt.token)
        .json(&json!({ "story_id": story }))
        .send()
        .await
        .expect(201);
    register(&app, &stranger, &format!("{}-token", friend.id)).await;
    // Nain mutes Cai.
    app.put("/v1/me/notification-settings")
        .bearer(&nain.token)
        .json(&json!({ "muted_people": [cai.id] }))
        .send()
        .await
        .expect(200);
    assert_eq!(
        app.scalar("SELECT count(*) FROM notifications").await,
        3,
        "the handed-on phone's queue went with its old account"
    );

    // Quiet hours end: nothing is sent, and nothing waits.
    app.sql("UPDATE notification_settings SET quiet_from = NULL, quiet_until = NULL")
        .await;
    app.sql("UPDATE notifications SET next_attempt_at = now()")
        .await;
    let done = pass(&app).await;
    assert_eq!((done.sent, done.withdrawn), (0, 3), "{done:?}");
    assert!(fcm.take_sends().is_empty());
    assert_eq!(app.scalar("SELECT count(*) FROM notifications").await, 0);
}
