//! Stories: audiences decide which supporters see them, a supporter's story waits for the
//! person, and only an author or the person changes one.

use camau::auth::roles::Role;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{Actor, Person, TestApp};

struct Circle {
    person: Person,
    mentor: Actor,
    /// With every grant.
    mam: (Uuid, Actor),
    /// With every grant.
    friend: (Uuid, Actor),
    /// In the circle without grants.
    nogrant: Actor,
}

async fn circle(app: &TestApp) -> Circle {
    let org = app.provider().await;
    let person = app.person(&org).await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    app.assign(&person, &mentor, &org).await;
    Circle {
        mam: app.supporter(&person, &org, true).await,
        friend: app.supporter(&person, &org, true).await,
        nogrant: app.supporter(&person, &org, false).await.1,
        person,
        mentor,
    }
}

async fn post(app: &TestApp, token: &str, person: Uuid, body: Value) -> Value {
    app.post(&format!("/v1/people/{person}/stories"))
        .bearer(token)
        .json(&body)
        .send()
        .await
        .expect(201)
}

async fn bodies(app: &TestApp, token: &str, person: Uuid) -> Vec<String> {
    app.get(&format!("/v1/people/{person}/stories"))
        .bearer(token)
        .send()
        .await
        .expect(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["body"].as_str().unwrap().to_owned())
        .collect()
}

#[actix_web::test]
async fn the_audience_the_person_chooses_decides_which_supporters_see_a_story() {
    let app = TestApp::new().await;
    let c = circle(&app).await;
    let p = c.person.id;
    let me = &c.person.account.token;
    post(
        &app,
        me,
        p,
        json!({ "body": "Private words", "audience": "private" }),
    )
    .await;
    let everyone = post(
        &app,
        me,
        p,
        json!({ "body": "For my circle", "audience": "circle" }),
    )
    .await;
    post(
        &app,
        me,
        p,
        json!({ "body": "Just for Mam", "audience": "members", "members": [c.mam.0] }),
    )
    .await;
    let by_mentor = post(
        &app,
        &c.mentor.token,
        p,
        json!({ "body": "Cai made tea for the group", "lang": "en", "audience": "circle" }),
    )
    .await;
    assert_eq!(by_mentor["author"]["kind"], "staff");
    assert_eq!(by_mentor["author"]["display_name"], c.mentor.name.as_str());
    assert_eq!(everyone["author"]["display_name"], c.person.name.as_str());
    assert_eq!(everyone["status"], "published");

    let all = [
        "Cai made tea for the group",
        "Just for Mam",
        "For my circle",
        "Private words",
    ];
    assert_eq!(bodies(&app, me, p).await, all);
    assert_eq!(bodies(&app, &c.mentor.token, p).await, all);
    assert_eq!(
        bodies(&app, &c.mam.1.token, p).await,
        [
            "Cai made tea for the group",
            "Just for Mam",
            "For my circle"
        ]
    );
    assert_eq!(
        bodies(&app, &c.friend.1.token, p).await,
        ["Cai made tea for the group", "For my circle"]
    );
    app.get(&format!("/v1/people/{p}/stories"))
        .bearer(&c.nogrant.token)
        .send()
        .await
        .problem(403, "forbidden");
    // Supporters do not learn who else was chosen.
    let mams = app
        .get(&format!("/v1/people/{p}/stories"))
        .bearer(&c.mam.1.token)
        .send()
        .await
        .expect(200);
    assert!(
        mams["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s.get("members").is_none())
    );

    // Narrowing the audience applies to the very next request.
    let id = everyone["id"].as_str().unwrap();
    app.patch(&format!("/v1/stories/{id}"))
        .bearer(me)
        .header("if-match", "\"v1\"")
        .json(&json!({ "audience": "members", "members": [c.mam.0] }))
        .send()
        .await
        .expect(200);
    app.get(&format!("/v1/stories/{id}"))
        .bearer(&c.friend.1.token)
        .send()
        .await
        .problem(404, "not_found");
    // Removing the stories grant hides every story from that supporter.
    app.sql(&format!(
        "UPDATE circle_members SET can_see_stories = false WHERE id = '{}'",
        c.mam.0
    ))
    .await;
    app.get(&format!("/v1/stories/{id}"))
        .bearer(&c.mam.1.token)
        .send()
        .await
        .problem(404, "not_found");
}

#[actix_web::test]
async fn a_supporters_story_waits_for_the_person_to_accept_it() {
    let app = TestApp::new().await;
    let c = circle(&app).await;
    let p = c.person.id;
    let story = post(
        &app,
        &c.mam.1.token,
        p,
        json!({ "body": "Cai rode his bike to Nain's", "audience": "circle" }),
    )
    .await;
    assert_eq!(story["status"], "pending");
    assert_eq!(story["author"]["kind"], "supporter");
    let id = story["id"].as_str().unwrap();
    // Its author, the person and staff see it; the rest of the circle does not yet.
    assert_eq!(bodies(&app, &c.mam.1.token, p).await.len(), 1);
    assert_eq!(bodies(&app, &c.person.account.token, p).await.len(), 1);
    assert_eq!(bodies(&app, &c.mentor.token, p).await.len(), 1);
    assert!(bodies(&app, &c.friend.1.token, p).await.is_empty());
    // Only the person accepts, and accepting twice is harmless. The rest of the circle
    // cannot even find it yet.
    for token in [&c.mentor.token, &c.mam.1.token] {
        app.post(&format!("/v1/stories/{id}/accept"))
            .bearer(token)
            .send()
            .await
            .problem(403, "forbidden");
    }
    app.post(&format!("/v1/stories/{id}/accept"))
        .bearer(&c.friend.1.token)
        .send()
        .await
        .problem(404, "not_found");
    for _ in 0..2 {
        let accepted = app
            .post(&format!("/v1/stories/{id}/accept"))
            .bearer(&c.person.account.token)
            .send()
            .await
            .expect(200);
        assert_eq!(accepted["status"], "published");
    }
    assert_eq!(bodies(&app, &c.friend.1.token, p).await.len(), 1);
    assert_eq!(
        app.scalar(&format!(
            "SELECT count(*) FROM activities WHERE story_id = '{id}'"
        ))
        .await,
        1
    );
    // Accepted, it is the person's: its supporter author can no longer change it, and once
    // the person makes it private the author no longer sees it either.
    app.patch(&format!("/v1/stories/{id}"))
        .bearer(&c.mam.1.token)
        .header("if-match", "\"v2\"")
        .json(&json!({ "audience": "circle", "body": "Changed after" }))
        .send()
        .await
        .problem(403, "forbidden");
    app.patch(&format!("/v1/stories/{id}"))
        .bearer(&c.person.account.token)
        .header("if-match", "\"v2\"")
        .json(&json!({ "audience": "private" }))
        .send()
        .await
        .expect(200);
    app.get(&format!("/v1/stories/{id}"))
        .bearer(&c.mam.1.token)
        .send()
        .await
        .problem(404, "not_found");
    // A supporter without `contribute` cannot write one.
    app.sql(&format!(
        "UPDATE circle_members SET can_contribute = false WHERE id = '{}'",
        c.friend.0
    ))
    .await;
    app.post(&format!("/v1/people/{p}/stories"))
        .bearer(&c.friend.1.token)
        .json(&json!({ "body": "Hello" }))
        .send()
        .await
        .problem(403, "forbidden");
}

#[actix_web::test]
async fn only_the_author_or_the_person_edits_and_staff_may_also_delete() {
    let app = TestApp::new().await;
    let c = circle(&app).await;
    let p = c.person.id;
    let mams = post(&app, &c.mam.1.token, p, json!({ "body": "Words by Mam" })).await;
    let id = mams["id"].as_str().unwrap();
    let edit = |token: &str, version: &str| {
        app.patch(&format!("/v1/stories/{id}"))
            .bearer(token)
            .header("if-match", version)
            .json(&json!({ "body": "Better words" }))
            .send()
    };
    edit(&c.mentor.token, "\"v1\"")
        .await
        .problem(403, "forbidden");
    edit(&c.friend.1.token, "\"v1\"")
        .await
        .problem(404, "not_found");
    edit(&c.mam.1.token, "\"v1\"").await.expect(200);
    edit(&c.person.account.token, "\"v1\"")
        .await
        .problem(412, "precondition_failed");
    let edited = edit(&c.person.account.token, "\"v2\"").await.expect(200);
    assert_eq!(edited["body"], "Better words");
    // Words are kept exactly; bad fields are named.
    let bad = app
        .post(&format!("/v1/people/{p}/stories"))
        .bearer(&c.person.account.token)
        .json(&json!({ "body": "", "audience": "members" }))
        .send()
        .await
        .problem(400, "validation_failed");
    let fields: Vec<&str> = bad["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["/body", "/members"]);
    // Members must be the person's circle; goals the person's own.
    app.post(&format!("/v1/people/{p}/stories"))
        .bearer(&c.person.account.token)
        .json(&json!({ "body": "x", "audience": "members", "members": [Uuid::now_v7()] }))
        .send()
        .await
        .problem(400, "validation_failed");
    app.post(&format!("/v1/people/{p}/stories"))
        .bearer(&c.person.account.token)
        .json(&json!({ "body": "x", "goal_id": Uuid::now_v7() }))
        .send()
        .await
        .problem(422, "invalid_reference");
    // Still pending and private: the rest of the circle cannot even find it.
    app.delete(&format!("/v1/stories/{id}"))
        .bearer(&c.friend.1.token)
        .send()
        .await
        .problem(404, "not_found");
    app.delete(&format!("/v1/stories/{id}"))
        .bearer(&c.mentor.token)
        .send()
        .await
        .expect(204);
    app.get(&format!("/v1/stories/{id}"))
        .bearer(&c.person.account.token)
        .send()
        .await
        .problem(404, "not_found");
}
