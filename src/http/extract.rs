//! Error handlers for actix's extractors and the fallback service. Without them a malformed
//! UUID in a path, a wrong content type or an unknown route answers in plain text or HTML; with
//! them every client mistake is a problem+json 4xx with a stable code.

use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};

use crate::error::{ApiError, ErrorCode};

pub fn json_config(limit: usize) -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(limit)
        .error_handler(|err, _req| json_error(err).into())
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err, _req| path_error(err).into())
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _req| query_error(err).into())
}

/// The problem for a body that could not be read: too large (413), too slow (408, see
/// `http::deadline`) or broken (400).
pub fn payload_error(err: &actix_web::Error) -> ApiError {
    if let Some(e) = err.as_error::<actix_web::error::PayloadError>() {
        return payload_problem(e);
    }
    if err.as_response_error().status_code() == actix_web::http::StatusCode::PAYLOAD_TOO_LARGE {
        return ApiError::new(ErrorCode::PayloadTooLarge);
    }
    ApiError::new(ErrorCode::InvalidJson)
}

pub fn payload_problem(err: &actix_web::error::PayloadError) -> ApiError {
    use actix_web::error::PayloadError;
    match err {
        PayloadError::Io(e) if e.kind() == std::io::ErrorKind::TimedOut => {
            ApiError::new(ErrorCode::RequestTimeout)
        }
        PayloadError::Overflow => ApiError::new(ErrorCode::PayloadTooLarge),
        _ => ApiError::new(ErrorCode::InvalidJson),
    }
}

fn json_error(err: JsonPayloadError) -> ApiError {
    match err {
        JsonPayloadError::Payload(e) => payload_problem(&e),
        JsonPayloadError::Overflow { limit }
        | JsonPayloadError::OverflowKnownLength { limit, .. } => {
            ApiError::new(ErrorCode::PayloadTooLarge)
                .with_detail(format!("the body may have at most {limit} bytes"))
        }
        JsonPayloadError::ContentType => ApiError::new(ErrorCode::UnsupportedMediaType),
        JsonPayloadError::Deserialize(e) => {
            ApiError::new(ErrorCode::InvalidJson).with_detail(e.to_string())
        }
        other => ApiError::new(ErrorCode::InvalidJson).with_detail(other.to_string()),
    }
}

fn path_error(err: PathError) -> ApiError {
    let PathError::Deserialize(e) = err else {
        return ApiError::new(ErrorCode::InvalidPathParameter);
    };
    ApiError::new(ErrorCode::InvalidPathParameter).with_detail(e.to_string())
}

fn query_error(err: QueryPayloadError) -> ApiError {
    let QueryPayloadError::Deserialize(e) = err else {
        return ApiError::new(ErrorCode::InvalidQueryParameter);
    };
    ApiError::new(ErrorCode::InvalidQueryParameter).with_detail(e.to_string())
}

/// The path templates of the API, their methods and the JSON body each method takes, taken
/// from the OpenAPI document: the fallback tells "no such endpoint" (404) from "no such method
/// here" (405 with `Allow`), and `http::text` checks a body's shape against the spec.
#[derive(Debug, Default)]
pub struct RouteIndex {
    routes: Vec<Route>,
    /// `components.schemas`, for the `$ref`s of the bodies.
    schemas: serde_json::Value,
}

#[derive(Debug)]
struct Route {
    segments: Vec<String>,
    /// (method in upper case, the `application/json` request body schema if any)
    methods: Vec<(String, Option<serde_json::Value>)>,
}

impl Route {
    fn matches(&self, parts: &[&str]) -> bool {
        self.segments.len() == parts.len()
            && self
                .segments
                .iter()
                .zip(parts)
                .all(|(t, p)| (t.starts_with('{') && t.ends_with('}') && !p.is_empty()) || t == p)
    }

    fn literals(&self) -> usize {
        self.segments.iter().filter(|s| !s.starts_with('{')).count()
    }
}

impl RouteIndex {
    pub fn from_openapi(api: &utoipa::openapi::OpenApi) -> Self {
        let spec = serde_json::to_value(api).unwrap_or_default();
        let routes = spec["paths"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(path, item)| Route {
                segments: path.split('/').map(str::to_owned).collect(),
                methods: item
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter(|(k, _)| {
                        matches!(
                            k.as_str(),
                            "get" | "head" | "post" | "put" | "patch" | "delete"
                        )
                    })
                    .map(|(k, op)| {
                        let body = op
                            .pointer("/requestBody/content/application~1json/schema")
                            .cloned();
                        (k.to_uppercase(), body)
                    })
                    .collect(),
            })
            .collect();
        RouteIndex {
            routes,
            schemas: spec["components"]["schemas"].clone(),
        }
    }

    /// The resource at `path`: of the templates that match it, the most specific (the most
    /// literal segments), so `/v1/invitations/accept` is that resource and not an invitation
    /// whose id is "accept" (ids are UUIDs).
    fn resource(&self, path: &str) -> Option<&Route> {
        let parts: Vec<&str> = path.split('/').collect();
        self.routes
            .iter()
            .filter(|r| r.matches(&parts))
            .max_by_key(|r| r.literals())
    }

    /// Methods allowed at `path`, if it is a resource of the API.
    fn allowed(&self, path: &str) -> Option<Vec<String>> {
        let mut allowed: Vec<String> = self
            .resource(path)?
            .methods
            .iter()
            .map(|(m, _)| m.clone())
            .collect();
        allowed.sort();
        Some(allowed)
    }

    /// The answer to a request whose method its resource does not take: 405 with a true
    /// `Allow`.
    fn wrong_method(&self, req: &HttpRequest) -> Option<HttpResponse> {
        let allowed = self.allowed(req.path())?;
        (!allowed.iter().any(|m| m == req.method().as_str())).then(|| method_not_allowed(&allowed))
    }

    /// The JSON body schema of `method` at `path`, with the components its `$ref`s name.
    pub fn json_body(
        &self,
        method: &str,
        path: &str,
    ) -> Option<(&serde_json::Value, &serde_json::Value)> {
        let route = self.resource(path)?;
        let (_, body) = route.methods.iter().find(|(m, _)| m == method)?;
        Some((body.as_ref()?, &self.schemas))
    }
}

fn method_not_allowed(allowed: &[String]) -> HttpResponse {
    let mut res = ApiError::new(ErrorCode::MethodNotAllowed).error_response();
    if let Ok(value) = header::HeaderValue::from_str(&allowed.join(", ")) {
        res.headers_mut().insert(header::ALLOW, value);
    }
    res
}

/// A method the resource does not take is 405 before routing: actix would hand `DELETE
/// /v1/invitations/accept` to `DELETE /v1/invitations/{invitation_id}`, whose extractors answer
/// 401 or 400, though "accept" is no invitation id (ids are UUIDs) and that resource takes only
/// POST.
pub async fn method_guard(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    let refused = req
        .app_data::<web::Data<RouteIndex>>()
        .and_then(|routes| routes.wrong_method(req.request()));
    match refused {
        Some(res) => Ok(req.into_response(res)),
        None => Ok(next.call(req).await?.map_into_boxed_body()),
    }
}

/// The fallback for every request no route took.
pub async fn fallback(req: HttpRequest, routes: web::Data<RouteIndex>) -> HttpResponse {
    match routes.allowed(req.path()) {
        Some(methods) => method_not_allowed(&methods),
        None => ApiError::new(ErrorCode::RouteNotFound).error_response(),
    }
}
