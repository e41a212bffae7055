//! Listing staff, changing roles and deactivating, with ETags.

use camau::auth::roles::Role;
use serde_json::json;

use crate::support::TestApp;

#[actix_web::test]
async fn staff_lists_page_by_cursor_and_mentors_see_names_only() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    let mut ids = vec![admin.id];
    for _ in 0..4 {
        ids.push(app.account(Some(&org), Role::Mentor).await.id);
    }
    let mentor = app.account(Some(&org), Role::Mentor).await;
    ids.push(mentor.id);
    let other = app.provider().await;
    app.account(Some(&other), Role::Mentor).await;

    let base = format!("/v1/organisations/{}/staff", org.id);
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(c) => format!("{base}?limit=4&cursor={c}"),
            None => format!("{base}?limit=4"),
        };
        let page = app.get(&url).bearer(&admin.token).send().await.expect(200);
        for item in page["items"].as_array().unwrap() {
            assert!(item["email"].as_str().is_some());
            assert!(item["role"].as_str().is_some());
            seen.push(item["id"].as_str().unwrap().parse::<uuid::Uuid>().unwrap());
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(
        seen, ids,
        "every member once, oldest first, no one from elsewhere"
    );

    let page = app
        .get(&base)
        .bearer(&mentor.token)
        .send()
        .await
        .expect(200);
    for item in page["items"].as_array().unwrap() {
        let keys: Vec<&String> = item.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["id", "name"], "mentors see names only");
    }
}

#[actix_web::test]
async fn role_changes_need_a_current_etag() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    let path = format!("/v1/staff/{}", mentor.id);
    let read = app.get(&path).bearer(&admin.token).send().await;
    let etag = read.header("etag").unwrap().to_owned();
    assert_eq!(read.expect(200)["role"], "mentor");

    app.patch(&path)
        .bearer(&admin.token)
        .json(&json!({ "role": "coordinator" }))
        .send()
        .await
        .problem(428, "precondition_required");
    let res = app
        .patch(&path)
        .bearer(&admin.token)
        .header("if-match", &etag)
        .json(&json!({ "role": "coordinator" }))
        .send()
        .await;
    let new_etag = res.header("etag").unwrap().to_owned();
    assert_eq!(res.expect(200)["role"], "coordinator");
    assert_ne!(new_etag, etag);
    // The old ETag is stale now.
    app.patch(&path)
        .bearer(&admin.token)
        .header("if-match", &etag)
        .json(&json!({ "role": "admin" }))
        .send()
        .await
        .problem(412, "precondition_failed");
    let me = app
        .get("/v1/me")
        .bearer(&mentor.token)
        .send()
        .await
        .expect(200);
    assert_eq!(
        me["account"]["role"], "coordinator",
        "the role applies at once"
    );
    app.patch(&path)
        .bearer(&admin.token)
        .header("if-match", &new_etag)
        .json(&json!({ "role": "commissioner" }))
        .send()
        .await
        .problem(400, "validation_failed");
}

#[actix_web::test]
async fn deactivation_and_reactivation() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    let path = format!("/v1/staff/{}", mentor.id);
    crate::sessions::deactivate(&app, &admin.token, mentor.id).await;
    let read = app.get(&path).bearer(&admin.token).send().await;
    let etag = read.header("etag").unwrap().to_owned();
    assert_eq!(read.expect(200)["active"], false);
    app.patch(&path)
        .bearer(&admin.token)
        .header("if-match", &etag)
        .json(&json!({ "active": true }))
        .send()
        .await
        .expect(200);
    app.login(&mentor.email, crate::support::PASSWORD)
        .await
        .expect(200);
    // The old session stays ended.
    app.get("/v1/me")
        .bearer(&mentor.token)
        .send()
        .await
        .problem(401, "unauthenticated");
}

#[actix_web::test]
async fn admins_cannot_change_themselves_and_others_cannot_manage() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    let coordinator = app.account(Some(&org), Role::Coordinator).await;
    let own = format!("/v1/staff/{}", admin.id);
    let etag = app
        .get(&own)
        .bearer(&admin.token)
        .send()
        .await
        .header("etag")
        .unwrap()
        .to_owned();
    app.patch(&own)
        .bearer(&admin.token)
        .header("if-match", &etag)
        .json(&json!({ "active": false }))
        .send()
        .await
        .problem(409, "conflict");
    app.patch(&own)
        .bearer(&coordinator.token)
        .header("if-match", &etag)
        .json(&json!({ "role": "mentor" }))
        .send()
        .await
        .problem(403, "forbidden");
    app.patch(&own)
        .bearer(&admin.token)
        .header("if-match", &etag)
        .json(&json!({ "role": "mentor", "salary": 1 }))
        .send()
        .await
        .problem(400, "invalid_json");
}

#[actix_web::test]
async fn another_organisations_staff_are_not_found() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let other = app.provider().await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    let stranger = app.admin(&other).await;
    let path = format!("/v1/staff/{}", mentor.id);
    let res = app.get(&path).bearer(&stranger.token).send().await;
    let body = res.problem(404, "not_found");
    assert!(!body.to_string().contains(&mentor.email));
    // Same answer as for an id that does not exist.
    let missing = app
        .get(&format!("/v1/staff/{}", uuid::Uuid::now_v7()))
        .bearer(&stranger.token)
        .send()
        .await
        .problem(404, "not_found");
    assert_eq!(body["title"], missing["title"]);
    app.patch(&path)
        .bearer(&stranger.token)
        .header("if-match", "\"v1\"")
        .json(&json!({ "active": false }))
        .send()
        .await
        .problem(404, "not_found");
    app.get(&format!("/v1/organisations/{}/staff", org.id))
        .bearer(&stranger.token)
        .send()
        .await
        .problem(404, "not_found");
    app.login(&mentor.email, crate::support::PASSWORD)
        .await
        .expect(200);
}

#[actix_web::test]
async fn supported_peoples_logins_are_not_staff() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    let person = app.person(&org).await;
    let list = app
        .get(&format!("/v1/organisations/{}/staff", org.id))
        .bearer(&admin.token)
        .send()
        .await
        .expect(200);
    let ids: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [admin.id.to_string()]);
    let path = format!("/v1/staff/{}", person.account.id);
    app.get(&path)
        .bearer(&admin.token)
        .send()
        .await
        .problem(404, "not_found");
    app.patch(&path)
        .bearer(&admin.token)
        .header("if-match", "\"v1\"")
        .json(&json!({ "role": "admin" }))
        .send()
        .await
        .problem(404, "not_found");
}
