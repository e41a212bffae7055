//! Safeguarding: "I'm worried" hides a story or comment from the circle at once and reaches
//! only the organisation's safeguarding leads, who restore or resolve it.

use camau::auth::roles::Role;
use serde_json::json;

use crate::support::TestApp;

#[actix_web::test]
async fn a_concern_hides_the_item_and_only_leads_see_and_settle_it() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    let lead = app.account(Some(&org), Role::Coordinator).await;
    let coordinator = app.account(Some(&org), Role::Coordinator).await;
    let cai = app.person(&org).await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    app.assign(&cai, &mentor, &org).await;
    let (_, mam) = app.supporter(&cai, &org, true).await;
    let (_, friend) = app.supporter(&cai, &org, true).await;

    // An admin makes a coordinator the safeguarding lead.
    let version = app
        .get(&format!("/v1/staff/{}", lead.id))
        .bearer(&admin.token)
        .send()
        .await;
    let etag = version.header("etag").unwrap().to_owned();
    let flagged = app
        .patch(&format!("/v1/staff/{}", lead.id))
        .bearer(&admin.token)
        .header("if-match", &etag)
        .json(&json!({ "safeguarding_lead": true }))
        .send()
        .await
        .expect(200);
    assert_eq!(flagged["safeguarding_lead"], true);

    let story = app
        .post(&format!("/v1/people/{}/stories", cai.id))
        .bearer(&cai.account.token)
        .json(&json!({ "body": "Here is my new street sign", "audience": "circle" }))
        .send()
        .await
        .expect(201);
    let story_id = story["id"].as_str().unwrap();
    let receipt = app
        .post("/v1/concerns")
        .bearer(&mam.token)
        .json(&json!({ "story_id": story_id, "reason": "It shows where he lives" }))
        .send()
        .await
        .expect(201);
    assert_eq!(receipt, json!({ "id": receipt["id"], "status": "open" }));

    // Gone from the circle at once, story and feed; staff still see it, marked for the
    // safeguarding lead alone; the person sees it as it was (not told a concern was raised).
    for token in [&mam.token, &friend.token] {
        app.get(&format!("/v1/stories/{story_id}"))
            .bearer(token)
            .send()
            .await
            .problem(404, "not_found");
        let feed = app
            .get(&format!("/v1/people/{}/feed", cai.id))
            .bearer(token)
            .send()
            .await
            .expect(200);
        assert_eq!(feed["items"], json!([]));
    }
    let seen = app
        .get(&format!("/v1/stories/{story_id}"))
        .bearer(&cai.account.token)
        .send()
        .await
        .expect(200);
    assert_eq!(seen["hidden"], false);
    for (token, told) in [
        (&mentor.token, false),
        (&admin.token, false),
        (&lead.token, true),
    ] {
        let seen = app
            .get(&format!("/v1/stories/{story_id}"))
            .bearer(token)
            .send()
            .await
            .expect(200);
        assert_eq!(seen["hidden"], told, "only safeguarding leads are told");
    }
    // Raising it again joins the open concern.
    let again = app
        .post("/v1/concerns")
        .bearer(&cai.account.token)
        .json(&json!({ "story_id": story_id }))
        .send()
        .await
        .expect(201);
    assert_eq!(again["id"], receipt["id"]);

    // Only the lead sees concerns, with the words at issue.
    for token in [&admin.token, &coordinator.token, &mentor.token] {
        app.get(&format!("/v1/organisations/{}/concerns", org.id))
            .bearer(token)
            .send()
            .await
            .problem(403, "forbidden");
    }
    let list = app
        .get(&format!("/v1/organisations/{}/concerns", org.id))
        .bearer(&lead.token)
        .send()
        .await
        .expect(200);
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["item"], "story");
    assert_eq!(items[0]["item_text"], "Here is my new street sign");
    assert_eq!(items[0]["reason"], "It shows where he lives");
    assert_eq!(items[0]["raised_by_name"], mam.name.as_str());

    // Restored: the circle sees it again. Settling twice is a conflict.
    let concern = receipt["id"].as_str().unwrap();
    let settled = app
        .patch(&format!("/v1/concerns/{concern}"))
        .bearer(&lead.token)
        .json(&json!({ "status": "restored", "note": "Checked with Cai: a sign in town" }))
        .send()
        .await
        .expect(200);
    assert_eq!(settled["status"], "restored");
    app.patch(&format!("/v1/concerns/{concern}"))
        .bearer(&lead.token)
        .json(&json!({ "status": "resolved" }))
        .send()
        .await
        .problem(409, "conflict");
    app.get(&format!("/v1/stories/{story_id}"))
        .bearer(&mam.token)
        .send()
        .await
        .expect(200);

    // A comment: hidden from the circle; resolved, it stays hidden.
    let comment = app
        .post(&format!("/v1/stories/{story_id}/comments"))
        .bearer(&mam.token)
        .json(&json!({ "body": "Which street is that?" }))
        .send()
        .await
        .expect(201);
    let raised = app
        .post("/v1/concerns")
        .bearer(&friend.token)
        .json(&json!({ "comment_id": comment["id"] }))
        .send()
        .await
        .expect(201);
    app.patch(&format!("/v1/concerns/{}", raised["id"].as_str().unwrap()))
        .bearer(&lead.token)
        .json(&json!({ "status": "resolved" }))
        .send()
        .await
        .expect(200);
    let comments = app
        .get(&format!("/v1/stories/{story_id}/comments"))
        .bearer(&friend.token)
        .send()
        .await
        .expect(200);
    assert_eq!(comments["items"], json!([]));
    // Restoring shows again only what the concern itself hid: a comment the person had
    // hidden stays hidden.
    let another = app
        .post(&format!("/v1/stories/{story_id}/comments"))
        .bearer(&mam.token)
        .json(&json!({ "body": "And the number?" }))
        .send()
        .await
        .expect(201);
    let another_id = another["id"].as_str().unwrap();
    app.post(&format!("/v1/comments/{another_id}/hide"))
        .bearer(&cai.account.token)
        .send()
        .await
        .expect(200);
    let raised = app
        .post("/v1/concerns")
        .bearer(&cai.account.token)
        .json(&json!({ "comment_id": another_id }))
        .send()
        .await
        .expect(201);
    app.patch(&format!("/v1/concerns/{}", raised["id"].as_str().unwrap()))
        .bearer(&lead.token)
        .json(&json!({ "status": "restored" }))
        .send()
        .await
        .expect(200);
    let comments = app
        .get(&format!("/v1/stories/{story_id}/comments"))
        .bearer(&friend.token)
        .send()
        .await
        .expect(200);
    assert_eq!(comments["items"], json!([]));
    // A mentor cannot be made a safeguarding lead (admins and coordinators only).
    let etag = app
        .get(&format!("/v1/staff/{}", mentor.id))
        .bearer(&admin.token)
        .send()
        .await
        .header("etag")
        .unwrap()
        .to_owned();
    app.patch(&format!("/v1/staff/{}", mentor.id))
        .bearer(&admin.token)
        .header("if-match", &etag)
        .json(&json!({ "safeguarding_lead": true }))
        .send()
        .await
        .problem(400, "validation_failed");
    // Nobody outside sees anything, and a concern is never a feed item.
    assert_eq!(
        app.scalar(
            "SELECT count(*) FROM activities WHERE kind NOT IN ('story_posted', 'encouraged')"
        )
        .await,
        0
    );
    let stranger = app.admin(&app.provider().await).await;
    app.patch(&format!("/v1/concerns/{concern}"))
        .bearer(&stranger.token)
        .json(&json!({ "status": "resolved" }))
        .send()
        .await
        .problem(404, "not_found");
}
