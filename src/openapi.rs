//! The OpenAPI document. Paths and schemas are collected from the route table itself (each
//! handler's `#[utoipa::path]`), so the spec cannot list a route that does not exist or miss
//! one that does; this module adds what is global: info, tags and the bearer scheme.

use actix_web::App;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

use crate::error::{ErrorCode, FieldError, Problem};

mod rules;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Camau API",
        description = "Person-centred planning and outcomes for social care. Errors are RFC 9457 \
                       `application/problem+json` with a stable `code`. Every signed-in POST \
                       accepts `Idempotency-Key` for safe retries. See docs/API.md.",
    ),
    servers((url = "/", description = "This server (scripts/run: http://127.0.0.1:8080)")),
    components(schemas(Problem, ErrorCode, FieldError)),
    modifiers(&BearerScheme),
    tags(
        (name = "sessions", description = "Signing in and out"),
        (name = "staff", description = "Invitations and staff accounts"),
        (name = "organisations", description = "Providers, commissioning bodies and their contracts"),
        (name = "people", description = "Supported people, their mentors and supported sign-in"),
        (name = "profiles", description = "Strengths profiles and their history"),
        (name = "circles", description = "Circles of support, grants and supporter sign-in"),
        (name = "goals", description = "Goals in the person's own words, actions and progress"),
        (name = "reviews", description = "Reviews, ratings and scales"),
        (name = "frameworks", description = "Outcome frameworks: areas and statements, versioned, in English and Welsh"),
        (name = "reports", description = "Dashboards, outcome reports and the definitions of their figures"),
        (name = "stories", description = "Achievement stories and their photos"),
        (name = "encouragement", description = "Reactions and comments"),
        (name = "feed", description = "The activity feed, as pages and as a live stream"),
        (name = "sync", description = "Delta sync for offline clients: what changed since a cursor, with tombstones"),
        (name = "notifications", description = "Push devices and notification settings"),
        (name = "safeguarding", description = "Concerns (\"I'm worried\") and their handling"),
        (name = "consents", description = "Consent per purpose and audience: who decided, on which wording, withdrawable"),
        (name = "data rights", description = "Exports of everything held (right of access), erasure, legal and safeguarding holds"),
        (name = "audit", description = "Who viewed or changed a person's record: the access log and the organisation's audit trail"),
        (name = "operations", description = "Health and metrics"),
    )
)]
struct ApiDoc;

struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
        components.add_security_scheme(
            "metrics",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("The configured CAMAU_METRICS_TOKEN"))
                    .build(),
            ),
        );
    }
}

/// The whole document for the routes `configure` registers (`routes::spec` passes the route
/// table): served at `/openapi.json` and committed in `openapi/openapi.json`.
pub fn document(
    configure: impl FnOnce(&mut utoipa_actix_web::service_config::ServiceConfig),
) -> utoipa::openapi::OpenApi {
    let (_, api) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(configure)
        .split_for_parts();
    rules::apply(declare_common_problems(declare_public(
        declare_conditional_reads(declare_idempotency_keys(api)),
    )))
}

/// Answers every operation can give whatever its handler does, declared here by one rule:
/// 400 for a malformed parameter or body, 401 for a signed-in operation without a valid access
/// token, 404 for one whose path names a record (by its last id: a record that does not exist
/// and one the caller may not know of answer alike), 415 for a body that is not JSON, 409/422
/// from the idempotency layer, 503 when the database or storage is unavailable (or the pool is
/// exhausted). A client (and a spec fuzzer) then finds every status it can meet documented; a
/// handler documents only the answers that are its own (or says more about one of these).
fn declare_common_problems(mut api: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    use utoipa::openapi::path::ParameterIn;
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    let problem = |description: &str| {
        RefOr::T(
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/problem+json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("Problem")))
                        .build(),
                )
                .build(),
        )
    };
    for (path, item) in api.paths.paths.iter_mut() {
        for op in [
            &mut item.get,
            &mut item.head,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ]
        .into_iter()
        .flatten()
        {
            let params = op.parameters.as_deref().unwrap_or_default();
            let has = |place: ParameterIn| {
                params
                    .iter()
                    .any(|p| matches!(p, RefOr::T(p) if p.parameter_in == place))
            };
            let idempotent = params
                .iter()
                .any(|p| matches!(p, RefOr::T(p) if p.name == "Idempotency-Key"));
            let body = op.request_body.is_some();
            let signed_in = serde_json::to_value(&op.security)
                .ok()
                .and_then(|v| v.as_array().cloned())
                .is_some_and(|reqs| reqs.iter().any(|r| r.get("bearer").is_some()));
            let mut add = |status: &str, description: &str| {
                op.responses
                    .responses
                    .entry(status.to_owned())
                    .or_insert_with(|| problem(description));
            };
            if body || has(ParameterIn::Path) || has(ParameterIn::Query) || idempotent {
                add(
                    "400",
                    "A parameter or the body is malformed (`code` says which)",
                );
            }
            if signed_in {
                add("401", "No valid access token");
            }
            if let Some(record) = named_record(path) {
                add("404", &record);
            }
            if body {
                add(
                    "415",
                    "The body is not in a media type this operation takes",
                );
            }
            if idempotent {
                add(
                    "409",
                    "`idempotency_key_in_use`: the first request with this key is still running",
                );
                add(
                    "422",
                    "`idempotency_key_reused`: this key was used for a different request",
                );
            }
            if path != "/health/live" {
                add(
                    "503",
                    "The database or storage is unavailable, or the service is at capacity: retry after `Retry-After` seconds",
                );
            }
        }
    }
    api
}

/// The 404 of a path that names a record by its last `{…_id}`: "No such goal, or not one you
/// may see". An organisation is the caller's own or not found.
fn named_record(path: &str) -> Option<String> {
    let id = path
        .rsplit('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix("_id}"))
        .next()?;
    Some(match id {
        "organisation" => "No such organisation, or not yours".to_owned(),
        record => format!(
            "No such {}, or not one you may see",
            record.replace('_', " ")
        ),
    })
}

/// An operation that names no security scheme is public, and says so with `security: []`
/// (there is no document-wide default to inherit).
fn declare_public(mut api: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    for item in api.paths.paths.values_mut() {
        for op in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ]
        .into_iter()
        .flatten()
        {
            op.security.get_or_insert_with(Vec::new);
        }
    }
    api
}

/// Every GET whose 200 carries an `ETag` answers `If-None-Match` with 304 (`http::etag::read`):
/// declared here, by the same rule, not handler by handler.
fn declare_conditional_reads(mut api: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    use utoipa::openapi::{ObjectBuilder, RefOr, Required, ResponseBuilder, Type};
    for item in api.paths.paths.values_mut() {
        let Some(op) = item.get.as_mut() else {
            continue;
        };
        let tagged = match op.responses.responses.get("200") {
            Some(RefOr::T(ok)) => ok.headers.contains_key("ETag"),
            _ => false,
        };
        if !tagged {
            continue;
        }
        op.responses.responses.insert(
            "304".into(),
            RefOr::T(
                ResponseBuilder::new()
                    .description("Not modified: `If-None-Match` names the current version")
                    .build(),
            ),
        );
        let header = ParameterBuilder::new()
            .name("If-None-Match")
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some(
                "The `ETag` of the copy the client holds: 304 with no body when it is current.",
            ))
            .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
            .build();
        op.parameters
            .get_or_insert_with(Vec::new)
            .push(RefOr::T(header));
    }
    api
}

/// Every signed-in POST passes through the idempotency layer (`http::idempotency`), so every
/// one declares the header: decided here, by the same rule, not handler by handler.
fn declare_idempotency_keys(mut api: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    use utoipa::openapi::{ObjectBuilder, Required, Type};
    for item in api.paths.paths.values_mut() {
        let Some(op) = item.post.as_mut() else {
            continue;
        };
        let signed_in = serde_json::to_value(&op.security)
            .ok()
            .and_then(|v| v.as_array().cloned())
            .is_some_and(|reqs| reqs.iter().any(|r| r.get("bearer").is_some()));
        // An operation that keeps its own key (a photo upload) declares it itself.
        let declared = op.parameters.as_ref().is_some_and(|params| {
            params.iter().any(|p| {
                matches!(p, utoipa::openapi::RefOr::T(p)
                    if p.name == "Idempotency-Key" && p.parameter_in == ParameterIn::Header)
            })
        });
        if !signed_in || declared {
            continue;
        }
        let header = ParameterBuilder::new()
            .name("Idempotency-Key")
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some(
                "A client-chosen key (1–255 visible ASCII characters) that makes a retry safe: the \
                 same request with the same key within 24 hours replays the first response \
                 (`Idempotent-Replayed: true`); while the first is still running a retry gets 409 \
                 `idempotency_key_in_use`; the key with a different request gets 422 \
                 `idempotency_key_reused`.",
            ))
            .schema(Some(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .min_length(Some(1))
                    .max_length(Some(255)),
            ))
            .build();
        op.parameters
            .get_or_insert_with(Vec::new)
            .push(utoipa::openapi::RefOr::T(header));
    }
    api
}

/// `api` as pretty JSON with a trailing newline, the committed form.
pub fn to_json(api: &utoipa::openapi::OpenApi) -> String {
    let mut json = api.to_pretty_json().unwrap_or_default();
    json.push('\n');
    json
}
