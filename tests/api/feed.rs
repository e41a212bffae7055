//! The feed and encouragement: each caller's feed holds only what they may see, encouragement
//! shows up in it, and a hidden comment leaves the circle's view at once.

use camau::auth::roles::Role;
use serde_json::{Value, json};

use crate::support::TestApp;

async fn feed(app: &TestApp, token: &str, path: &str) -> Vec<Value> {
    app.get(path).bearer(token).send().await.expect(200)["items"]
        .as_array()
        .unwrap()
        .clone()
}

fn kinds(items: &[Value]) -> Vec<&str> {
    items.iter().map(|i| i["kind"].as_str().unwrap()).collect()
}

#[actix_web::test]
async fn each_feed_shows_what_its_reader_may_see_and_encouragement_reaches_it() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let cai = app.person(&org).await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    app.assign(&cai, &mentor, &org).await;
    let (mam_member, mam) = app.supporter(&cai, &org, true).await;
    let (_, nogrant) = app.supporter(&cai, &org, false).await;
    let other = app.person(&org).await;
    let feed_of = format!("/v1/people/{}/feed", cai.id);

    let goal = app
        .post(&format!("/v1/people/{}/goals", cai.id))
        .bearer(&cai.account.token)
        .json(&json!({ "title": "Cook a meal for my family" }))
        .send()
        .await
        .expect(201);
    let private = app
        .post(&format!("/v1/people/{}/stories", cai.id))
        .bearer(&cai.account.token)
        .json(&json!({ "body": "Just for me and my mentor", "audience": "private" }))
        .send()
        .await
        .expect(201);
    let story = app
        .post(&format!("/v1/people/{}/stories", cai.id))
        .bearer(&mentor.token)
        .json(&json!({ "body": "Cai cooked pasta for six!", "audience": "circle", "goal_id": goal["id"] }))
        .send()
        .await
        .expect(201);
    let story_id = story["id"].as_str().unwrap();
    app.post(&format!("/v1/stories/{story_id}/reactions"))
        .bearer(&mam.token)
        .json(&json!({ "kind": "heart" }))
        .send()
        .await
        .expect(200);
    // A retried reaction counts once.
    let reactions = app
        .post(&format!("/v1/stories/{story_id}/reactions"))
        .bearer(&mam.token)
        .json(&json!({ "kind": "heart" }))
        .send()
        .await
        .expect(200);
    assert_eq!(reactions["total"], 1);
    assert_eq!(reactions["mine"], json!(["heart"]));
    let comment = app
        .post(&format!("/v1/stories/{story_id}/comments"))
        .bearer(&mam.token)
        .json(&json!({ "body": "Proud of you cariad", "lang": "en" }))
        .send()
        .await
        .expect(201);

    // The person and staff see everything, newest first.
    let all = [
        "encouraged",
        "encouraged",
        "story_posted",
        "story_posted",
        "goal_set",
    ];
    assert_eq!(kinds(&feed(&app, &cai.account.token, &feed_of).await), all);
    assert_eq!(kinds(&feed(&app, &mentor.token, &feed_of).await), all);
    // Mam (every grant) sees the circle story and the goal, not the private story.
    let mams = feed(&app, &mam.token, &feed_of).await;
    assert_eq!(
        kinds(&mams),
        ["encouraged", "encouraged", "story_posted", "goal_set"]
    );
    let posted = &mams[2];
    assert_eq!(posted["actor_name"], mentor.name.as_str());
    assert_eq!(posted["story"]["excerpt"], "Cai cooked pasta for six!");
    assert_eq!(posted["reaction_count"], 1);
    assert_eq!(posted["comment_count"], 1);
    assert!(!mams.iter().any(|i| i["story"]["id"] == private["id"]));
    // Without grants: nothing of the plan at all.
    assert!(feed(&app, &nogrant.token, &feed_of).await.is_empty());
    // Another person of the organisation does not know Cai exists.
    app.get(&feed_of)
        .bearer(&other.account.token)
        .send()
        .await
        .problem(404, "not_found");
    // The home screen: the same items across everyone each reader follows.
    assert_eq!(kinds(&feed(&app, &mam.token, "/v1/me/feed").await).len(), 4);
    assert!(
        feed(&app, &other.account.token, "/v1/me/feed")
            .await
            .is_empty()
    );

    // The person hides Mam's comment: the circle stops seeing it and its feed item.
    app.post(&format!(
        "/v1/comments/{}/hide",
        comment["id"].as_str().unwrap()
    ))
    .bearer(&mam.token)
    .send()
    .await
    .problem(403, "forbidden");
    let hidden = app
        .post(&format!(
            "/v1/comments/{}/hide",
            comment["id"].as_str().unwrap()
        ))
        .bearer(&cai.account.token)
        .send()
        .await
        .expect(200);
    assert_eq!(hidden["hidden"], true);
    let comments = app
        .get(&format!("/v1/stories/{story_id}/comments"))
        .bearer(&mam.token)
        .send()
        .await
        .expect(200);
    assert_eq!(comments["items"], json!([]));
    let mams = feed(&app, &mam.token, &feed_of).await;
    assert_eq!(kinds(&mams), ["encouraged", "story_posted", "goal_set"]);
    assert_eq!(mams[1]["comment_count"], 0);
    let cais = feed(&app, &cai.account.token, &feed_of).await;
    assert_eq!(cais[0]["comment_excerpt"], "Proud of you cariad");
    assert_eq!(cais[0]["comment_hidden"], true);

    // Grants apply to the very next read: without `goals` the goal item goes; removed from
    // the circle, the whole feed is not found.
    app.sql(&format!(
        "UPDATE circle_members SET can_see_goals = false WHERE id = '{mam_member}'"
    ))
    .await;
    assert_eq!(
        kinds(&feed(&app, &mam.token, &feed_of).await),
        ["encouraged", "story_posted"]
    );
    app.sql(&format!(
        "UPDATE circle_members SET removed_at = now() WHERE id = '{mam_member}'"
    ))
    .await;
    app.get(&feed_of)
        .bearer(&mam.token)
        .send()
        .await
        .problem(404, "not_found");
    assert!(feed(&app, &mam.token, "/v1/me/feed").await.is_empty());
}

/// Encouragement opens on a goal once it is achieved and on an action once it is done; it
/// reaches the feed with counts, and a supporter sees it only with `goals`.
#[actix_web::test]
async fn a_goal_achieved_and_an_action_done_are_encouraged_as_stories_are() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let cai = app.person(&org).await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    app.assign(&cai, &mentor, &org).await;
    let (_, mam) = app.supporter(&cai, &org, true).await;
    // Encouragement without `goals`: the goals stay out of sight.
    let (cheerer_member, cheerer) = app.supporter(&cai, &org, false).await;
    app.sql(&format!(
        "UPDATE circle_members SET can_encourage = true, can_see_stories = true \
          WHERE id = '{cheerer_member}'"
    ))
    .await;
    let goal = app
        .post(&format!("/v1/people/{}/goals", cai.id))
        .bearer(&cai.account.token)
        .json(&json!({ "title": "Catch the bus to college" }))
        .send()
        .await
        .expect(201);
    let goal_id = goal["id"].as_str().unwrap();
    let action = app
        .post(&format!("/v1/goals/{goal_id}/actions"))
        .bearer(&mentor.token)
        .json(&json!({ "description": "Practise the route on Monday", "owner": "person" }))
        .send()
        .await
        .expect(201);
    let action_id = action["id"].as_str().unwrap();
    let clap = json!({ "kind": "clap" });

    // Not yet: a goal in progress and an action not done are not open to encouragement.
    for path in [
        format!("/v1/goals/{goal_id}/reactions"),
        format!("/v1/actions/{action_id}/reactions"),
    ] {
        let res = app.post(&path).bearer(&mam.token).json(&clap).send().await;
        res.problem(409, "conflict");
    }

    app.patch(&format!("/v1/actions/{action_id}"))
        .bearer(&cai.account.token)
        .header("if-match", "\"v1\"")
        .json(&json!({ "done": true }))
        .send()
        .await
        .expect(200);
    app.patch(&format!("/v1/goals/{goal_id}"))
        .bearer(&mentor.token)
        .header("if-match", "\"v1\"")
        .json(&json!({ "status": "achieved" }))
        .send()
        .await
        .expect(200);

    // Mam claps both (a retry counts once) and comments on the goal.
    for path in [
        format!("/v1/goals/{goal_id}/reactions"),
        format!("/v1/goals/{goal_id}/reactions"),
        format!("/v1/actions/{action_id}/reactions"),
    ] {
        app.post(&path)
            .bearer(&mam.token)
            .json(&clap)
            .send()
            .await
            .expect(200);
    }
    let counts = app
        .get(&format!("/v1/goals/{goal_id}/reactions"))
        .bearer(&cai.account.token)
        .send()
        .await
        .expect(200);
    assert_eq!(counts["total"], 1);
    assert_eq!(counts["mine"], json!([]));
    let comment = app
        .post(&format!("/v1/goals/{goal_id}/comments"))
        .bearer(&mam.token)
        .json(&json!({ "body": "You did it on your own!" }))
        .send()
        .await
        .expect(201);
    assert_eq!(comment["goal_id"], goal_id);
    assert_eq!(comment["story_id"], Value::Null);
    let comments = app
        .get(&format!("/v1/goals/{goal_id}/comments"))
        .bearer(&cai.account.token)
        .send()
        .await
        .expect(200);
    assert_eq!(comments["items"][0]["body"], "You did it on your own!");
    assert_eq!(comments["items"][0]["author_name"], mam.name.as_str());

    // The feed carries the counts on the goal and the action, and the encouragement itself.
    let feed_of = format!("/v1/people/{}/feed", cai.id);
    let items = feed(&app, &cai.account.token, &feed_of).await;
    assert_eq!(
        kinds(&items),
        [
            "encouraged",
            "encouraged",
            "encouraged",
            "goal_achieved",
            "action_done",
            "goal_set"
        ]
    );
    let achieved = &items[3];
    assert_eq!(achieved["goal"]["id"], goal_id);
    assert_eq!(achieved["reaction_count"], 1);
    assert_eq!(achieved["comment_count"], 1);
    let done = &items[4];
    assert_eq!(done["action"]["id"], action_id);
    assert_eq!(done["reaction_count"], 1);
    assert_eq!(done["comment_count"], 0);
    assert_eq!(items[0]["comment_excerpt"], "You did it on your own!");
    assert_eq!(items[0]["goal"]["id"], goal_id);
    assert_eq!(items[1]["action"]["id"], action_id);

    // Without `goals`, none of it: not the goal's encouragement, not the goal's comments,
    // not a way to encourage it.
    assert!(feed(&app, &cheerer.token, &feed_of).await.is_empty());
    for path in [
        format!("/v1/goals/{goal_id}/comments"),
        format!("/v1/actions/{action_id}/reactions"),
    ] {
        app.get(&path)
            .bearer(&cheerer.token)
            .send()
            .await
            .problem(403, "forbidden");
    }
    app.post(&format!("/v1/goals/{goal_id}/reactions"))
        .bearer(&cheerer.token)
        .json(&clap)
        .send()
        .await
        .problem(403, "forbidden");
    app.post("/v1/concerns")
        .bearer(&cheerer.token)
        .json(&json!({ "comment_id": comment["id"] }))
        .send()
        .await
        .problem(404, "not_found");

    // The person hides the comment: Mam no longer sees it, nor counts it.
    app.post(&format!(
        "/v1/comments/{}/hide",
        comment["id"].as_str().unwrap()
    ))
    .bearer(&cai.account.token)
    .send()
    .await
    .expect(200);
    let seen = app
        .get(&format!("/v1/goals/{goal_id}/comments"))
        .bearer(&mam.token)
        .send()
        .await
        .expect(200);
    assert_eq!(seen["items"], json!([]));
    let mams = feed(&app, &mam.token, &feed_of).await;
    let achieved = mams.iter().find(|i| i["kind"] == "goal_achieved").unwrap();
    assert_eq!(achieved["comment_count"], 0);
    assert!(!mams.iter().any(|i| i["comment_excerpt"].is_string()));
}

/// The feed checks the session in its own statement: a revoked or expired session, or a
/// deactivated account, reads nothing with a token still in date, even where the feed has
/// items.
#[actix_web::test]
async fn a_feed_with_items_refuses_a_dead_session_or_a_deactivated_account() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let cai = app.person(&org).await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    app.assign(&cai, &mentor, &org).await;
    let admin = app.admin(&org).await;
    let (_, mam) = app.supporter(&cai, &org, true).await;
    app.post(&format!("/v1/people/{}/stories", cai.id))
        .bearer(&cai.account.token)
        .json(&json!({ "body": "First day at the allotment", "audience": "circle" }))
        .send()
        .await
        .expect(201);
    let paths = [format!("/v1/people/{}/feed", cai.id), "/v1/me/feed".into()];
    let readers = [
        (
            &cai.account,
            "UPDATE sessions SET revoked_at = now() WHERE account_id = '{}'",
        ),
        (
            &mentor,
            "UPDATE sessions SET expires_at = now() - interval '1 second' WHERE account_id = '{}'",
        ),
        (
            &admin,
            "UPDATE accounts SET deactivated_at = now() WHERE id = '{}'",
        ),
        (
            &mam,
            "UPDATE sessions SET revoked_at = now() WHERE account_id = '{}'",
        ),
    ];
    for (reader, _) in &readers {
        for path in &paths {
            assert_eq!(feed(&app, &reader.token, path).await.len(), 1, "{path}");
        }
    }
    for (reader, kill) in &readers {
        app.sql(&kill.replace("{}", &reader.id.to_string())).await;
        for path in &paths {
            app.get(path)
                .bearer(&reader.token)
                .send()
                .await
                .problem(401, "unauthenticated");
        }
    }
}
