//! The whole journey through the documented API: a mentor and a person each post a
//! story with the 12 MP phone photo; a supporter sees both in their feed and on an open
//! stream, opens the thumbnail and encourages; the person is notified; a supporter without
//! the grant sees none of it.

use std::time::Duration;

use camau::auth::roles::Role;
use serde_json::{Value, json};

use crate::notifications::{FakeFcm, pass, register};
use crate::support::TestApp;
use crate::support::net::EventStream;

const WAIT: Duration = Duration::from_secs(10);

fn phone_photo() -> Vec<u8> {
    crate::support::image("phone-12mp-gps-orientation6.jpg")
}

async fn story_with_photo(app: &TestApp, token: &str, person: uuid::Uuid, body: &str) -> Value {
    let story = app
        .post(&format!("/v1/people/{person}/stories"))
        .bearer(token)
        .json(&json!({ "body": body, "audience": "circle" }))
        .send()
        .await
        .expect(201);
    app.post(&format!(
        "/v1/stories/{}/photos",
        story["id"].as_str().unwrap()
    ))
    .bearer(token)
    .header("idempotency-key", &uuid::Uuid::now_v7().to_string())
    .raw("image/jpeg", phone_photo())
    .send()
    .await
    .expect(201);
    story
}

#[actix_web::test]
async fn stories_with_phone_photos_reach_the_circle_and_encouragement_reaches_the_person() {
    let fcm = FakeFcm::start().await;
    let app = TestApp::with_env(fcm.env()).await;
    let org = app.provider().await;
    let cai = app.person(&org).await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    app.assign(&cai, &mentor, &org).await;
    let (_, mam) = app.supporter(&cai, &org, true).await;
    let (_, nogrant) = app.supporter(&cai, &org, false).await;
    register(&app, &cai.account, "cai-phone").await;

    // Streams open on a served instance before anything is posted.
    let served = app.serve(crate::support::TestEnv::default()).await;
    let mut mams = EventStream::open(
        &format!("{}/v1/me/feed/stream", served.base),
        &mam.token,
        None,
    )
    .await;
    let mut nogrants = EventStream::open(
        &format!("{}/v1/people/{}/feed/stream", served.base, cai.id),
        &nogrant.token,
        None,
    )
    .await;
    assert_eq!((mams.status, nogrants.status), (200, 200));

    let by_mentor = story_with_photo(&app, &mentor.token, cai.id, "Cai led the walk today").await;
    let by_cai = story_with_photo(&app, &cai.account.token, cai.id, "My photo from the top").await;

    // Mam's stream carries both stories as they are posted.
    let mut streamed = Vec::new();
    while streamed.len() < 2 {
        let event = mams.next(WAIT).await.expect("Mam's stream got the story");
        let item = event.json();
        assert_eq!(item["kind"], "story_posted");
        streamed.push(item["story"]["id"].clone());
    }
    assert_eq!(streamed, [by_mentor["id"].clone(), by_cai["id"].clone()]);

    // Her feed shows both with their photo; the thumbnail opens through the API.
    let feed = app
        .get("/v1/me/feed")
        .bearer(&mam.token)
        .send()
        .await
        .expect(200);
    let items = feed["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["story"]["id"], by_cai["id"]);
    assert_eq!(items[1]["story"]["id"], by_mentor["id"]);
    for item in items {
        assert_eq!(item["story"]["photo_count"], 1);
    }
    let thumb = items[0]["story"]["thumb_url"].as_str().unwrap();
    let res = app.get(thumb).bearer(&mam.token).send().await;
    assert_eq!(res.status.as_u16(), 200, "{}", res.text());
    assert_eq!(res.header("content-type"), Some("image/jpeg"));

    // Mam cheers Cai's story; Cai's phone hears of it, with her name and nothing else.
    fcm.take_sends();
    pass(&app).await;
    fcm.take_sends();
    app.post(&format!(
        "/v1/stories/{}/reactions",
        by_cai["id"].as_str().unwrap()
    ))
    .bearer(&mam.token)
    .json(&json!({ "kind": "heart" }))
    .send()
    .await
    .expect(200);
    let done = pass(&app).await;
    assert_eq!(done.sent, 1, "{done:?}");
    assert_eq!(
        fcm.take_sends(),
        [(
            "cai-phone".to_owned(),
            format!("{} sent some encouragement", mam.name)
        )]
    );

    // The supporter without the grant: an empty feed, a silent stream, no story, no photo.
    let theirs = app
        .get(&format!("/v1/people/{}/feed", cai.id))
        .bearer(&nogrant.token)
        .send()
        .await
        .expect(200);
    assert_eq!(theirs["items"], json!([]));
    assert!(nogrants.next(Duration::from_millis(500)).await.is_none());
    app.get(&format!("/v1/stories/{}", by_cai["id"].as_str().unwrap()))
        .bearer(&nogrant.token)
        .send()
        .await
        .problem(404, "not_found");
    app.get(thumb)
        .bearer(&nogrant.token)
        .send()
        .await
        .problem(404, "not_found");
}
