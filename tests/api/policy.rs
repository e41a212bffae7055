//! The access policy has two forms: Rust (`auth::access` and the stories filter, which every
//! API read passes) and SQL (`auth::policy`, migration 000028, which the feed, the delta sync
//! and push read). Every actor of the access matrix's world, with supporters whose person has
//! withdrawn consents and one who may only contribute, is run through both, and they must
//! agree on every person, story, comment and photo.

use std::collections::BTreeSet;

use diesel::QueryableByName;
use diesel::sql_types::{Bool, Nullable, Uuid as SqlUuid};
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use crate::access::world;
use crate::support::{Actor, TestApp};

/// A row of `person_viewers`, the SQL form of who may follow whom.
#[derive(QueryableByName, Debug, Clone, Copy, PartialEq, Eq)]
struct Viewer {
    #[diesel(sql_type = Nullable<SqlUuid>)]
    person_id: Option<Uuid>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    member_id: Option<Uuid>,
    #[diesel(sql_type = Nullable<Bool>)]
    full_view: Option<bool>,
    #[diesel(sql_type = Nullable<Bool>)]
    profile: Option<bool>,
    #[diesel(sql_type = Nullable<Bool>)]
    goals: Option<bool>,
    #[diesel(sql_type = Nullable<Bool>)]
    stories: Option<bool>,
    #[diesel(sql_type = Nullable<Bool>)]
    photos: Option<bool>,
    #[diesel(sql_type = Nullable<Bool>)]
    reviews: Option<bool>,
}

#[derive(QueryableByName)]
struct Seen {
    #[diesel(sql_type = Bool)]
    seen: bool,
}

/// A story of the world: its id, person, whether it is published, its photo and its story
/// activity (published ones only, as the service records them).
struct Story {
    id: Uuid,
    person: Uuid,
    published: bool,
    photo: Uuid,
    activity: Option<Uuid>,
}

/// A comment: its id, person, what it is on (`/v1/stories/…` or `/v1/goals/…`), whether that
/// is a story still waiting for the person, and its activity.
struct Comment {
    id: Uuid,
    person: Uuid,
    on: String,
    on_draft: bool,
    activity: Uuid,
}

/// A story to write: person, audience, author, author kind, published, hidden, and the
/// account whose membership is its chosen audience.
type Planned = (
    Uuid,
    &'static str,
    Uuid,
    &'static str,
    bool,
    bool,
    Option<Uuid>,
);

struct Records {
    people: Vec<Uuid>,
    stories: Vec<Story>,
    comments: Vec<Comment>,
    /// Supporters beyond the world's: all grants on a person who withdrew the circle's sight
    /// of stories and photos, and one who may only contribute.
    supporters: Vec<Actor>,
}

async fn records(app: &TestApp, w: &crate::access::World) -> Records {
    let (o, p) = (w.o.id, w.p.id);
    let sup = w.actors[8].as_ref().unwrap().id;
    let nogrant = w.actors[9].as_ref().unwrap().id;
    let mentor = w.mentor.id;
    let person_account = w.p.account.id;
    let q = app.person(&w.o).await;
    let (_, sq) = app.supporter(&q, &w.o, true).await;
    let (cq_member, cq) = app.supporter(&q, &w.o, false).await;
    let goal = Uuid::now_v7();
    let mut sql = format!(
        "UPDATE circle_members SET can_contribute = true WHERE id = '{cq_member}';
         UPDATE consents SET current = false WHERE person_id = '{q}' AND purpose IN ('circle_stories', 'circle_photos');
         INSERT INTO consents (id, person_id, organisation_id, purpose, audience, decision, given_by, wording_version, recorded_by)
           VALUES ('{}', '{q}', '{o}', 'circle_stories', 'circle', 'refused', 'person', 'v1', '{qa}'),
                  ('{}', '{q}', '{o}', 'circle_photos', 'circle', 'refused', 'person', 'v1', '{qa}');
         INSERT INTO goals (id, person_id, organisation_id, title, lang, status, scale_id, author_account_id)
           VALUES ('{goal}', '{p}', '{o}', 'A goal', 'en', 'active', '01937a00-0000-7000-8000-000000000001', '{mentor}');",
        Uuid::now_v7(),
        Uuid::now_v7(),
        q = q.id,
        qa = q.account.id,
    );
    let plan: Vec<Planned> = vec![
        (p, "circle", person_account, "person", true, false, None),
        (
            p,
            "members",
            person_account,
            "person",
            true,
            false,
            Some(sup),
        ),
        (
            p,
            "members",
            person_account,
            "person",
            true,
            false,
            Some(nogrant),
        ),
        (p, "private", person_account, "person", true, false, None),
        (p, "circle", person_account, "person", true, true, None),
        (p, "circle", sup, "supporter", false, false, None),
        (q.id, "circle", q.account.id, "person", true, false, None),
        (q.id, "circle", cq.id, "supporter", false, false, None),
    ];
    let mut stories = Vec::new();
    for (person, audience, author, kind, published, hidden, member) in plan {
        let (id, photo) = (Uuid::now_v7(), Uuid::now_v7());
        let status = if published { "published" } else { "pending" };
        let hidden_at = if hidden { "now()" } else { "NULL" };
        sql.push_str(&format!(
            "INSERT INTO stories (id, person_id, organisation_id, body, lang, audience, author_account_id, author_kind, status, hidden_at)
               VALUES ('{id}', '{person}', '{o}', 'Words', 'en', '{audience}', '{author}', '{kind}', '{status}', {hidden_at});
             INSERT INTO photos (id, story_id, person_id, organisation_id, width, height, uploaded_by, body_hash, stored_at)
               VALUES ('{photo}', '{id}', '{person}', '{o}', 640, 480, '{author}', '\\x00', now());"
        ));
        if let Some(account) = member {
            sql.push_str(&format!(
                "INSERT INTO story_audience (story_id, member_id, person_id, organisation_id)
                   SELECT '{id}', cm.id, cm.person_id, cm.organisation_id FROM circle_members cm
                    WHERE cm.account_id = '{account}' AND cm.person_id = '{person}';"
            ));
        }
        let activity = published.then(Uuid::now_v7);
        if let Some(a) = activity {
            sql.push_str(&format!(
                "INSERT INTO activities (id, person_id, organisation_id, kind, actor_account_id, story_id)
                   VALUES ('{a}', '{person}', '{o}', 'story_posted', '{author}', '{id}');"
            ));
        }
        stories.push(Story {
            id,
            person,
            published,
            photo,
            activity,
        });
    }
    // Comments, shown and hidden, on the circle's story, the supporter's draft, Q's story and
    // the goal.
    let on_story = |i: usize| (stories[i].id, stories[i].person, !stories[i].published);
    let mut comments = Vec::new();
    for (target, hidden) in [
        (Some(on_story(0)), false),
        (Some(on_story(0)), true),
        (Some(on_story(1)), false),
        (Some(on_story(5)), false),
        (Some(on_story(6)), false),
        (None, false),
        (None, true),
    ] {
        let (id, activity) = (Uuid::now_v7(), Uuid::now_v7());
        let hidden_at = if hidden { "now()" } else { "NULL" };
        let (person, column, on, on_draft) = match target {
            Some((story, person, draft)) => {
                (person, "story_id", format!("/v1/stories/{story}"), draft)
            }
            None => (p, "goal_id", format!("/v1/goals/{goal}"), false),
        };
        let target_id = on.rsplit('/').next().unwrap().to_owned();
        sql.push_str(&format!(
            "INSERT INTO comments (id, person_id, organisation_id, {column}, author_account_id, body, lang, hidden_at)
               VALUES ('{id}', '{person}', '{o}', '{target_id}', '{mentor}', 'Da iawn', 'en', {hidden_at});
             INSERT INTO activities (id, person_id, organisation_id, kind, actor_account_id, {column}, comment_id)
               VALUES ('{activity}', '{person}', '{o}', 'encouraged', '{mentor}', '{target_id}', '{id}');"
        ));
        comments.push(Comment {
            id,
            person,
            on,
            on_draft,
            activity,
        });
    }
    app.sql(&sql).await;
    for story in &stories {
        app.shared
            .state
            .storage
            .put_jpeg(
                &format!("photos/{}/thumb.jpg", story.photo),
                vec![0xFF, 0xD8, 0xFF, 0xD9],
            )
            .await
            .unwrap();
    }
    Records {
        people: vec![p, q.id],
        stories,
        comments,
        supporters: vec![sq, cq],
    }
}

/// What `person_viewers` says `account` may follow.
async fn sql_viewers(app: &TestApp, account: Uuid) -> Vec<Viewer> {
    let mut conn = app.shared.state.conn().await.unwrap();
    diesel::sql_query(
        "SELECT person_id, member_id, full_view, profile, goals, stories, photos, reviews \
           FROM person_viewers WHERE account_id = $1",
    )
    .bind::<SqlUuid, _>(account)
    .load(&mut conn)
    .await
    .unwrap()
}

/// What `story_seen` (or, with `comment`, `comment_seen`) says, drafts counted as the API
/// counts them.
async fn sql_seen(app: &TestApp, account: Uuid, v: &Viewer, function: &str, id: Uuid) -> bool {
    let mut conn = app.shared.state.conn().await.unwrap();
    let sql = match function {
        "story" => "SELECT story_seen($1, $2, $3, $4, $5, true) AS seen",
        _ => "SELECT comment_seen($1, $2, $3, $4, $5, $6, true) AS seen",
    };
    diesel::sql_query(sql)
        .bind::<SqlUuid, _>(id)
        .bind::<SqlUuid, _>(account)
        .bind::<Nullable<SqlUuid>, _>(v.member_id)
        .bind::<Bool, _>(v.full_view.unwrap())
        .bind::<Bool, _>(v.stories.unwrap())
        .bind::<Bool, _>(v.goals.unwrap())
        .get_result::<Seen>(&mut conn)
        .await
        .unwrap()
        .seen
}

async fn status(app: &TestApp, actor: &Actor, path: &str) -> u16 {
    app.get(path)
        .bearer(&actor.token)
        .send()
        .await
        .status
        .as_u16()
}

/// The ids of every page of `path` (a list with `items` and `next_cursor`).
async fn listed(app: &TestApp, actor: &Actor, path: &str, field: &str) -> Option<BTreeSet<String>> {
    let res = app.get(path).bearer(&actor.token).send().await;
    if res.status.as_u16() != 200 {
        return None;
    }
    let body = res.json();
    assert!(body["next_cursor"].is_null(), "{path}: one page holds it");
    Some(
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i[field].as_str().unwrap().to_owned())
            .collect(),
    )
}

#[actix_web::test]
async fn the_rust_and_sql_forms_of_the_access_policy_agree() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let r = records(&app, &w).await;
    // The sync reads only what no transaction still running can precede.
    crate::sync::settle(&app).await;
    let actors: Vec<&Actor> = w
        .actors
        .iter()
        .flatten()
        .chain(r.supporters.iter())
        .collect();
    let supporters: BTreeSet<Uuid> = w.actors[8..=10]
        .iter()
        .flatten()
        .chain(r.supporters.iter())
        .map(|a| a.id)
        .collect();
    // Each kind of record with the answers met, so the comparisons are not all one way.
    let mut answers: BTreeSet<(&str, bool)> = BTreeSet::new();
    for actor in actors {
        let who = &actor.name;
        let viewers = sql_viewers(&app, actor.id).await;
        let viewer = |person: Uuid| viewers.iter().find(|v| v.person_id == Some(person));
        // People, and the parts of their record the grants open.
        for &person in &r.people {
            let v = viewer(person);
            let api = status(&app, actor, &format!("/v1/people/{person}")).await;
            assert_eq!(
                api == 200,
                v.is_some(),
                "{who} following {person}: API {api}"
            );
            answers.insert(("person", api == 200));
            for (part, open) in [
                ("profile", v.map(|v| v.profile.unwrap())),
                ("goals", v.map(|v| v.goals.unwrap())),
                ("reviews", v.map(|v| v.reviews.unwrap())),
            ] {
                let api = status(&app, actor, &format!("/v1/people/{person}/{part}")).await;
                assert_eq!(
                    api == 200,
                    open == Some(true),
                    "{who}, {part} of {person}: {api}"
                );
                answers.insert((part, api == 200));
            }
        }
        // Stories and their photos.
        let mut api_stories = BTreeSet::new();
        for story in &r.stories {
            let sql = match viewer(story.person) {
                Some(v) => sql_seen(&app, actor.id, v, "story", story.id).await,
                None => false,
            };
            let api = status(&app, actor, &format!("/v1/stories/{}", story.id)).await;
            assert_eq!(api == 200, sql, "{who}, story {}: API {api}", story.id);
            answers.insert(("story", api == 200));
            if api == 200 {
                api_stories.insert(story.id);
            }
            let photos = viewer(story.person).is_some_and(|v| v.photos.unwrap());
            let api = status(
                &app,
                actor,
                &format!("/v1/photos/{}?size=thumb", story.photo),
            )
            .await;
            assert_eq!(
                api == 200,
                sql && photos,
                "{who}, photo {}: {api}",
                story.photo
            );
            answers.insert(("photo", api == 200));
        }
        // Comments: listed on what they are on, as `comment_seen` says.
        let mut api_comments = BTreeSet::new();
        for comment in &r.comments {
            let sql = match viewer(comment.person) {
                Some(v) => sql_seen(&app, actor.id, v, "comment", comment.id).await,
                None => false,
            };
            let list = listed(&app, actor, &format!("{}/comments", comment.on), "id").await;
            let api = list.is_some_and(|ids| ids.contains(&comment.id.to_string()));
            assert_eq!(api, sql, "{who}, comment {} on {}", comment.id, comment.on);
            answers.insert(("comment", api));
            if api {
                api_comments.insert(comment.id);
            }
        }
        // The feed and the sync carry what the API shows, but a story (and what is on it)
        // only once published: a supporter's draft is read through the stories API alone.
        let feed = listed(&app, actor, "/v1/me/feed?limit=100", "id")
            .await
            .unwrap_or_default();
        let supporter = supporters.contains(&actor.id);
        for story in &r.stories {
            if let Some(activity) = story.activity {
                let expected = api_stories.contains(&story.id);
                assert_eq!(
                    feed.contains(&activity.to_string()),
                    expected,
                    "{who}, the feed's item of story {}",
                    story.id
                );
            }
        }
        for comment in &r.comments {
            let expected = api_comments.contains(&comment.id) && !(supporter && comment.on_draft);
            assert_eq!(
                feed.contains(&comment.activity.to_string()),
                expected,
                "{who}, the feed's item of comment {}",
                comment.id
            );
        }
        let synced = synced(&app, actor).await;
        for story in &r.stories {
            let expected = api_stories.contains(&story.id) && (story.published || !supporter);
            assert_eq!(
                synced.contains(&("story", story.id)),
                expected,
                "{who}, the sync of story {}",
                story.id
            );
        }
        for comment in &r.comments {
            let expected = api_comments.contains(&comment.id) && !(supporter && comment.on_draft);
            assert_eq!(
                synced.contains(&("comment", comment.id)),
                expected,
                "{who}, the sync of comment {}",
                comment.id
            );
        }
    }
    for kind in [
        "person", "profile", "goals", "reviews", "story", "photo", "comment",
    ] {
        for seen in [true, false] {
            assert!(
                answers.contains(&(kind, seen)),
                "no {kind} was {seen} for anyone"
            );
        }
    }
}

/// The records the sync gives `actor` to upsert, from the start.
async fn synced(app: &TestApp, actor: &Actor) -> BTreeSet<(&'static str, Uuid)> {
    let mut out = BTreeSet::new();
    let mut path = "/v1/sync?limit=500".to_owned();
    loop {
        let res = app.get(&path).bearer(&actor.token).send().await;
        if res.status.as_u16() != 200 {
            return out;
        }
        let page = res.json();
        for change in page["changes"].as_array().unwrap() {
            if change["op"] != "upsert" {
                continue;
            }
            let kind = match change["type"].as_str().unwrap() {
                "story" => "story",
                "comment" => "comment",
                _ => continue,
            };
            out.insert((kind, change["id"].as_str().unwrap().parse().unwrap()));
        }
        if page["has_more"] != true {
            return out;
        }
        path = format!(
            "/v1/sync?limit=500&since={}",
            page["next_cursor"].as_str().unwrap()
        );
    }
}
