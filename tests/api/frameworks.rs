//! Outcome frameworks as seeded data: every framework the reference lists, its status where
//! wording is still to be confirmed, labels in Welsh where a Welsh text exists and English
//! (saying so) where none does, and an organisation's own framework seen by nobody else.

use camau::auth::roles::Role;
use serde_json::Value;
use uuid::Uuid;

use crate::support::TestApp;

const NOF: &str = "06468675-38cb-89e4-8616-2682fa6348ff";
const SSWBA: &str = "ae7c9605-413c-87de-8eb9-fb579dc20fff";

fn area<'a>(framework: &'a Value, code: &str) -> &'a Value {
    framework["areas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["code"] == code)
        .unwrap_or_else(|| panic!("area {code}"))
}

#[actix_web::test]
async fn the_seeded_frameworks_are_listed_with_their_status_and_versions() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    let list = app
        .get("/v1/frameworks")
        .bearer(&mentor.token)
        .send()
        .await
        .expect(200);
    let items = list["items"].as_array().unwrap();
    let keys: Vec<&str> = items.iter().map(|f| f["key"].as_str().unwrap()).collect();
    assert_eq!(
        keys,
        [
            "england-ascof",
            "england-csc-national",
            "scotland-nhwo",
            "scotland-shanarri",
            "wales-nof",
            "wales-sswba-2014"
        ]
    );
    let nof = items.iter().find(|f| f["key"] == "wales-nof").unwrap();
    assert_eq!(nof["id"], NOF);
    assert_eq!(nof["status"], "to_confirm");
    assert_eq!(nof["read_only"], true);
    assert_eq!(nof["organisation_id"], Value::Null);
    assert_eq!(nof["versions"][0]["label"], "2016 well-being statement");
    let sswba = items
        .iter()
        .find(|f| f["key"] == "wales-sswba-2014")
        .unwrap();
    assert_eq!(sswba["status"], "verified");
    assert!(
        items
            .iter()
            .all(|f| f["versions"].as_array().unwrap().len() == 1)
    );
    // Seeded ids pass strict validators: RFC 9562 variant, version 8.
    for id in items
        .iter()
        .flat_map(|f| [&f["id"], &f["versions"][0]["id"]])
    {
        let id = Uuid::parse_str(id.as_str().unwrap()).unwrap();
        assert_eq!(id.get_version_num(), 8, "{id}");
        assert_eq!(id.get_variant(), uuid::Variant::RFC4122, "{id}");
    }
}

#[actix_web::test]
async fn labels_are_welsh_where_a_welsh_text_exists_and_say_when_they_are_english() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    let get = |id: &'static str, lang: &'static str| {
        let app = &app;
        let token = admin.token.clone();
        async move {
            app.get(&format!("/v1/frameworks/{id}"))
                .bearer(&token)
                .header("accept-language", lang)
                .send()
                .await
                .expect(200)
        }
    };
    // The Act's areas, in law in both languages.
    let act = get(SSWBA, "cy").await;
    assert_eq!(act["areas"].as_array().unwrap().len(), 12);
    let health = area(&act, "a");
    assert_eq!(health["label"]["lang"], "cy");
    assert_eq!(
        health["label"]["text"],
        "iechyd corfforol, iechyd meddwl a llesiant emosiynol"
    );
    assert_eq!(area(&act, "adult-b")["applies_to"], "adults");
    assert_eq!(area(&act, "child-a")["applies_to"], "children");
    let english = get(SSWBA, "en").await;
    assert_eq!(
        area(&english, "a")["label"]["text"],
        "physical and mental health and emotional well-being"
    );

    // The NOF's "I" statements have no Welsh wording yet: English, said to be English.
    let nof = get(NOF, "cy").await;
    assert_eq!(nof["version"]["label"], "2016 well-being statement");
    let statements: Vec<&Value> = nof["areas"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["statements"].as_array().unwrap())
        .collect();
    assert_eq!(statements.len(), 24);
    assert!(statements.iter().all(|s| s["label"]["lang"] == "en"
        && !s["label"]["text"].as_str().unwrap().is_empty()));
    let safe = area(&nof, "b");
    assert_eq!(safe["label"]["lang"], "cy");
    assert_eq!(
        safe["statements"][0]["label"]["text"],
        "I am safe and protected from abuse and neglect"
    );
}

#[actix_web::test]
async fn an_organisations_own_framework_is_seen_by_that_organisation_alone() {
    let app = TestApp::new().await;
    let ours = app.provider().await;
    let theirs = app.provider().await;
    let our_admin = app.admin(&ours).await;
    let their_admin = app.admin(&theirs).await;
    let (framework, version) = (Uuid::now_v7(), Uuid::now_v7());
    app.sql(&format!(
        "INSERT INTO frameworks (id, organisation_id, key, name_en, source, status) \
           VALUES ('{framework}', '{}', 'contract-outcomes', 'Contract outcomes', 'Our contract', 'verified');
         INSERT INTO framework_versions (id, framework_id, label, effective_from) \
           VALUES ('{version}', '{framework}', '2026', '2026-04-01');",
        ours.id
    ))
    .await;
    let mine = app
        .get(&format!("/v1/frameworks/{framework}"))
        .bearer(&our_admin.token)
        .send()
        .await
        .expect(200);
    assert_eq!(mine["read_only"], false);
    assert_eq!(mine["version"]["effective_from"], "2026-04-01");
    app.get(&format!("/v1/frameworks/{framework}"))
        .bearer(&their_admin.token)
        .send()
        .await
        .problem(404, "not_found");
    let listed = app
        .get("/v1/frameworks")
        .bearer(&their_admin.token)
        .send()
        .await
        .expect(200);
    assert!(
        !listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["key"] == "contract-outcomes")
    );
    // An unknown version of a visible framework is not found either.
    app.get(&format!("/v1/frameworks/{NOF}?version={}", Uuid::now_v7()))
        .bearer(&our_admin.token)
        .send()
        .await
        .problem(404, "not_found");
}

const NOF_SAFE: &str = "0d86aa86-58d8-8e76-8621-43b18a8eb180";
const NOF_SAFE_1: &str = "7afe2dbd-beff-88e6-8b19-c67c15ecb45a";
const NOF_LEARN_1: &str = "66d1de50-3410-8071-87c9-1e32b5ffb1c0";

/// Staff code a goal to a NOF area and statement; the goal's words stay as they were; a
/// retry adds nothing; a statement of another area, or another organisation's framework, is
/// refused; the person reads the codes and cannot change them; a removed code is kept for
/// the record and leaves the list.
#[actix_web::test]
async fn staff_code_a_goal_to_outcomes_without_touching_its_words() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let cai = app.person(&org).await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    app.assign(&cai, &mentor, &org).await;
    let goal = app
        .post(&format!("/v1/people/{}/goals", cai.id))
        .bearer(&cai.account.token)
        .json(&serde_json::json!({ "title": "Feel safe walking home from the bus" }))
        .send()
        .await
        .expect(201);
    let codes = format!("/v1/goals/{}/codes", goal["id"].as_str().unwrap());
    let body = serde_json::json!({ "area_id": NOF_SAFE, "statement_id": NOF_SAFE_1 });

    let res = app
        .post(&codes)
        .bearer(&mentor.token)
        .header("accept-language", "cy")
        .json(&body)
        .send()
        .await;
    let code = res.expect(201);
    assert_eq!(code["framework_key"], "wales-nof");
    assert_eq!(code["area"]["code"], "b");
    assert_eq!(code["area"]["label"]["lang"], "cy");
    assert_eq!(code["statement"]["label"]["lang"], "en");
    assert_eq!(
        code["statement"]["label"]["text"],
        "I am safe and protected from abuse and neglect"
    );
    assert_eq!(code["coded_by"], mentor.id.to_string());
    assert_eq!(code["coded_by_name"], mentor.name.as_str());
    // A retry (or a second click) answers the same code.
    let again = app
        .post(&codes)
        .bearer(&mentor.token)
        .json(&body)
        .send()
        .await;
    assert_eq!(again.expect(200)["id"], code["id"]);

    // A statement of another area, an unknown area, another organisation's framework.
    let other = app.provider().await;
    let (theirs, version, area) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    app.sql(&format!(
        "INSERT INTO frameworks (id, organisation_id, key, name_en, source, status) \
           VALUES ('{theirs}', '{}', 'their-outcomes', 'Their outcomes', 'Their contract', 'verified');
         INSERT INTO framework_versions (id, framework_id, label) VALUES ('{version}', '{theirs}', '1');
         INSERT INTO outcome_areas (id, version_id, code, label_en, position) \
           VALUES ('{area}', '{version}', 'x', 'Their area', 1);",
        other.id
    ))
    .await;
    for bad in [
        serde_json::json!({ "area_id": NOF_SAFE, "statement_id": NOF_LEARN_1 }),
        serde_json::json!({ "area_id": Uuid::now_v7() }),
        serde_json::json!({ "area_id": area }),
    ] {
        app.post(&codes)
            .bearer(&mentor.token)
            .json(&bad)
            .send()
            .await
            .problem(422, "invalid_reference");
    }

    // The person reads the codes, cannot change them, and their words are untouched.
    let listed = app
        .get(&codes)
        .bearer(&cai.account.token)
        .send()
        .await
        .expect(200);
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    app.post(&codes)
        .bearer(&cai.account.token)
        .json(&body)
        .send()
        .await
        .problem(403, "forbidden");
    let read = app
        .get(&format!("/v1/goals/{}", goal["id"].as_str().unwrap()))
        .bearer(&cai.account.token)
        .send()
        .await
        .expect(200);
    assert_eq!(read["title"], "Feel safe walking home from the bus");

    // Removed: gone from the list, kept (with who and when) in the record.
    let one = format!("{codes}/{}", code["id"].as_str().unwrap());
    app.delete(&one)
        .bearer(&mentor.token)
        .send()
        .await
        .expect(204);
    app.delete(&one)
        .bearer(&mentor.token)
        .send()
        .await
        .problem(404, "not_found");
    let listed = app
        .get(&codes)
        .bearer(&mentor.token)
        .send()
        .await
        .expect(200);
    assert_eq!(listed["items"], serde_json::json!([]));
    assert_eq!(
        app.scalar(&format!(
            "SELECT count(*) FROM goal_codes WHERE id = '{}' AND removed_by = '{}'",
            code["id"].as_str().unwrap(),
            mentor.id
        ))
        .await,
        1
    );
}

#[actix_web::test]
async fn an_organisation_adds_its_own_framework_and_a_commissioners_reaches_its_contracted_providers()
 {
    let app = TestApp::new().await;
    let body = app.commissioning_body().await;
    let body_admin = app.admin(&body).await;
    let provider = app.provider().await;
    let provider_admin = app.admin(&provider).await;
    let stranger = app.admin(&app.provider().await).await;
    app.sql(&format!(
        "INSERT INTO contracts (id, commissioning_body_id, provider_id, starts_on) \
         VALUES ('{}', '{}', '{}', '2026-01-01')",
        Uuid::now_v7(),
        body.id,
        provider.id
    ))
    .await;
    let new = serde_json::json!({
        "key": "cardiff-contract-2026",
        "name_en": "Cardiff supported living contract outcomes",
        "name_cy": "Canlyniadau contract byw â chymorth Caerdydd",
        "source": "Contract schedule 3",
        "version": { "label": "2026-27", "effective_from": "2026-04-01" },
        "areas": [
            { "code": "1", "label_en": "Living more independently", "label_cy": "Byw yn fwy annibynnol",
              "statements": [{ "code": "1.1", "label_en": "I cook a meal for myself" }] },
            { "code": "2", "label_en": "Work and volunteering", "applies_to": "adults" }
        ]
    });
    let created = app
        .post(&format!("/v1/organisations/{}/frameworks", body.id))
        .bearer(&body_admin.token)
        .header("Accept-Language", "cy")
        .json(&new)
        .send()
        .await
        .expect(201);
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["organisation_id"], body.id.to_string());
    assert_eq!(
        created["name"]["text"],
        "Canlyniadau contract byw â chymorth Caerdydd"
    );
    assert_eq!(created["version"]["effective_from"], "2026-04-01");
    assert_eq!(
        created["areas"][0]["label"]["text"],
        "Byw yn fwy annibynnol"
    );
    assert_eq!(created["areas"][0]["statements"][0]["label"]["lang"], "en");
    assert_eq!(created["areas"][1]["applies_to"], "adults");

    // The same key again is a conflict; nothing half-written is left.
    app.post(&format!("/v1/organisations/{}/frameworks", body.id))
        .bearer(&body_admin.token)
        .json(&new)
        .send()
        .await
        .problem(409, "conflict");
    assert_eq!(
        app.scalar(&format!(
            "SELECT count(*) FROM frameworks WHERE organisation_id = '{}'",
            body.id
        ))
        .await,
        1
    );
    // Duplicate area codes, an empty list or a bad key are clear 400s.
    let mut bad = new.clone();
    bad["key"] = "Not A Key".into();
    bad["areas"][1]["code"] = "1".into();
    let problem = app
        .post(&format!("/v1/organisations/{}/frameworks", body.id))
        .bearer(&body_admin.token)
        .json(&bad)
        .send()
        .await
        .problem(400, "validation_failed");
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["/key", "/areas/1/code"]);

    // The contracted provider sees it, codes a goal with it and makes it its default; a
    // provider without a contract sees nothing of it.
    app.get(&format!("/v1/frameworks/{id}"))
        .bearer(&provider_admin.token)
        .send()
        .await
        .expect(200);
    app.get(&format!("/v1/frameworks/{id}"))
        .bearer(&stranger.token)
        .send()
        .await
        .expect(404);
    let org = app
        .patch(&format!("/v1/organisations/{}", provider.id))
        .bearer(&provider_admin.token)
        .json(&serde_json::json!({ "default_framework_id": id }))
        .send()
        .await
        .expect(200);
    assert_eq!(org["default_framework_id"], id.as_str());
    // The default cannot be cleared, and an empty change is refused rather than ignored.
    for body in [
        serde_json::json!({ "default_framework_id": null }),
        serde_json::json!({}),
    ] {
        app.patch(&format!("/v1/organisations/{}", provider.id))
            .bearer(&provider_admin.token)
            .json(&body)
            .send()
            .await
            .problem(400, "validation_failed");
    }
    app.patch(&format!(
        "/v1/organisations/{}",
        stranger_org(&app, &stranger).await
    ))
    .bearer(&stranger.token)
    .json(&serde_json::json!({ "default_framework_id": id }))
    .send()
    .await
    .problem(422, "invalid_reference");
    // The provider's dashboard now uses it by default.
    let dashboard = app
        .get(&format!("/v1/organisations/{}/dashboard", provider.id))
        .bearer(&provider_admin.token)
        .send()
        .await
        .expect(200);
    assert_eq!(dashboard["framework"]["key"], "cardiff-contract-2026");
    assert_eq!(dashboard["distance_travelled"][0]["code"], "1");
}

/// The organisation `admin` belongs to, as its own API says.
async fn stranger_org(app: &TestApp, admin: &crate::support::Actor) -> String {
    let me = app
        .get("/v1/me")
        .bearer(&admin.token)
        .send()
        .await
        .expect(200);
    me["organisation_id"]
        .as_str()
        .or(me["organisation"]["id"].as_str())
        .unwrap()
        .to_owned()
}
