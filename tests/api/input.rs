//! Bad input from outside: control characters in any text field of any write operation
//! (generated from the OpenAPI document, so a new field is covered without a new test), dates
//! outside the sane range, bodies that never finish arriving, response headers, and staff
//! invitations that must not reveal accounts elsewhere.

use camau::auth::roles::Role;
use serde_json::{Value, json};

use crate::support::{TestApp, TestEnv};

fn spec() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi/openapi.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn resolve<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => {
            let name = r.rsplit('/').next().unwrap();
            resolve(spec, &spec["components"]["schemas"][name])
        }
        None => schema,
    }
}

/// JSON pointers of every string property in `schema` (nested objects and maps included),
/// with a body that puts `value` there.
fn string_fields(spec: &Value, schema: &Value, path: &str, out: &mut Vec<(String, Value)>) {
    let schema = resolve(spec, schema);
    for alt in ["oneOf", "anyOf", "allOf"] {
        for s in schema[alt].as_array().into_iter().flatten() {
            string_fields(spec, s, path, out);
        }
    }
    let is_string = schema["type"] == "string"
        || schema["type"]
            .as_array()
            .is_some_and(|t| t.contains(&json!("string")));
    if is_string {
        out.push((path.to_owned(), json!(null)));
    }
    if let Some(props) = schema["properties"].as_object() {
        for (name, prop) in props {
            string_fields(spec, prop, &format!("{path}/{name}"), out);
        }
    }
    if let Some(extra) = schema.get("additionalProperties").filter(|v| v.is_object()) {
        string_fields(spec, extra, &format!("{path}/hopes"), out);
    }
    if let Some(items) = schema.get("items") {
        string_fields(spec, items, &format!("{path}/0"), out);
    }
}

/// A body with `value` at the JSON pointer `path`.
fn body_at(path: &str, value: Value) -> Value {
    let mut parts: Vec<&str> = path.split('/').skip(1).collect();
    let mut body = value;
    while let Some(part) = parts.pop() {
        body = match part.parse::<usize>() {
            Ok(_) => json!([body]),
            Err(_) => json!({ part: body }),
        };
    }
    body
}

#[actix_web::test]
async fn a_control_character_in_any_text_field_of_any_write_is_a_400() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    let spec = spec();
    let mut cases = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Some(schema) = op["requestBody"]["content"]["application/json"].get("schema")
            else {
                continue;
            };
            let uri = path
                .split('/')
                .map(|seg| {
                    if seg.starts_with('{') {
                        uuid::Uuid::now_v7().to_string()
                    } else {
                        seg.to_owned()
                    }
                })
                .collect::<Vec<_>>()
                .join("/");
            let mut fields = Vec::new();
            string_fields(&spec, schema, "", &mut fields);
            assert!(
                !fields.is_empty() || method == "put",
                "{method} {path}: no text fields found"
            );
            for (field, _) in fields {
                for bad in ["a\u{0}b", "a\u{1b}[31mb", "\u{7f}"] {
                    let body = body_at(&field, json!(bad));
                    let req = match method.as_str() {
                        "post" => app.post(&uri),
                        "patch" => app.patch(&uri),
                        "put" => app.put(&uri),
                        other => panic!("{other} with a body"),
                    };
                    let res = req.bearer(&admin.token).json(&body).send().await;
                    let problem = res.problem(400, "validation_failed");
                    assert_eq!(
                        problem["errors"][0]["field"], field,
                        "{method} {path} {field}"
                    );
                    cases += 1;
                }
            }
        }
    }
    assert!(cases > 100, "only {cases} cases were generated");
    // Every spelling of JSON the extractor accepts is checked too, even before sign-in.
    for content_type in [
        "Application/JSON",
        "text/json",
        "application/vnd.camau+json; charset=utf-8",
    ] {
        app.post("/v1/auth/login")
            .raw(
                content_type,
                r#"{"email":"a\u0000@example.org","password":"x"}"#,
            )
            .send()
            .await
            .problem(400, "validation_failed");
    }
}

#[actix_web::test]
async fn dates_outside_the_sane_range_are_refused() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let coord = app.account(Some(&org), Role::Coordinator).await;
    for date in [
        "0000-01-01",
        "-0001-01-01",
        "1899-12-31",
        "2201-01-01",
        "9999-12-31",
    ] {
        app.post("/v1/people")
            .bearer(&coord.token)
            .json(&json!({ "preferred_name": "Cai", "service_type": "other", "support_started_on": date }))
            .send()
            .await
            .problem(400, "invalid_json");
    }
    app.post("/v1/people")
        .bearer(&coord.token)
        .json(&json!({ "preferred_name": "Cai", "service_type": "other", "support_started_on": "2026-01-05", "date_of_birth": "1900-01-01" }))
        .send()
        .await
        .expect(201);
}

#[actix_web::test]
async fn a_body_that_never_finishes_arriving_is_cut_off_with_408() {
    let app =
        TestApp::with_env(TestEnv::default().set("CAMAU_REQUEST_BODY_TIMEOUT_MS", "300")).await;
    let (mut sender, payload) = actix_http::h1::Payload::create(false);
    sender.feed_data(bytes::Bytes::from_static(b"{\"email\":\"a@example.org\","));
    let req = actix_web::test::TestRequest::post()
        .uri("/v1/auth/login")
        .insert_header(("content-type", "application/json"))
        .insert_header(("content-length", "1000"))
        .peer_addr("192.0.2.10:40000".parse().unwrap())
        .to_request();
    let (req, _) = req.replace_payload(
        actix_http::Payload::<actix_http::BoxedPayloadStream>::from(payload),
    );
    let started = std::time::Instant::now();
    let res = app.send(req).await;
    res.problem(408, "request_timeout");
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    drop(sender);
}

#[actix_web::test]
async fn responses_are_not_cached_or_sniffed() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let person = app.person(&org).await;
    for res in [
        app.get(&format!("/v1/people/{}", person.id))
            .bearer(&person.account.token)
            .send()
            .await,
        app.get("/v1/me").send().await,
        app.get("/health/live").send().await,
    ] {
        assert_eq!(res.header("cache-control"), Some("no-store"));
        assert_eq!(res.header("x-content-type-options"), Some("nosniff"));
    }
}

#[actix_web::test]
async fn staff_invitations_do_not_reveal_accounts_elsewhere() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let other = app.provider().await;
    let admin = app.admin(&org).await;
    let elsewhere = app.account(Some(&other), Role::Mentor).await;
    let person = app.person(&org).await;
    let (_, supporter) = app.supporter(&person, &org, true).await;
    for email in [
        &elsewhere.email,
        &supporter.email,
        &"nobody-yet@example.org".to_owned(),
    ] {
        app.post(&format!("/v1/organisations/{}/invitations", org.id))
            .bearer(&admin.token)
            .json(&json!({ "email": email, "role": "mentor" }))
            .send()
            .await
            .expect(201);
    }
}

#[actix_web::test]
async fn tokens_issued_in_the_future_or_living_too_long_are_refused() {
    use jsonwebtoken::{EncodingKey, Header, encode};
    let app = TestApp::new().await;
    let org = app.provider().await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    let claims = jsonwebtoken::dangerous::insecure_decode::<Value>(&mentor.token)
        .unwrap()
        .claims;
    let now = jsonwebtoken::get_current_timestamp();
    let forge = |iat: u64, exp: u64| {
        let mut c = claims.clone();
        c["iat"] = json!(iat);
        c["nbf"] = json!(iat.min(now));
        c["exp"] = json!(exp);
        let mut header = Header::new(jsonwebtoken::Algorithm::HS256);
        header.typ = Some("at+jwt".into());
        header.kid = Some(crate::support::TEST_KID.into());
        encode(
            &header,
            &c,
            &EncodingKey::from_secret(crate::support::TEST_SECRET.as_bytes()),
        )
        .unwrap()
    };
    let me = |token: String| app.get("/v1/me").bearer(&token).send();
    me(forge(now, now + 600)).await.expect(200);
    me(forge(now, now + 86_400))
        .await
        .problem(401, "unauthenticated");
    me(forge(now + 3600, now + 3900))
        .await
        .problem(401, "unauthenticated");
}
