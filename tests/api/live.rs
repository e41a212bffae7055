//! Live updates: two instances on one database, a change written through one and received on
//! the other; what each reader's stream carries follows their access, checked again for every
//! event; a removed supporter's open stream ends; a reconnection replays what was missed.

use std::time::Duration;

use camau::auth::roles::Role;
use serde_json::json;

use crate::support::net::{self, EventStream};
use crate::support::{TestApp, TestEnv};

const WAIT: Duration = Duration::from_secs(10);

fn fast() -> TestEnv {
    TestEnv::default().set("CAMAU_STREAM_HEARTBEAT_MS", "200")
}

#[actix_web::test]
async fn a_story_written_on_one_instance_reaches_streams_on_another_as_access_allows() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let cai = app.person(&org).await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    app.assign(&cai, &mentor, &org).await;
    let (mam_member, mam) = app.supporter(&cai, &org, true).await;
    let (_, nogrant) = app.supporter(&cai, &org, false).await;
    let a = app.serve(fast()).await;
    let b = app.serve(fast()).await;

    let feed = |base: &str| format!("{base}/v1/people/{}/feed/stream", cai.id);
    let mut mams = EventStream::open(&feed(&b.base), &mam.token, None).await;
    assert_eq!(mams.status, 200);
    assert!(
        mams.headers
            .iter()
            .any(|(n, v)| n == "content-type" && v == "text/event-stream")
    );
    let mut nogrants = EventStream::open(&feed(&b.base), &nogrant.token, None).await;
    let mut mentors = EventStream::open(
        &format!("{}/v1/me/feed/stream", b.base),
        &mentor.token,
        None,
    )
    .await;
    // Someone outside the circle cannot open the stream at all.
    let stranger = app.account(Some(&app.provider().await), Role::Admin).await;
    assert_eq!(
        EventStream::open(&feed(&b.base), &stranger.token, None)
            .await
            .status,
        404
    );

    // Written through instance A.
    let (status, story) = net::json(
        &format!("{}/v1/people/{}/stories", a.base, cai.id),
        "POST",
        &cai.account.token,
        &json!({ "body": "I made a cake for Nain", "audience": "circle" }),
    )
    .await;
    assert_eq!(status, 201, "{story}");

    let event = mams
        .next(WAIT)
        .await
        .expect("Mam's stream on B got the story");
    assert_eq!(event.event, "activity");
    let item = event.json();
    assert_eq!(item["kind"], "story_posted");
    assert_eq!(item["story"]["excerpt"], "I made a cake for Nain");
    assert_eq!(event.id.as_deref(), item["id"].as_str());
    let first_id = event.id.clone().unwrap();
    let event = mentors
        .next(WAIT)
        .await
        .expect("the mentor's home stream got it");
    assert_eq!(event.json()["story"]["id"], story["id"]);

    // A private story reaches staff, never the circle; the supporter without grants gets
    // nothing at all (only heartbeats).
    let (status, _) = net::json(
        &format!("{}/v1/people/{}/stories", a.base, cai.id),
        "POST",
        &mentor.token,
        &json!({ "body": "Private note of progress", "audience": "private" }),
    )
    .await;
    assert_eq!(status, 201);
    let event = mentors.next(WAIT).await.expect("staff see private stories");
    assert_eq!(event.json()["story"]["excerpt"], "Private note of progress");
    assert!(nogrants.next(Duration::from_millis(800)).await.is_none());
    assert!(nogrants.heartbeats >= 2, "heartbeats keep the stream open");
    assert!(mams.next(Duration::from_millis(800)).await.is_none());

    // Mam leaves the circle: her open stream ends at once (the next heartbeat at the latest).
    app.sql(&format!(
        "UPDATE circle_members SET removed_at = now() WHERE id = '{mam_member}'"
    ))
    .await;
    let end = mams.next(WAIT).await.expect("an end event");
    assert_eq!(end.event, "end");
    assert!(mams.next(WAIT).await.is_none());
    assert!(mams.closed);

    // The mentor reconnects with the id of the first event: the second is replayed.
    let mut again = EventStream::open(
        &format!("{}/v1/me/feed/stream", a.base),
        &mentor.token,
        Some(&first_id),
    )
    .await;
    let replayed = again.next(WAIT).await.expect("a replayed event");
    assert_eq!(
        replayed.json()["story"]["excerpt"],
        "Private note of progress"
    );
}

#[actix_web::test]
async fn a_new_stream_past_the_accounts_bound_replaces_its_oldest() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let cai = app.person(&org).await;
    let a = app
        .serve(fast().set("CAMAU_STREAMS_PER_ACCOUNT", "2"))
        .await;
    let url = format!("{}/v1/me/feed/stream", a.base);
    // The first is the half-open connection a phone leaves behind when it changes network.
    let mut first = EventStream::open(&url, &cai.account.token, None).await;
    let second = EventStream::open(&url, &cai.account.token, None).await;
    assert_eq!((first.status, second.status), (200, 200));
    let third = EventStream::open(&url, &cai.account.token, None).await;
    assert_eq!(third.status, 200);
    let end = first.next(WAIT).await.expect("the oldest stream ends");
    assert_eq!(end.event, "end");
    assert_eq!(end.json()["reason"], "replaced");
}

#[actix_web::test]
async fn a_stopping_instance_ends_its_streams_and_opens_no_more() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let cai = app.person(&org).await;
    let a = app.serve(fast()).await;
    let url = format!("{}/v1/me/feed/stream", a.base);
    let mut open = EventStream::open(&url, &cai.account.token, None).await;
    assert_eq!(open.status, 200);
    // What SIGTERM does (`Application::run_until_stopped`): without it, actix would wait out
    // its whole grace period for a stream that never finishes.
    a.state.live.close_all();
    let end = open.next(WAIT).await.expect("the stream ends");
    assert_eq!(end.event, "end");
    assert_eq!(end.json()["reason"], "shutdown");
    let refused = EventStream::open(&url, &cai.account.token, None).await;
    assert_eq!(refused.status, 503);
    assert!(
        refused.headers.iter().any(|(n, _)| n == "retry-after"),
        "{:?}",
        refused.headers
    );
}
