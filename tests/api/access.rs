//! The authorization matrix: every endpoint × every kind of actor, with the exact status each
//! must get (ACCESS-POLICY.md). An endpoint of the API that has no row here fails the test, and
//! a refused request must not leak the data it asked for.

use std::collections::BTreeSet;

use camau::auth::roles::Role;
use serde_json::{Value, json};

use crate::support::{Actor, Org, PASSWORD, Res, TestApp};

/// The actors, relative to a provider organisation O with a mentor M (the target).
const ACTORS: [&str; 7] = [
    "anon",
    "platform",
    "admin",
    "coord",
    "mentor",
    "commissioner",
    "stranger",
];

struct World {
    o: Org,
    body: Org,
    target: Actor,
    actors: Vec<Option<Actor>>,
}

async fn world(app: &TestApp) -> World {
    let o = app.provider().await;
    let body = app.commissioning_body().await;
    let other = app.provider().await;
    let platform = app.platform_admin().await;
    let mut conn = app.shared.state.conn().await.unwrap();
    diesel_async::RunQueryDsl::execute(
        diesel::sql_query(format!(
            "INSERT INTO contracts (id, commissioning_body_id, provider_id, starts_on) \
             VALUES ('{}', '{}', '{}', '2026-04-01')",
            uuid::Uuid::now_v7(),
            body.id,
            o.id
        )),
        &mut conn,
    )
    .await
    .unwrap();
    let actors = vec![
        None,
        Some(platform),
        Some(app.admin(&o).await),
        Some(app.account(Some(&o), Role::Coordinator).await),
        Some(app.account(Some(&o), Role::Mentor).await),
        Some(app.account(Some(&body), Role::Commissioner).await),
        Some(app.admin(&other).await),
    ];
    World {
        target: app.account(Some(&o), Role::Mentor).await,
        o,
        body,
        actors,
    }
}

struct Row {
    method: &'static str,
    /// The path as in the OpenAPI document.
    template: &'static str,
    /// The path requested: `:O` the provider, `:B` the commissioning body, `:M` the target.
    path: &'static str,
    body: fn(&World) -> Option<Value>,
    /// Statuses for anon, platform, admin, coord, mentor, commissioner, stranger.
    expect: [u16; 7],
}

fn none(_: &World) -> Option<Value> {
    None
}

const ROWS: &[Row] = &[
    Row {
        method: "GET",
        template: "/health/live",
        path: "/health/live",
        body: none,
        expect: [200; 7],
    },
    Row {
        method: "GET",
        template: "/health/ready",
        path: "/health/ready",
        body: none,
        expect: [200; 7],
    },
    Row {
        method: "GET",
        template: "/metrics",
        path: "/metrics",
        body: none,
        expect: [200; 7],
    },
    Row {
        method: "POST",
        template: "/v1/auth/login",
        path: "/v1/auth/login",
        body: |_| {
            Some(
                json!({ "email": format!("{}@example.org", uuid::Uuid::now_v7()), "password": "Wrong-password-here-1" }),
            )
        },
        expect: [401; 7],
    },
    Row {
        method: "POST",
        template: "/v1/auth/refresh",
        path: "/v1/auth/refresh",
        body: |_| Some(json!({ "refresh_token": "unknown" })),
        expect: [401; 7],
    },
    Row {
        method: "POST",
        template: "/v1/invitations/accept",
        path: "/v1/invitations/accept",
        body: |_| {
            Some(
                json!({ "code": "AAAA-AAAA-AAAA-AAAA", "name": "X", "password": "Some-long-passphrase-1" }),
            )
        },
        expect: [409; 7],
    },
    Row {
        method: "POST",
        template: "/v1/auth/logout",
        path: "/v1/auth/logout",
        body: none,
        expect: [401, 204, 204, 204, 204, 204, 204],
    },
    Row {
        method: "POST",
        template: "/v1/auth/logout-all",
        path: "/v1/auth/logout-all",
        body: none,
        expect: [401, 204, 204, 204, 204, 204, 204],
    },
    Row {
        method: "POST",
        template: "/v1/auth/password",
        path: "/v1/auth/password",
        body: |_| {
            Some(json!({ "current_password": PASSWORD, "new_password": "Brand-new-passphrase-77" }))
        },
        expect: [401, 204, 204, 204, 204, 204, 204],
    },
    Row {
        method: "GET",
        template: "/v1/me",
        path: "/v1/me",
        body: none,
        expect: [401, 200, 200, 200, 200, 200, 200],
    },
    Row {
        method: "POST",
        template: "/v1/organisations",
        path: "/v1/organisations",
        body: |_| {
            Some(
                json!({ "name": "New", "kind": "provider", "first_admin_email": format!("{}@example.org", uuid::Uuid::now_v7()) }),
            )
        },
        expect: [401, 201, 403, 403, 403, 403, 403],
    },
    Row {
        method: "GET",
        template: "/v1/organisations",
        path: "/v1/organisations",
        body: none,
        expect: [401, 200, 403, 403, 403, 403, 403],
    },
    Row {
        method: "GET",
        template: "/v1/organisations/{organisation_id}",
        path: "/v1/organisations/:O",
        body: none,
        expect: [401, 200, 200, 200, 200, 404, 404],
    },
    Row {
        method: "POST",
        template: "/v1/organisations/{organisation_id}/contracts",
        path: "/v1/organisations/:B/contracts",
        body: |w| Some(json!({ "provider_id": w.o.id, "starts_on": "2027-04-01" })),
        expect: [401, 201, 403, 403, 403, 403, 403],
    },
    Row {
        method: "GET",
        template: "/v1/organisations/{organisation_id}/contracts",
        path: "/v1/organisations/:O/contracts",
        body: none,
        expect: [401, 200, 200, 403, 403, 404, 404],
    },
    Row {
        method: "POST",
        template: "/v1/organisations/{organisation_id}/invitations",
        path: "/v1/organisations/:O/invitations",
        body: |_| {
            Some(
                json!({ "email": format!("{}@example.org", uuid::Uuid::now_v7()), "role": "mentor" }),
            )
        },
        expect: [401, 201, 201, 403, 403, 404, 404],
    },
    Row {
        method: "GET",
        template: "/v1/organisations/{organisation_id}/staff",
        path: "/v1/organisations/:O/staff",
        body: none,
        expect: [401, 200, 200, 200, 200, 404, 404],
    },
    Row {
        method: "GET",
        template: "/v1/staff/{account_id}",
        path: "/v1/staff/:M",
        body: none,
        expect: [401, 200, 200, 200, 200, 404, 404],
    },
    Row {
        method: "PATCH",
        template: "/v1/staff/{account_id}",
        path: "/v1/staff/:M",
        body: |_| Some(json!({ "role": "coordinator" })),
        expect: [401, 200, 200, 403, 403, 404, 404],
    },
];

async fn request(app: &TestApp, w: &World, row: &Row, actor: Option<&Actor>) -> Res {
    let path = row
        .path
        .replace(":O", &w.o.id.to_string())
        .replace(":B", &w.body.id.to_string())
        .replace(":M", &w.target.id.to_string());
    let mut req = match row.method {
        "GET" => app.get(&path),
        "POST" => app.post(&path),
        "PATCH" => app.patch(&path),
        other => panic!("method {other} needs a case"),
    };
    if let Some(actor) = actor {
        req = req.bearer(&actor.token);
    }
    if row.method == "PATCH" {
        // The current version: an earlier actor's update may have moved it on.
        let mut conn = app.shared.state.conn().await.unwrap();
        let row = camau::accounts::model::own(&mut conn, camau::ids::AccountId(w.target.id))
            .await
            .unwrap()
            .unwrap();
        req = req.header("if-match", &format!("\"v{}\"", row.version));
    }
    if let Some(body) = (row.body)(w) {
        req = req.json(&body);
    }
    req.send().await
}

#[actix_web::test]
async fn every_endpoint_answers_every_actor_as_the_policy_says() {
    let app = TestApp::new().await;
    let mut failures = Vec::new();
    for row in ROWS {
        // A fresh world per row: rows such as logout end the actors' sessions.
        let w = world(&app).await;
        for (i, actor) in w.actors.iter().enumerate() {
            let res = request(&app, &w, row, actor.as_ref()).await;
            let want = row.expect[i];
            if res.status.as_u16() != want {
                failures.push(format!(
                    "{} {} as {}: got {}, want {want}: {}",
                    row.method,
                    row.path,
                    ACTORS[i],
                    res.status,
                    res.text()
                ));
                continue;
            }
            if want >= 400 {
                let text = res.text();
                assert_eq!(res.header("content-type"), Some("application/problem+json"));
                for secret in [&w.target.email, &w.target.name] {
                    assert!(
                        !text.contains(secret.as_str()),
                        "{} {} as {} leaked target data: {text}",
                        row.method,
                        row.path,
                        ACTORS[i]
                    );
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "policy violations:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_endpoint_of_the_api_has_a_row() {
    let spec: Value = serde_json::from_str(&camau::openapi::spec_json()).unwrap();
    let mut endpoints = BTreeSet::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            endpoints.insert(format!("{} {path}", method.to_uppercase()));
        }
    }
    let rows: BTreeSet<String> = ROWS
        .iter()
        .map(|r| format!("{} {}", r.method, r.template))
        .collect();
    let missing: Vec<&String> = endpoints.difference(&rows).collect();
    let stale: Vec<&String> = rows.difference(&endpoints).collect();
    assert!(
        missing.is_empty(),
        "endpoints without a row in the access matrix: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "rows for endpoints that do not exist: {stale:?}"
    );
}
