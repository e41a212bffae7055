//! The plan: profiles with history, circles and grants, goals with status history, actions
//! and suggestions, reviews and progress on each scale.

use camau::auth::roles::Role;
use serde_json::{Value, json};

use crate::support::{Actor, Org, Person, TestApp};

struct Plan {
    app: TestApp,
    org: Org,
    mentor: Actor,
    person: Person,
}

async fn plan() -> Plan {
    plan_with(crate::support::TestEnv::default()).await
}

async fn plan_with(env: crate::support::TestEnv) -> Plan {
    let app = TestApp::with_env(env).await;
    let org = app.provider().await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    let person = app.person(&org).await;
    app.assign(&person, &mentor, &org).await;
    Plan {
        app,
        org,
        mentor,
        person,
    }
}

async fn etag(app: &TestApp, token: &str, path: &str) -> String {
    app.get(path)
        .bearer(token)
        .send()
        .await
        .header("etag")
        .expect("etag")
        .to_owned()
}

#[actix_web::test]
async fn profile_saves_keep_history_and_need_the_current_etag() {
    let Plan {
        app,
        mentor,
        person,
        ..
    } = plan().await;
    let path = format!("/v1/people/{}/profile", person.id);
    let tag0 = etag(&app, &mentor.token, &path).await;
    let save = |token: &str, tag: &str, body: Value| {
        app.put(&path)
            .bearer(token)
            .header("if-match", tag)
            .json(&body)
    };
    let res = save(
        &mentor.token,
        &tag0,
        json!({ "sections": { "liked_and_admired": { "text": "Kind, funny" }, "important_to_me": { "text": "Fy nghi, Mot 🐕", "lang": "cy" } } }),
    )
    .send()
    .await;
    let tag1 = res.header("etag").unwrap().to_owned();
    let body = res.expect(200);
    assert_eq!(body["sections"].as_array().unwrap().len(), 2);
    // A stale ETag: someone saved since.
    save(
        &person.account.token,
        &tag0,
        json!({ "sections": { "important_to_me": { "text": "x" } } }),
    )
    .send()
    .await
    .problem(412, "precondition_failed");
    let body = save(
        &person.account.token,
        &tag1,
        json!({ "sections": { "important_to_me": { "text": "Mot and my bike" } } }),
    )
    .send()
    .await
    .expect(200);
    let section = body["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["section"] == "important_to_me")
        .unwrap()
        .clone();
    assert_eq!(section["text"], "Mot and my bike");
    assert_eq!(section["author"]["kind"], "person");
    let history = app
        .get(&format!("{path}/history"))
        .bearer(&mentor.token)
        .send()
        .await
        .expect(200);
    let items = history["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[0]["text"], "Mot and my bike");
    assert_eq!(items[0]["author"]["id"], person.account.id.to_string());
    assert_eq!(items[1]["text"], "Fy nghi, Mot 🐕");
    assert_eq!(items[1]["lang"], "cy");
    assert_eq!(items[1]["author"]["kind"], "staff");
    save(
        &mentor.token,
        "\"v3\"",
        json!({ "sections": { "hopes_and_dreams": { "text": "x".repeat(5001) } } }),
    )
    .send()
    .await
    .problem(400, "validation_failed");
}

#[actix_web::test]
async fn grant_changes_and_removal_apply_to_the_supporters_next_request() {
    let Plan {
        app,
        org,
        mentor,
        person,
    } = plan().await;
    let (member, supporter) = app.supporter(&person, &org, true).await;
    let (_, other) = app.supporter(&person, &org, false).await;
    let goals = format!("/v1/people/{}/goals", person.id);
    app.get(&goals)
        .bearer(&supporter.token)
        .send()
        .await
        .expect(200);

    // The supporter sees whose circle it is, and only their own membership.
    let read = app
        .get(&format!("/v1/people/{}", person.id))
        .bearer(&supporter.token)
        .send()
        .await
        .expect(200);
    assert_eq!(read["preferred_name"], person.name);
    assert!(
        read.get("details").is_none(),
        "supporters see the name only: {read}"
    );
    let circle = app
        .get(&format!("/v1/people/{}/circle", person.id))
        .bearer(&supporter.token)
        .send()
        .await
        .expect(200);
    let members = circle["items"].as_array().unwrap();
    assert_eq!(members.len(), 1);
    assert_eq!(members[0]["id"], member.to_string());
    assert!(!circle.to_string().contains(&other.email));

    let path = format!("/v1/circle-members/{member}");
    let everyone = app
        .get(&format!("/v1/people/{}/circle", person.id))
        .bearer(&mentor.token)
        .send()
        .await
        .expect(200);
    assert_eq!(
        everyone["items"].as_array().unwrap().len(),
        2,
        "staff see every member"
    );
    assert!(
        everyone.to_string().contains(&other.email),
        "staff see contact details"
    );
    app.patch(&path)
        .bearer(&person.account.token)
        .header("if-match", "\"v1\"")
        .json(&json!({ "grants": { "profile": true } }))
        .send()
        .await
        .expect(200);
    app.get(&goals)
        .bearer(&supporter.token)
        .send()
        .await
        .problem(403, "forbidden");
    app.get(&format!("/v1/people/{}/profile", person.id))
        .bearer(&supporter.token)
        .send()
        .await
        .expect(200);

    app.delete(&path)
        .bearer(&person.account.token)
        .send()
        .await
        .expect(204);
    app.get(&format!("/v1/people/{}", person.id))
        .bearer(&supporter.token)
        .send()
        .await
        .problem(404, "not_found");
    app.get(&format!("/v1/people/{}/profile", person.id))
        .bearer(&supporter.token)
        .send()
        .await
        .problem(404, "not_found");
}

#[actix_web::test]
async fn a_circle_invitation_makes_a_supporter_login_and_one_supporter_can_serve_two_people() {
    let Plan {
        app,
        org,
        mentor,
        person,
    } = plan().await;
    let sibling = app.person(&org).await;
    app.assign(&sibling, &mentor, &org).await;
    let add = |p: &Person| {
        app.post(&format!("/v1/people/{}/circle", p.id))
            .bearer(&mentor.token)
            .json(&json!({ "name": "Mam", "relationship": "family", "email": "mam@example.org", "grants": { "goals": true }, "parental_responsibility": true }))
    };
    let first = add(&person).send().await.expect(201);
    assert_eq!(first["grants"]["profile"], false, "least access by default");
    let second = add(&sibling).send().await.expect(201);
    let invite = |m: &Value| {
        app.post(&format!(
            "/v1/circle-members/{}/invitations",
            m["id"].as_str().unwrap()
        ))
        .bearer(&mentor.token)
    };
    let code1 = invite(&first).send().await.expect(201)["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let code2 = invite(&second).send().await.expect(201)["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let accept = |code: &str, password: &str| {
        app.post("/v1/circle-invitations/accept").json(
            &json!({ "code": code, "email": "Mam@Example.org", "name": "Mam", "password": password }),
        )
    };
    let signed = accept(&code1, "Teisen-lap-a-phaned-3")
        .send()
        .await
        .expect(201);
    assert_eq!(signed["role"], "supporter");
    let circles = app
        .get("/v1/me/circles")
        .bearer(signed["tokens"]["access_token"].as_str().unwrap())
        .send()
        .await
        .expect(200);
    assert_eq!(circles["items"][0]["person_id"], person.id.to_string());
    // A spent code answers as a wrong password does.
    accept(&code1, "Teisen-lap-a-phaned-3")
        .send()
        .await
        .problem(401, "invalid_credentials");
    accept(&code2, "Wrong-password-for-mam-1")
        .send()
        .await
        .problem(401, "invalid_credentials");
    let again = accept(&code2, "Teisen-lap-a-phaned-3")
        .send()
        .await
        .expect(201);
    assert_eq!(again["account_id"], signed["account_id"]);
    let token = again["tokens"]["access_token"].as_str().unwrap();
    for p in [&person, &sibling] {
        app.get(&format!("/v1/people/{}/goals", p.id))
            .bearer(token)
            .send()
            .await
            .expect(200);
        app.get(&format!("/v1/people/{}/reviews", p.id))
            .bearer(token)
            .send()
            .await
            .problem(403, "forbidden");
    }
    // Staff emails cannot become supporter logins, and the answer does not say the email is
    // a staff member's.
    let third = add(&person).send().await.expect(201);
    let code3 = invite(&third).send().await.expect(201)["code"]
        .as_str()
        .unwrap()
        .to_owned();
    app.post("/v1/circle-invitations/accept")
        .json(&json!({ "code": code3, "email": mentor.email, "name": "M", "password": "Teisen-lap-a-phaned-3" }))
        .send()
        .await
        .problem(401, "invalid_credentials");
}

#[actix_web::test]
async fn goal_status_changes_are_kept_with_their_dates() {
    let Plan {
        app,
        mentor,
        person,
        ..
    } = plan().await;
    let goal = app
        .post(&format!("/v1/people/{}/goals", person.id))
        .bearer(&person.account.token)
        .json(&json!({ "title": "Mynd ar y bws i'r coleg ar fy mhen fy hun", "lang": "cy", "why_it_matters": "Annibyniaeth" }))
        .send()
        .await
        .expect(201);
    assert_eq!(goal["status"], "active");
    let path = format!("/v1/goals/{}", goal["id"].as_str().unwrap());
    for status in ["paused", "active", "achieved"] {
        let tag = etag(&app, &mentor.token, &path).await;
        app.patch(&path)
            .bearer(&mentor.token)
            .header("if-match", &tag)
            .json(&json!({ "status": status }))
            .send()
            .await
            .expect(200);
    }
    let read = app
        .get(&path)
        .bearer(&person.account.token)
        .send()
        .await
        .expect(200);
    assert_eq!(read["title"], "Mynd ar y bws i'r coleg ar fy mhen fy hun");
    let history: Vec<&str> = read["status_history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    assert_eq!(history, ["active", "paused", "active", "achieved"]);
    assert!(read["status_history"][3]["changed_at"].as_str().is_some());
    assert_eq!(
        read["status_history"][3]["changed_by"],
        mentor.id.to_string()
    );
}

#[actix_web::test]
async fn supporters_suggest_actions_and_only_the_person_accepts() {
    let Plan {
        app,
        org,
        mentor,
        person,
    } = plan().await;
    let (member, supporter) = app.supporter(&person, &org, true).await;
    let goal = app
        .post(&format!("/v1/people/{}/goals", person.id))
        .bearer(&mentor.token)
        .json(&json!({ "title": "Swim a length" }))
        .send()
        .await
        .expect(201);
    let actions = format!("/v1/goals/{}/actions", goal["id"].as_str().unwrap());
    let suggestion = app
        .post(&actions)
        .bearer(&supporter.token)
        .json(&json!({ "description": "I'll take you on Saturdays", "owner": "circle_member", "owner_member_id": member }))
        .send()
        .await
        .expect(201);
    assert_eq!(suggestion["state"], "suggested");
    let path = format!("/v1/actions/{}", suggestion["id"].as_str().unwrap());
    app.patch(&path)
        .bearer(&mentor.token)
        .header("if-match", "\"v1\"")
        .json(&json!({ "state": "accepted" }))
        .send()
        .await
        .problem(403, "forbidden");
    let accepted = app
        .patch(&path)
        .bearer(&person.account.token)
        .header("if-match", "\"v1\"")
        .json(&json!({ "state": "accepted", "done": true }))
        .send()
        .await
        .expect(200);
    assert_eq!(accepted["state"], "accepted");
    assert_eq!(accepted["done"], true);
    app.post(&actions)
        .bearer(&mentor.token)
        .json(&json!({ "description": "x", "owner": "circle_member" }))
        .send()
        .await
        .problem(400, "validation_failed");
}

async fn goal_on(app: &TestApp, token: &str, person: &Person, scale: Option<&str>) -> String {
    let mut body = json!({ "title": "Goal" });
    if let Some(scale) = scale {
        body["scale"] = json!(scale);
    }
    app.post(&format!("/v1/people/{}/goals", person.id))
        .bearer(token)
        .json(&body)
        .send()
        .await
        .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[actix_web::test]
async fn progress_runs_from_the_baseline_over_several_reviews_on_each_scale() {
    let Plan {
        app,
        org,
        mentor,
        person,
    } = plan().await;
    let distance = goal_on(&app, &mentor.token, &person, None).await;
    let gas = goal_on(&app, &mentor.token, &person, Some("goal_attainment")).await;
    let outcome = goal_on(&app, &mentor.token, &person, Some("review_outcome")).await;
    let reviews = format!("/v1/people/{}/reviews", person.id);
    for (held_on, d, g, o) in [
        ("2026-03-01", 2.0, -2.0, 0.0),
        ("2026-06-01", 5.0, 0.0, 1.0),
        ("2026-09-01", 8.0, 1.0, 2.0),
    ] {
        app.post(&reviews)
            .bearer(&mentor.token)
            .json(&json!({
                "held_on": held_on,
                "person_took_part": true,
                "staff_participants": [mentor.id],
                "whats_working": "Going on the bus",
                "staff_notes": "Staff eyes only",
                "next_review_on": "2026-10-01",
                "ratings": [
                    { "goal_id": distance, "value": d },
                    { "goal_id": gas, "value": g, "comment": "agreed together" },
                    { "goal_id": outcome, "value": o },
                ],
            }))
            .send()
            .await
            .expect(201);
    }
    let progress = |goal: &str| {
        app.get(&format!("/v1/goals/{goal}/progress"))
            .bearer(&person.account.token)
    };
    let p = progress(&distance).send().await.expect(200);
    assert_eq!(p["baseline"]["value"], 2.0);
    assert_eq!(p["latest"]["value"], 8.0);
    assert_eq!(p["change_since_baseline"], 6.0);
    assert_eq!(p["ratings"].as_array().unwrap().len(), 3);
    let p = progress(&gas).send().await.expect(200);
    assert_eq!(p["baseline"]["label"]["text"], "Much less than expected");
    assert_eq!(p["latest"]["label"]["text"], "Better than expected");
    assert_eq!(p["change_since_baseline"], 3.0);
    assert_eq!(p["ratings"][1]["comment"], "agreed together");
    let p = app
        .get(&format!("/v1/goals/{outcome}/progress"))
        .bearer(&mentor.token)
        .header("accept-language", "cy")
        .send()
        .await
        .expect(200);
    assert_eq!(p["latest"]["label"]["text"], "Fully met");
    assert_eq!(
        p["latest"]["label"]["lang"], "en",
        "English is served, and said, where Welsh is missing"
    );
    let p = app
        .get(&format!("/v1/goals/{distance}/progress"))
        .bearer(&mentor.token)
        .header("accept-language", "cy")
        .send()
        .await
        .expect(200);
    assert_eq!(p["baseline"]["value"], 2.0);

    // Staff notes are for staff.
    let mine = app
        .get(&reviews)
        .bearer(&person.account.token)
        .send()
        .await
        .expect(200);
    assert!(mine["items"][0].get("staff_notes").is_none());
    let theirs = app
        .get(&reviews)
        .bearer(&mentor.token)
        .send()
        .await
        .expect(200);
    assert_eq!(theirs["items"][0]["staff_notes"], "Staff eyes only");

    // Off-scale ratings and strangers' goals are refused.
    let body = app
        .post(&reviews)
        .bearer(&mentor.token)
        .json(&json!({ "held_on": "2026-10-01", "person_took_part": false, "ratings": [
            { "goal_id": gas, "value": 3 }, { "goal_id": distance, "value": 2.5 }, { "goal_id": uuid::Uuid::now_v7(), "value": 1 }
        ] }))
        .send()
        .await
        .problem(400, "validation_failed");
    let codes: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["off_scale", "off_scale", "unknown_goal"]);

    // The next review date (2026-10-01) has passed: the person is overdue.
    let overdue = app
        .get(&format!("/v1/organisations/{}/overdue-reviews", org.id))
        .bearer(&mentor.token)
        .send()
        .await
        .expect(200);
    assert_eq!(overdue["items"][0]["person_id"], person.id.to_string());
    assert_eq!(overdue["items"][0]["last_review_on"], "2026-09-01");
}

#[actix_web::test]
async fn scales_are_listed_with_labels_in_the_requested_language() {
    let Plan { app, mentor, .. } = plan().await;
    let scales = app
        .get("/v1/scales")
        .bearer(&mentor.token)
        .header("accept-language", "cy, en;q=0.5")
        .send()
        .await
        .expect(200);
    let distance = scales["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["code"] == "distance_travelled")
        .unwrap()
        .clone();
    assert_eq!(distance["name"]["lang"], "cy");
    assert_eq!(distance["is_default"], true);
    assert_eq!(
        (distance["min"].as_f64(), distance["max"].as_f64()),
        (Some(0.0), Some(10.0))
    );
}

#[actix_web::test]
async fn fifty_edits_with_one_etag_at_once_make_one_change() {
    // Room for all fifty at once: a 503 from a small pool would prove nothing.
    let p = plan_with(
        crate::support::TestEnv::default()
            .set("CAMAU_DB_POOL_SIZE", "16")
            .set("CAMAU_DB_POOL_TIMEOUT_MS", "20000"),
    )
    .await;
    let app = &p.app;
    let goal = app
        .post(&format!("/v1/people/{}/goals", p.person.id))
        .bearer(&p.person.account.token)
        .json(&json!({ "title": "Learn to swim", "lang": "en" }))
        .send()
        .await
        .expect(201);
    let path = format!("/v1/goals/{}", goal["id"].as_str().unwrap());
    let tag = etag(app, &p.person.account.token, &path).await;
    let edits: Vec<_> = (0..50)
        .map(|i| {
            app.patch(&path)
                .bearer(&p.person.account.token)
                .header("if-match", &tag)
                .json(&json!({ "title": format!("Swim a length, try {i}") }))
                .send()
        })
        .collect();
    let results = futures_util::future::join_all(edits).await;
    let won: Vec<_> = results
        .iter()
        .filter(|r| r.status.as_u16() == 200)
        .collect();
    assert_eq!(won.len(), 1, "exactly one edit wins");
    let new_tag = won[0].header("etag").unwrap().to_owned();
    assert_ne!(new_tag, tag);
    for res in results.iter().filter(|r| r.status.as_u16() != 200) {
        res.problem(412, "precondition_failed");
    }
    // The stored title is the winner's, and a later read says so.
    let now = app.get(&path).bearer(&p.person.account.token).send().await;
    assert_eq!(now.header("etag"), Some(new_tag.as_str()));
    assert_eq!(now.expect(200)["title"], won[0].json()["title"]);
    // A stale edit is told the current version, so an offline client knows what it missed.
    let stale = app
        .patch(&path)
        .bearer(&p.person.account.token)
        .header("if-match", &tag)
        .json(&json!({ "title": "Overwrite" }))
        .send()
        .await;
    assert_eq!(stale.header("etag"), Some(new_tag.as_str()));
    stale.problem(412, "precondition_failed");
}
