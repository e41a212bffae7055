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

/// The path templates of the API and their methods, taken from the OpenAPI document, so the
/// fallback can tell "no such endpoint" (404) from "no such method here" (405 with `Allow`).
#[derive(Debug, Default)]
pub struct RouteIndex(Vec<(Vec<String>, Vec<String>)>);

impl RouteIndex {
    pub fn from_openapi(api: &utoipa::openapi::OpenApi) -> Self {
        let routes = api
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let segments = path.split('/').map(str::to_owned).collect();
                let methods = serde_json::to_value(item)
                    .ok()
                    .and_then(|v| v.as_object().cloned())
                    .map(|o| {
                        o.keys()
                            .filter(|k| {
                                matches!(k.as_str(), "get" | "post" | "put" | "patch" | "delete")
                            })
                            .map(|k| k.to_uppercase())
                            .collect()
                    })
                    .unwrap_or_default();
                (segments, methods)
            })
            .collect();
        RouteIndex(routes)
    }

    /// Methods allowed at `path`, if any template matches it.
    fn allowed(&self, path: &str) -> Option<Vec<String>> {
        let parts: Vec<&str> = path.split('/').collect();
        let mut allowed: Vec<String> = self
            .0
            .iter()
            .filter(|(template, _)| {
                template.len() == parts.len()
                    && template.iter().zip(&parts).all(|(t, p)| {
                        (t.starts_with('{') && t.ends_with('}') && !p.is_empty()) || t == p
                    })
            })
            .flat_map(|(_, methods)| methods.iter().cloned())
            .collect();
        if allowed.is_empty() {
            return None;
        }
        allowed.sort();
        allowed.dedup();
        Some(allowed)
    }
}

/// The fallback for every request no route took.
pub async fn fallback(req: HttpRequest, routes: web::Data<RouteIndex>) -> HttpResponse {
    match routes.allowed(req.path()) {
        Some(methods) => {
            let mut res = ApiError::new(ErrorCode::MethodNotAllowed).error_response();
            if let Ok(value) = header::HeaderValue::from_str(&methods.join(", ")) {
                res.headers_mut().insert(header::ALLOW, value);
            }
            res
        }
        None => ApiError::new(ErrorCode::RouteNotFound).error_response(),
    }
}
