//! Delta sync: everything a caller may see that changed since a cursor, with tombstones for
//! deletions and for access lost, in pages that skip nothing committed late.

use camau::auth::roles::Role;
use serde_json::{Value, json};

use crate::support::{Actor, Org, Person, TestApp};

struct World {
    app: TestApp,
    org: Org,
    mentor: Actor,
    person: Person,
}

async fn world() -> World {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    let person = app.person(&org).await;
    app.assign(&person, &mentor, &org).await;
    World {
        app,
        org,
        mentor,
        person,
    }
}

/// Waits until every transaction that wrote here has ended: transaction ids are shared by the
/// whole cluster, so other tests' transactions in flight (in their own databases) hold the
/// sync horizon back for a moment, as other writers would in production.
pub(crate) async fn settle(app: &TestApp) {
    for _ in 0..1200 {
        let passed = app
            .scalar(
                "(pg_snapshot_xmin(pg_current_snapshot())::text::bigint > \
                  coalesce((SELECT max(tx) FROM sync_log), 0))::int",
            )
            .await;
        if passed == 1 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the sync horizon never passed this test's writes");
}

/// Every page from `since` to the end, once the horizon has passed every write so far.
async fn sync_all(
    app: &TestApp,
    token: &str,
    since: Option<&str>,
    limit: u32,
) -> (Vec<Value>, String) {
    settle(app).await;
    read_all(app, token, since, limit).await
}

/// Every page from `since` to the end, as it is now: the changes and the last cursor.
async fn read_all(
    app: &TestApp,
    token: &str,
    since: Option<&str>,
    limit: u32,
) -> (Vec<Value>, String) {
    let mut changes = Vec::new();
    let mut cursor = since.map(str::to_owned);
    loop {
        let path = match &cursor {
            Some(c) => format!("/v1/sync?limit={limit}&since={c}"),
            None => format!("/v1/sync?limit={limit}"),
        };
        let page = app.get(&path).bearer(token).send().await.expect(200);
        changes.extend(page["changes"].as_array().unwrap().iter().cloned());
        cursor = Some(page["next_cursor"].as_str().unwrap().to_owned());
        if !page["has_more"].as_bool().unwrap() {
            return (changes, cursor.unwrap());
        }
    }
}

/// The ETag of what `path` reads, for an `If-Match`.
async fn etag_of(app: &TestApp, token: &str, path: &str) -> String {
    let res = app.get(path).bearer(token).send().await;
    res.header("etag").expect("an ETag").to_owned()
}

fn of<'a>(changes: &'a [Value], kind: &str) -> Vec<&'a Value> {
    changes.iter().filter(|c| c["type"] == kind).collect()
}

async fn create(app: &TestApp, token: &str, path: &str, body: Value) -> Value {
    app.post(path)
        .bearer(token)
        .json(&body)
        .send()
        .await
        .expect(201)
}

/// A goal with an action, a story with a comment and a reaction, a review and a profile.
async fn plan(w: &World) -> (String, String) {
    let (app, token, p) = (&w.app, &w.mentor.token, w.person.id);
    let goal = create(
        app,
        token,
        &format!("/v1/people/{p}/goals"),
        json!({ "title": "Catch the bus", "lang": "en" }),
    )
    .await;
    let goal = goal["id"].as_str().unwrap().to_owned();
    create(
        app,
        token,
        &format!("/v1/goals/{goal}/actions"),
        json!({ "description": "Find the timetable", "owner": "person" }),
    )
    .await;
    let story = create(
        app,
        &w.person.account.token,
        &format!("/v1/people/{p}/stories"),
        json!({ "body": "Es i ar y bws!", "lang": "cy", "audience": "circle" }),
    )
    .await;
    let story = story["id"].as_str().unwrap().to_owned();
    create(
        app,
        token,
        &format!("/v1/stories/{story}/comments"),
        json!({ "body": "Da iawn", "lang": "cy" }),
    )
    .await;
    app.post(&format!("/v1/stories/{story}/reactions"))
        .bearer(token)
        .json(&json!({ "kind": "clap" }))
        .send()
        .await
        .expect(200);
    create(
        app,
        token,
        &format!("/v1/people/{p}/reviews"),
        json!({ "held_on": "2026-11-20", "person_took_part": true, "ratings": [] }),
    )
    .await;
    let tag = app
        .get(&format!("/v1/people/{p}/profile"))
        .bearer(token)
        .send()
        .await;
    let tag = tag.header("etag").unwrap().to_owned();
    app.put(&format!("/v1/people/{p}/profile"))
        .bearer(token)
        .header("if-match", &tag)
        .json(&json!({ "sections": { "important_to_me": { "text": "Fy nheulu", "lang": "cy" } } }))
        .send()
        .await
        .expect(200);
    (goal, story)
}

#[actix_web::test]
async fn a_first_sync_names_every_record_and_each_href_reads_it() {
    let w = world().await;
    let (goal, story) = plan(&w).await;
    let (changes, _) = sync_all(&w.app, &w.mentor.token, None, 3).await;
    for kind in [
        "goal", "action", "story", "comment", "reaction", "review", "profile",
    ] {
        assert_eq!(of(&changes, kind).len(), 1, "{kind}: {changes:#?}");
    }
    assert_eq!(of(&changes, "goal")[0]["id"], goal.as_str());
    assert_eq!(of(&changes, "story")[0]["id"], story.as_str());
    // Being assigned to the person is a change of the mentor's own access.
    let access = of(&changes, "access");
    assert_eq!(access.len(), 1, "{changes:#?}");
    assert_eq!(access[0]["op"], "changed");
    assert!(
        access[0]["visible"]
            .as_array()
            .unwrap()
            .contains(&json!("review"))
    );
    for change in changes.iter().filter(|c| c["type"] != "access") {
        assert_eq!(change["op"], "upsert");
        assert_eq!(change["person_id"], w.person.id.to_string());
        let href = change["href"].as_str().expect("href");
        w.app
            .get(href)
            .bearer(&w.mentor.token)
            .send()
            .await
            .expect(200);
    }
    // An unassigned mentor and another organisation's staff follow nobody here.
    let other = w.app.account(Some(&w.org), Role::Mentor).await;
    let (theirs, _) = sync_all(&w.app, &other.token, None, 100).await;
    assert!(theirs.is_empty(), "{theirs:#?}");
    let elsewhere = w.app.provider().await;
    let stranger = w.app.admin(&elsewhere).await;
    assert!(
        sync_all(&w.app, &stranger.token, None, 100)
            .await
            .0
            .is_empty()
    );
}

#[actix_web::test]
async fn a_later_sync_has_only_the_changes_with_tombstones_for_deletions() {
    let w = world().await;
    let (goal, story) = plan(&w).await;
    let (_, cursor) = sync_all(&w.app, &w.mentor.token, None, 100).await;
    let (none, same) = sync_all(&w.app, &w.mentor.token, Some(&cursor), 100).await;
    assert!(none.is_empty(), "{none:#?}");
    let tag = w
        .app
        .get(&format!("/v1/goals/{goal}"))
        .bearer(&w.mentor.token)
        .send()
        .await;
    let tag = tag.header("etag").unwrap().to_owned();
    w.app
        .patch(&format!("/v1/goals/{goal}"))
        .bearer(&w.mentor.token)
        .header("if-match", &tag)
        .json(&json!({ "title": "Catch the 9am bus" }))
        .send()
        .await
        .expect(200);
    w.app
        .delete(&format!("/v1/stories/{story}"))
        .bearer(&w.person.account.token)
        .send()
        .await
        .expect(204);
    let (changes, _) = sync_all(&w.app, &w.mentor.token, Some(&same), 100).await;
    let summary: Vec<(String, String, String)> = changes
        .iter()
        .map(|c| {
            (
                c["type"].as_str().unwrap().into(),
                c["id"].as_str().unwrap().into(),
                c["op"].as_str().unwrap().into(),
            )
        })
        .collect();
    // The story's comment and reaction went with it: tombstones too.
    assert!(
        summary.contains(&("goal".into(), goal.clone(), "upsert".into())),
        "{summary:?}"
    );
    assert!(
        summary.contains(&("story".into(), story.clone(), "delete".into())),
        "{summary:?}"
    );
    assert_eq!(of(&changes, "comment")[0]["op"], "delete");
    assert_eq!(of(&changes, "reaction")[0]["op"], "delete");
    assert_eq!(changes.len(), 4, "{summary:?}");
    assert!(of(&changes, "story")[0].get("href").is_none());
}

#[actix_web::test]
async fn a_supporter_syncs_what_the_grants_allow_and_learns_when_access_changes() {
    let w = world().await;
    plan(&w).await;
    let (member, sup) = w.app.supporter(&w.person, &w.org, true).await;
    w.app
        .sql(&format!(
            "UPDATE circle_members SET can_see_reviews = false WHERE id = '{member}'"
        ))
        .await;
    let (changes, cursor) = sync_all(&w.app, &sup.token, None, 100).await;
    assert!(of(&changes, "review").is_empty(), "no reviews grant");
    assert_eq!(of(&changes, "goal").len(), 1);
    assert_eq!(of(&changes, "story").len(), 1);
    // No circle members of their own kind: their membership comes as their access.
    assert!(of(&changes, "circle_member").is_empty(), "{changes:#?}");
    assert_eq!(of(&changes, "access").len(), 1, "{changes:#?}");
    // The person takes back the goals grant: the supporter is told what they may still see.
    w.app
        .sql(&format!("UPDATE circle_members SET can_see_goals = false, version = version + 1 WHERE id = '{member}'"))
        .await;
    let (changes, cursor) = sync_all(&w.app, &sup.token, Some(&cursor), 100).await;
    let access = of(&changes, "access");
    assert_eq!(access.len(), 1, "{changes:#?}");
    assert_eq!(access[0]["op"], "changed");
    let visible: Vec<&str> = access[0]["visible"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        !visible.contains(&"goal") && visible.contains(&"story"),
        "{visible:?}"
    );
    // Removed from the circle: everything of the person goes.
    w.app
        .sql(&format!(
            "UPDATE circle_members SET removed_at = now() WHERE id = '{member}'"
        ))
        .await;
    let (changes, _) = sync_all(&w.app, &sup.token, Some(&cursor), 100).await;
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!(changes[0]["type"], "access");
    assert_eq!(changes[0]["op"], "revoked");
    assert_eq!(changes[0]["person_id"], w.person.id.to_string());
    assert_eq!(changes[0]["visible"], json!([]));
}

#[actix_web::test]
async fn a_change_committed_after_a_later_one_is_not_skipped() {
    use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
    let w = world().await;
    let (app, token, p) = (&w.app, &w.mentor.token, w.person.id);
    let a = create(
        app,
        token,
        &format!("/v1/people/{p}/goals"),
        json!({ "title": "A", "lang": "en" }),
    )
    .await;
    let b = create(
        app,
        token,
        &format!("/v1/people/{p}/goals"),
        json!({ "title": "B", "lang": "en" }),
    )
    .await;
    let (a, b) = (
        a["id"].as_str().unwrap().to_owned(),
        b["id"].as_str().unwrap().to_owned(),
    );
    let (_, cursor) = sync_all(app, token, None, 100).await;
    // A slow writer changes A first (and is numbered first) but commits last.
    let mut slow = AsyncPgConnection::establish(app.database_url())
        .await
        .unwrap();
    slow.batch_execute(&format!(
        "BEGIN; SELECT set_config('camau.audited', 'on', true); \
         UPDATE goals SET title = 'A, slowly' WHERE id = '{a}'"
    ))
    .await
    .unwrap();
    let tag = app
        .get(&format!("/v1/goals/{b}"))
        .bearer(token)
        .send()
        .await;
    let tag = tag.header("etag").unwrap().to_owned();
    app.patch(&format!("/v1/goals/{b}"))
        .bearer(token)
        .header("if-match", &tag)
        .json(&json!({ "title": "B, quickly" }))
        .send()
        .await
        .expect(200);
    // B is committed, but a page now would carry the cursor past A: it waits for A.
    let (early, cursor) = read_all(app, token, Some(&cursor), 1).await;
    assert!(
        early.is_empty(),
        "nothing past a change still running: {early:#?}"
    );
    slow.batch_execute("COMMIT").await.unwrap();
    let (late, _) = sync_all(app, token, Some(&cursor), 1).await;
    let ids: Vec<&str> = late.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec![a.as_str(), b.as_str()]);
}

#[actix_web::test]
async fn pages_read_while_others_write_miss_nothing() {
    let w = world().await;
    let (app, p) = (&w.app, w.person.id);
    let (_, start) = sync_all(app, &w.mentor.token, None, 100).await;
    let writes = async {
        let mut made = Vec::new();
        for i in 0..30 {
            let goal = create(
                app,
                &w.person.account.token,
                &format!("/v1/people/{p}/goals"),
                json!({ "title": format!("Goal {i}"), "lang": "en" }),
            )
            .await;
            made.push(goal["id"].as_str().unwrap().to_owned());
        }
        made
    };
    let reads = async {
        let mut seen = Vec::new();
        let mut cursor = start.clone();
        for _ in 0..20 {
            let (changes, next) = read_all(app, &w.mentor.token, Some(&cursor), 2).await;
            seen.extend(changes.iter().map(|c| c["id"].as_str().unwrap().to_owned()));
            cursor = next;
            tokio::task::yield_now().await;
        }
        (seen, cursor)
    };
    let (made, (mut seen, cursor)) = futures_util::future::join(writes, reads).await;
    let (rest, _) = sync_all(app, &w.mentor.token, Some(&cursor), 2).await;
    seen.extend(rest.iter().map(|c| c["id"].as_str().unwrap().to_owned()));
    for id in &made {
        assert!(seen.contains(id), "goal {id} was skipped");
    }
    let unique: std::collections::BTreeSet<_> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "a change given twice");
}

#[actix_web::test]
async fn bad_and_old_cursors_and_callers_without_records() {
    let w = world().await;
    w.app
        .get("/v1/sync?since=nonsense")
        .bearer(&w.mentor.token)
        .send()
        .await
        .problem(400, "invalid_query_parameter");
    w.app
        .get("/v1/sync?limit=0")
        .bearer(&w.mentor.token)
        .send()
        .await
        .problem(400, "invalid_query_parameter");
    let old = format!(
        "s1.1.1.{}",
        time::OffsetDateTime::now_utc().unix_timestamp() - 31 * 86_400
    );
    w.app
        .get(&format!("/v1/sync?since={old}"))
        .bearer(&w.mentor.token)
        .send()
        .await
        .problem(410, "sync_cursor_expired");
    let body = w.app.commissioning_body().await;
    let commissioner = w.app.account(Some(&body), Role::Commissioner).await;
    w.app
        .get("/v1/sync")
        .bearer(&commissioner.token)
        .send()
        .await
        .problem(403, "forbidden");
}

#[actix_web::test]
async fn what_a_supporters_phone_must_drop_is_said_hidden_private_consent_and_erasure() {
    let w = world().await;
    let (_, story) = plan(&w).await;
    let (_, sup) = w.app.supporter(&w.person, &w.org, true).await;
    let (first, cursor) = sync_all(&w.app, &sup.token, None, 100).await;
    assert_eq!(of(&first, "story").len(), 1, "{first:#?}");
    let access = of(&first, "access");
    assert!(
        access[0]["visible"]
            .as_array()
            .unwrap()
            .contains(&json!("photo"))
    );
    // A concern hides the story: the supporter's phone is told to drop it.
    w.app
        .sql(&format!(
            "UPDATE stories SET hidden_at = now() WHERE id = '{story}'"
        ))
        .await;
    let (changes, cursor) = sync_all(&w.app, &sup.token, Some(&cursor), 100).await;
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!(
        (changes[0]["type"].as_str(), changes[0]["op"].as_str()),
        (Some("story"), Some("delete"))
    );
    // Staff still see it, as a change.
    let (staff, _) = sync_all(&w.app, &w.mentor.token, None, 100).await;
    assert_eq!(of(&staff, "story")[0]["op"], "upsert");
    // A private story never reaches the supporter, not even as a tombstone.
    let private = create(
        &w.app,
        &w.person.account.token,
        &format!("/v1/people/{}/stories", w.person.id),
        json!({ "body": "Dim ond i fi", "lang": "cy", "audience": "private" }),
    )
    .await;
    let (changes, cursor) = sync_all(&w.app, &sup.token, Some(&cursor), 100).await;
    assert!(
        changes.iter().all(|c| c["id"] != private["id"]),
        "{changes:#?}"
    );
    // The person refuses the circle seeing photos: the supporter learns photos are no longer
    // theirs to keep.
    w.app
        .post(&format!("/v1/people/{}/consents", w.person.id))
        .bearer(&w.person.account.token)
        .json(&json!({ "purpose": "circle_photos", "decision": "refused", "given_by": "person", "wording_version": "circle-photos/2026-11" }))
        .send()
        .await
        .expect(201);
    let (changes, cursor) = sync_all(&w.app, &sup.token, Some(&cursor), 100).await;
    let access = of(&changes, "access");
    assert_eq!(access.len(), 1, "{changes:#?}");
    let visible = access[0]["visible"].as_array().unwrap();
    assert!(
        !visible.contains(&json!("photo")) && visible.contains(&json!("story")),
        "{visible:?}"
    );
    // Erased: everyone who followed the person drops them.
    let (_, mentor_cursor) = sync_all(&w.app, &w.mentor.token, None, 100).await;
    w.app
        .sql(&format!("DELETE FROM people WHERE id = '{}'", w.person.id))
        .await;
    for (token, since) in [(&sup.token, &cursor), (&w.mentor.token, &mentor_cursor)] {
        let (changes, _) = sync_all(&w.app, token, Some(since), 100).await;
        assert_eq!(changes.len(), 1, "{changes:#?}");
        assert_eq!(changes[0]["type"], "access");
        assert_eq!(changes[0]["op"], "revoked");
        assert_eq!(changes[0]["person_id"], w.person.id.to_string());
    }
}

#[actix_web::test]
async fn a_member_taken_off_a_storys_audience_is_told_and_a_deleted_private_story_is_not_said() {
    let w = world().await;
    let (mam_member, mam) = w.app.supporter(&w.person, &w.org, true).await;
    let (friend_member, friend) = w.app.supporter(&w.person, &w.org, true).await;
    let token = &w.person.account.token;
    let story = create(
        &w.app,
        token,
        &format!("/v1/people/{}/stories", w.person.id),
        json!({ "body": "For you two", "audience": "members", "members": [mam_member, friend_member] }),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (first, mam_cursor) = sync_all(&w.app, &mam.token, None, 100).await;
    assert_eq!(of(&first, "story").len(), 1, "{first:#?}");
    let (_, friend_cursor) = sync_all(&w.app, &friend.token, None, 100).await;

    // Mam is taken off the story's audience: her phone is told to drop it; the friend's keeps it.
    let etag = etag_of(&w.app, token, &format!("/v1/stories/{story}")).await;
    w.app
        .patch(&format!("/v1/stories/{story}"))
        .bearer(token)
        .header("if-match", &etag)
        .json(&json!({ "audience": "members", "members": [friend_member] }))
        .send()
        .await
        .expect(200);
    let (changes, mam_cursor) = sync_all(&w.app, &mam.token, Some(&mam_cursor), 100).await;
    let stories = of(&changes, "story");
    assert_eq!(stories.len(), 1, "{changes:#?}");
    assert_eq!(stories[0]["op"], "delete");
    let (changes, _) = sync_all(&w.app, &friend.token, Some(&friend_cursor), 100).await;
    assert!(
        of(&changes, "story").iter().all(|c| c["op"] == "upsert"),
        "{changes:#?}"
    );

    // A private story made and deleted: never a word of it to a supporter.
    let private = create(
        &w.app,
        token,
        &format!("/v1/people/{}/stories", w.person.id),
        json!({ "body": "Dim ond i fi", "audience": "private" }),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let etag = etag_of(&w.app, token, &format!("/v1/stories/{private}")).await;
    w.app
        .delete(&format!("/v1/stories/{private}"))
        .bearer(token)
        .header("if-match", &etag)
        .send()
        .await
        .expect(204);
    let (changes, _) = sync_all(&w.app, &mam.token, Some(&mam_cursor), 100).await;
    assert!(
        changes.iter().all(|c| c["id"] != private.as_str()),
        "{changes:#?}"
    );
    // Staff are told it went.
    let (staff, _) = sync_all(&w.app, &w.mentor.token, None, 100).await;
    assert!(
        staff
            .iter()
            .any(|c| c["id"] == private.as_str() && c["op"] == "delete"),
        "{staff:#?}"
    );
}
