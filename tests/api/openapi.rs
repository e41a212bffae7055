//! The committed OpenAPI document must match what the code generates.

#[test]
fn committed_spec_matches_the_code() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi/openapi.json");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    let generated = camau::routes::spec_json();
    assert!(
        committed == generated,
        "openapi/openapi.json is out of date. Regenerate it with:\n\n    \
         cargo run --quiet -- openapi > openapi/openapi.json\n"
    );
}

#[test]
fn every_operation_documents_its_errors_and_security() {
    let spec: serde_json::Value = serde_json::from_str(&camau::routes::spec_json()).unwrap();
    let public = [
        "/health/live",
        "/health/ready",
        "/v1/auth/login",
        "/v1/auth/refresh",
        "/v1/invitations/accept",
        "/v1/device-codes/redeem",
        "/v1/auth/person-login",
        "/v1/circle-invitations/accept",
        "/v1/auth/password-reset",
        "/v1/auth/password-reset/confirm",
    ];
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let responses = op["responses"].as_object().unwrap();
            // Public operations say so (`security: []`), as linters ask.
            let secured = !op["security"].as_array().unwrap().is_empty();
            if public.contains(&path.as_str()) {
                assert!(!secured, "{method} {path} is public but marked secured");
            } else if path == "/metrics" {
                // For the scraper's own token; everyone else gets 404.
                assert_eq!(op["security"][0]["metrics"], serde_json::json!([]));
            } else {
                assert!(
                    secured,
                    "{method} {path} lacks the bearer security requirement"
                );
                assert!(
                    responses.contains_key("401"),
                    "{method} {path} does not document 401"
                );
            }
            if !path.starts_with("/health") && path != "/metrics" {
                assert!(
                    responses.keys().any(|s| s.starts_with('4')),
                    "{method} {path} documents no client error"
                );
            }
        }
    }
}

/// Generated clients name their methods by operationId: every one present, unique and
/// lowerCamelCase (`listGoals`, `createReview`).
#[test]
fn operation_ids_are_unique_and_meaningful() {
    let spec: serde_json::Value = serde_json::from_str(&camau::routes::spec_json()).unwrap();
    let mut seen = std::collections::BTreeSet::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path} has no operationId"));
            assert!(
                id.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                    && id.chars().all(|c| c.is_ascii_alphanumeric())
                    && id.chars().any(|c| c.is_ascii_uppercase()),
                "{method} {path}: operationId {id:?} is not lowerCamelCase verb + noun"
            );
            assert!(seen.insert(id.to_owned()), "operationId {id} is used twice");
        }
    }
}

/// Every signed-in POST declares `Idempotency-Key`, and no other operation does.
#[test]
fn signed_in_posts_declare_idempotency_keys() {
    let spec: serde_json::Value = serde_json::from_str(&camau::routes::spec_json()).unwrap();
    let mut declared = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let has = op["parameters"].as_array().is_some_and(|ps| {
                ps.iter()
                    .any(|p| p["name"] == "Idempotency-Key" && p["in"] == "header")
            });
            let signed_in_post = method == "post" && op["security"][0].get("bearer").is_some();
            assert_eq!(has, signed_in_post, "{method} {path}");
            declared += usize::from(has);
        }
    }
    assert!(
        declared >= 10,
        "only {declared} operations declare Idempotency-Key"
    );
}

/// Every request body shows a body the endpoint accepts (the linter checks it against the
/// schema), so a client developer can start from it.
#[test]
fn every_request_body_has_an_example() {
    let spec: serde_json::Value = serde_json::from_str(&camau::routes::spec_json()).unwrap();
    let schemas = &spec["components"]["schemas"];
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Some(body) = op.get("requestBody") else {
                continue;
            };
            // Binary bodies (photos) have no example to show.
            if body["content"].get("application/json").is_none() {
                continue;
            }
            let json = &body["content"]["application/json"];
            let name = json["schema"]["$ref"].as_str().unwrap_or_default();
            let schema = &schemas[name.rsplit('/').next().unwrap_or_default()];
            assert!(
                json.get("example").is_some() || schema.get("example").is_some(),
                "{method} {path}: no example for {name}"
            );
        }
    }
}

#[test]
fn every_reference_resolves() {
    fn walk(value: &serde_json::Value, refs: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                if let Some(serde_json::Value::String(r)) = map.get("$ref") {
                    refs.push(r.clone());
                }
                map.values().for_each(|v| walk(v, refs));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, refs)),
            _ => {}
        }
    }
    let spec: serde_json::Value = serde_json::from_str(&camau::routes::spec_json()).unwrap();
    let mut refs = Vec::new();
    walk(&spec, &mut refs);
    assert!(!refs.is_empty(), "the document has references to check");
    let dangling: Vec<_> = refs
        .iter()
        .filter(|r| {
            r.strip_prefix('#')
                .and_then(|pointer| spec.pointer(pointer))
                .is_none()
        })
        .collect();
    assert!(dangling.is_empty(), "references to nothing: {dangling:?}");
}

/// The request-wide layers find the upload routes by the router's match against
/// `camau::http::UPLOAD_ROUTES`; a route renamed in the table and not there would lose its
/// longer body deadline and its own idempotency key silently, so each must be a documented
/// operation.
#[test]
fn the_upload_routes_the_layers_name_are_in_the_route_table() {
    let spec: serde_json::Value = serde_json::from_str(&camau::routes::spec_json()).unwrap();
    for (_, path, method) in camau::http::UPLOAD_ROUTES {
        let item = &spec["paths"][path];
        assert!(item.is_object(), "{path} is not a route");
        if let Some(method) = method {
            assert!(
                item[method.to_lowercase()].is_object(),
                "{method} {path} is not a route"
            );
        }
    }
}
