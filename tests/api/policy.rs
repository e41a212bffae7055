//! The access policy has two forms: Rust (`auth::access`, through which every API read passes)
//! and SQL (`auth::policy`, migration 000028: the views and functions the feed, the delta sync,
//! push and the stories filter read). Every actor of the access matrix's world, with the person
//! Q, a supporter of Q with every grant whom Q's withdrawn consents narrow and one who may only
//! contribute, is run through the API, the SQL, the feed and the sync, and each must give the
//! answer ACCESS-POLICY.md gives, written out below as [`Expect`], for every person, part of
//! the record, story, photo and comment.

use std::collections::{BTreeMap, BTreeSet};

use diesel::QueryableByName;
use diesel::sql_types::{Bool, Nullable, Uuid as SqlUuid};
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use crate::access::world;
use crate::support::{Actor, TestApp};

/// What a supporter's membership opens, once the person's consents narrow it.
#[derive(Debug, Clone, Copy, Default)]
struct Grants {
    profile: bool,
    goals: bool,
    stories: bool,
    photos: bool,
    reviews: bool,
}

/// How an actor stands to each person, as ACCESS-POLICY.md puts it: the whole record (staff
/// of the person's organisation who may see them, and the person), or a supporter's grants.
#[derive(Debug, Default)]
struct Expect {
    full: BTreeSet<Uuid>,
    member: BTreeMap<Uuid, Grants>,
}

impl Expect {
    fn follows(&self, person: Uuid) -> bool {
        self.full.contains(&person) || self.member.contains_key(&person)
    }

    fn part(&self, person: Uuid, part: &str) -> bool {
        self.full.contains(&person)
            || self.member.get(&person).is_some_and(|g| match part {
                "profile" => g.profile,
                "goals" => g.goals,
                _ => g.reviews,
            })
    }

    /// A story, its own drafts included (the stories API): the whole record's viewers see
    /// every one; a supporter one no concern hides that they wrote and the person has not yet
    /// accepted, or, with `stories`, a published one for the circle or for chosen members
    /// among whom they are.
    fn story(&self, actor: Uuid, s: &Story) -> bool {
        if self.full.contains(&s.person) {
            return true;
        }
        let Some(g) = self.member.get(&s.person) else {
            return false;
        };
        !s.hidden
            && if s.published {
                g.stories
                    && (s.audience == "circle"
                        || (s.audience == "members" && s.chosen == Some(actor)))
            } else {
                s.author == actor
            }
    }

    fn photo(&self, actor: Uuid, s: &Story) -> bool {
        self.story(actor, s)
            && (self.full.contains(&s.person)
                || self.member.get(&s.person).is_some_and(|g| g.photos))
    }

    /// A comment: every one for the whole record's viewers; for a supporter one not hidden, on
    /// a story they see or, with `goals`, on a goal.
    fn comment(&self, actor: Uuid, c: &Comment, stories: &[Story]) -> bool {
        if self.full.contains(&c.person) {
            return true;
        }
        let Some(g) = self.member.get(&c.person) else {
            return false;
        };
        !c.hidden
            && match c.story {
                Some(i) => self.story(actor, &stories[i]),
                None => g.goals,
            }
    }
}

/// A row of `person_viewers`.
#[derive(QueryableByName, Debug, Clone, Copy)]
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

struct Story {
    id: Uuid,
    person: Uuid,
    audience: &'static str,
    author: Uuid,
    published: bool,
    hidden: bool,
    /// The account whose membership is its chosen audience (`members`).
    chosen: Option<Uuid>,
    photo: Uuid,
    /// Its `story_posted` activity: published stories only, as the service records them.
    activity: Option<Uuid>,
}

struct Comment {
    id: Uuid,
    person: Uuid,
    /// The story it is on (an index into the stories), or `None`: the goal.
    story: Option<usize>,
    hidden: bool,
    /// `/v1/stories/{id}/comments` or `/v1/goals/{id}/comments`.
    list: String,
    activity: Uuid,
}

struct Records {
    people: Vec<Uuid>,
    stories: Vec<Story>,
    comments: Vec<Comment>,
    /// Every actor with the answers it must get.
    actors: Vec<(Actor, Expect)>,
    /// P's supporter with every grant.
    sup: Actor,
}

/// A story to write: person, audience, author, author kind, published, hidden, chosen.
type Planned = (
    Uuid,
    &'static str,
    Uuid,
    &'static str,
    bool,
    bool,
    Option<Uuid>,
);

async fn records(app: &TestApp, w: &crate::access::World) -> Records {
    let (o, p) = (w.o.id, w.p.id);
    let actor = |i: usize| w.actors[i].clone().unwrap();
    let (admin, coordinator, mentor, unassigned) = (actor(2), actor(3), actor(4), actor(5));
    let (person, other_person, sup, nogrant, removed) =
        (actor(6), actor(7), actor(8), actor(9), actor(10));
    let (platform, commissioner, other_admin) = (actor(1), actor(11), actor(12));
    let q = app.person(&w.o).await;
    let (_, sq) = app.supporter(&q, &w.o, true).await;
    let (cq_member, cq) = app.supporter(&q, &w.o, false).await;
    // R lets the circle see stories but not photos of them.
    let r = app.person(&w.o).await;
    let (_, sr) = app.supporter(&r, &w.o, true).await;
    let goal = Uuid::now_v7();
    let mut sql = format!(
        "UPDATE circle_members SET can_contribute = true WHERE id = '{cq_member}';
         UPDATE consents SET current = false WHERE person_id = '{q}' AND purpose IN ('circle_stories', 'circle_photos');
         INSERT INTO consents (id, person_id, organisation_id, purpose, audience, decision, given_by, wording_version, recorded_by)
           VALUES ('{}', '{q}', '{o}', 'circle_stories', 'circle', 'refused', 'person', 'v1', '{qa}'),
                  ('{}', '{q}', '{o}', 'circle_photos', 'circle', 'refused', 'person', 'v1', '{qa}');
         UPDATE consents SET current = false WHERE person_id = '{r}' AND purpose = 'circle_photos';
         INSERT INTO consents (id, person_id, organisation_id, purpose, audience, decision, given_by, wording_version, recorded_by)
           VALUES ('{}', '{r}', '{o}', 'circle_photos', 'circle', 'refused', 'person', 'v1', '{ra}');
         INSERT INTO goals (id, person_id, organisation_id, title, lang, status, scale_id, author_account_id)
           VALUES ('{goal}', '{p}', '{o}', 'A goal', 'en', 'active', '01937a00-0000-7000-8000-000000000001', '{m}');",
        Uuid::now_v7(),
        Uuid::now_v7(),
        Uuid::now_v7(),
        q = q.id,
        qa = q.account.id,
        r = r.id,
        ra = r.account.id,
        m = mentor.id,
    );
    let plan: Vec<Planned> = vec![
        (p, "circle", person.id, "person", true, false, None),
        (p, "members", person.id, "person", true, false, Some(sup.id)),
        (
            p,
            "members",
            person.id,
            "person",
            true,
            false,
            Some(nogrant.id),
        ),
        (p, "private", person.id, "person", true, false, None),
        (p, "circle", person.id, "person", true, true, None),
        (p, "circle", sup.id, "supporter", false, false, None),
        (q.id, "circle", q.account.id, "person", true, false, None),
        (q.id, "circle", cq.id, "supporter", false, false, None),
        // Once accepted, a supporter's story is the person's: kept private, its author no
        // longer sees it.
        (p, "private", sup.id, "supporter", true, false, None),
        (r.id, "circle", r.account.id, "person", true, false, None),
    ];
    let mut stories = Vec::new();
    for (person, audience, author, kind, published, hidden, chosen) in plan {
        let (id, photo) = (Uuid::now_v7(), Uuid::now_v7());
        let status = if published { "published" } else { "pending" };
        let hidden_at = if hidden { "now()" } else { "NULL" };
        sql.push_str(&format!(
            "INSERT INTO stories (id, person_id, organisation_id, body, lang, audience, author_account_id, author_kind, status, hidden_at)
               VALUES ('{id}', '{person}', '{o}', 'Words', 'en', '{audience}', '{author}', '{kind}', '{status}', {hidden_at});
             INSERT INTO photos (id, story_id, person_id, organisation_id, width, height, uploaded_by, body_hash, stored_at)
               VALUES ('{photo}', '{id}', '{person}', '{o}', 640, 480, '{author}', '\\x00', now());"
        ));
        if let Some(account) = chosen {
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
            audience,
            author,
            published,
            hidden,
            chosen,
            photo,
            activity,
        });
    }
    // Comments, shown and hidden: on the circle's story, on one for chosen members, on the
    // private and the hidden stories, on the supporter's draft, on Q's story, on the goal.
    let mut comments = Vec::new();
    for (story, hidden) in [
        (Some(0), false),
        (Some(0), true),
        (Some(1), false),
        (Some(3), false),
        (Some(4), false),
        (Some(5), false),
        (Some(6), false),
        (None, false),
        (None, true),
    ] {
        let (id, activity) = (Uuid::now_v7(), Uuid::now_v7());
        let hidden_at = if hidden { "now()" } else { "NULL" };
        let (person, column, target, list) = match story {
            Some(i) => {
                let s: &Story = &stories[i];
                (s.person, "story_id", s.id, format!("/v1/stories/{}", s.id))
            }
            None => (p, "goal_id", goal, format!("/v1/goals/{goal}")),
        };
        sql.push_str(&format!(
            "INSERT INTO comments (id, person_id, organisation_id, {column}, author_account_id, body, lang, hidden_at)
               VALUES ('{id}', '{person}', '{o}', '{target}', '{m}', 'Da iawn', 'en', {hidden_at});
             INSERT INTO activities (id, person_id, organisation_id, kind, actor_account_id, {column}, comment_id)
               VALUES ('{activity}', '{person}', '{o}', 'encouraged', '{m}', '{target}', '{id}');",
            m = mentor.id,
        ));
        comments.push(Comment {
            id,
            person,
            story,
            hidden,
            list: format!("{list}/comments"),
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
    // The answers ACCESS-POLICY.md gives each actor.
    let full = |people: &[Uuid]| Expect {
        full: people.iter().copied().collect(),
        member: BTreeMap::new(),
    };
    let member = |person: Uuid, g: Grants| Expect {
        full: BTreeSet::new(),
        member: [(person, g)].into(),
    };
    let every = Grants {
        profile: true,
        goals: true,
        stories: true,
        photos: true,
        reviews: true,
    };
    // A grant-less member still sees photos of the stories they see: photos are the
    // person's consent, not a grant (none here, so none seen).
    let none = Grants {
        photos: true,
        ..Grants::default()
    };
    // Q withdrew the circle's sight of stories and photos: the grants stand, narrowed.
    let narrowed = Grants {
        stories: false,
        photos: false,
        ..every
    };
    let sup_of_p = sup.clone();
    let actors = vec![
        (platform, Expect::default()),
        (admin, full(&[p, q.id, r.id])),
        (coordinator, full(&[p, q.id, r.id])),
        (mentor.clone(), full(&[p])),
        (unassigned, Expect::default()),
        (person, full(&[p])),
        (q.account.clone(), full(&[q.id])),
        (r.account.clone(), full(&[r.id])),
        (other_person, Expect::default()),
        (sup, member(p, every)),
        (nogrant, member(p, none)),
        (removed, Expect::default()),
        (commissioner, Expect::default()),
        (other_admin, Expect::default()),
        (sq, member(q.id, narrowed)),
        (cq, member(q.id, Grants::default())),
        (
            sr,
            member(
                r.id,
                Grants {
                    photos: false,
                    ..every
                },
            ),
        ),
    ];
    Records {
        people: vec![p, q.id, r.id],
        sup: sup_of_p,
        stories,
        comments,
        actors,
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

/// What `story_seen` (or `comment_seen`) says of `id` for the viewer row `v` of `person`,
/// drafts counted as the stories API counts them.
async fn sql_seen(
    app: &TestApp,
    account: Uuid,
    person: Uuid,
    v: Option<&Viewer>,
    comment: bool,
    id: Uuid,
) -> bool {
    let Some(v) = v else {
        return false;
    };
    let mut conn = app.shared.state.conn().await.unwrap();
    let query = diesel::sql_query(if comment {
        "SELECT comment_seen($1, $2, $3, $4, $5, $6, $7, true) AS seen"
    } else {
        "SELECT story_seen($1, $2, $3, $4, $5, $6, true) AS seen"
    })
    .bind::<SqlUuid, _>(id)
    .bind::<SqlUuid, _>(person)
    .bind::<SqlUuid, _>(account)
    .bind::<Nullable<SqlUuid>, _>(v.member_id)
    .bind::<Bool, _>(v.full_view.unwrap())
    .bind::<Bool, _>(v.stories.unwrap());
    let seen: Seen = if comment {
        query
            .bind::<Bool, _>(v.goals.unwrap())
            .get_result(&mut conn)
            .await
    } else {
        query.get_result(&mut conn).await
    }
    .unwrap();
    seen.seen
}

async fn ok(app: &TestApp, actor: &Actor, path: &str) -> bool {
    app.get(path)
        .bearer(&actor.token)
        .send()
        .await
        .status
        .as_u16()
        == 200
}

/// The ids on one page of `path` (a list with `items` and `next_cursor`), or `None` when the
/// list is refused.
async fn listed(app: &TestApp, actor: &Actor, path: &str) -> Option<BTreeSet<String>> {
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
            .map(|i| i["id"].as_str().unwrap().to_owned())
            .collect(),
    )
}

/// The stories and comments the sync gives `actor` to upsert, from the start.
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
            let kind = match (change["type"].as_str(), change["op"].as_str()) {
                (Some("story"), Some("upsert")) => "story",
                (Some("comment"), Some("upsert")) => "comment",
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

#[actix_web::test]
async fn the_rust_and_sql_forms_of_the_access_policy_give_the_policys_answers() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let r = records(&app, &w).await;
    // The sync reads only what no transaction still running can precede.
    crate::sync::settle(&app).await;
    // Each kind of record with the answers met, so the comparisons are not all one way.
    let mut answers: BTreeSet<(&str, bool)> = BTreeSet::new();
    for (actor, expect) in &r.actors {
        let who = &actor.name;
        let viewers = sql_viewers(&app, actor.id).await;
        let viewer = |person: Uuid| viewers.iter().find(|v| v.person_id == Some(person));
        for &person in &r.people {
            let (v, want) = (viewer(person), expect.follows(person));
            let api = ok(&app, actor, &format!("/v1/people/{person}")).await;
            assert_eq!(
                (api, v.is_some()),
                (want, want),
                "{who} following {person}: (API, SQL)"
            );
            answers.insert(("person", want));
            for part in ["profile", "goals", "reviews"] {
                let want = expect.part(person, part);
                let sql = v.is_some_and(|v| {
                    v.full_view.unwrap()
                        || match part {
                            "profile" => v.profile.unwrap(),
                            "goals" => v.goals.unwrap(),
                            _ => v.reviews.unwrap(),
                        }
                });
                let api = ok(&app, actor, &format!("/v1/people/{person}/{part}")).await;
                assert_eq!(
                    (api, sql),
                    (want, want),
                    "{who}, {part} of {person}: (API, SQL)"
                );
                answers.insert((part, want));
            }
        }
        for s in &r.stories {
            let want = expect.story(actor.id, s);
            let sql = sql_seen(&app, actor.id, s.person, viewer(s.person), false, s.id).await;
            let api = ok(&app, actor, &format!("/v1/stories/{}", s.id)).await;
            assert_eq!(
                (api, sql),
                (want, want),
                "{who}, story {}: (API, SQL)",
                s.id
            );
            answers.insert(("story", want));
            let want = expect.photo(actor.id, s);
            let sql = sql && viewer(s.person).is_some_and(|v| v.photos.unwrap());
            let api = ok(&app, actor, &format!("/v1/photos/{}?size=thumb", s.photo)).await;
            assert_eq!(
                (api, sql),
                (want, want),
                "{who}, photo {}: (API, SQL)",
                s.photo
            );
            answers.insert(("photo", want));
        }
        for c in &r.comments {
            let want = expect.comment(actor.id, c, &r.stories);
            let sql = sql_seen(&app, actor.id, c.person, viewer(c.person), true, c.id).await;
            let api = listed(&app, actor, &c.list)
                .await
                .is_some_and(|ids| ids.contains(&c.id.to_string()));
            assert_eq!(
                (api, sql),
                (want, want),
                "{who}, comment {}: (API, SQL)",
                c.id
            );
            answers.insert(("comment", want));
        }
        // The feed and the sync carry the same, but a story (and what is on it) only once
        // published, unless the actor sees the whole record: a supporter's draft is read
        // through the stories API alone.
        let feed = listed(&app, actor, "/v1/me/feed?limit=100")
            .await
            .unwrap_or_default();
        let synced = synced(&app, actor).await;
        let settled = |person: Uuid, story: Option<usize>| {
            expect.full.contains(&person) || story.is_none_or(|i| r.stories[i].published)
        };
        for (i, s) in r.stories.iter().enumerate() {
            let want = expect.story(actor.id, s) && settled(s.person, Some(i));
            if let Some(activity) = s.activity {
                let shown = feed.contains(&activity.to_string());
                assert_eq!(shown, want, "{who}, the feed's item of story {}", s.id);
            }
            let shown = synced.contains(&("story", s.id));
            assert_eq!(shown, want, "{who}, the sync of story {}", s.id);
        }
        for c in &r.comments {
            let want = expect.comment(actor.id, c, &r.stories) && settled(c.person, c.story);
            let shown = feed.contains(&c.activity.to_string());
            assert_eq!(shown, want, "{who}, the feed's item of comment {}", c.id);
            let shown = synced.contains(&("comment", c.id));
            assert_eq!(shown, want, "{who}, the sync of comment {}", c.id);
        }
    }
    // The functions answer for the viewer's person alone: a supporter of P with every grant,
    // asked of Q's story and comment with P's viewer row, sees neither.
    let sup = &r.sup;
    let p = r.people[0];
    let row = sql_viewers(&app, sup.id).await;
    let row = row.iter().find(|v| v.person_id == Some(p));
    let (story, comment) = (&r.stories[6], &r.comments[6]);
    assert!(!sql_seen(&app, sup.id, p, row, false, story.id).await);
    assert!(!sql_seen(&app, sup.id, p, row, true, comment.id).await);
    assert!(
        row.is_some_and(|v| v.stories == Some(true)),
        "the row opens stories"
    );
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
