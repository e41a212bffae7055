//! Optimistic concurrency for shared records: reads send an `ETag`, updates must carry it back
//! in `If-Match` (412 when stale, 428 when missing), so two coordinators cannot silently
//! overwrite each other.

use actix_web::HttpRequest;
use actix_web::http::header;

use crate::error::{ApiError, ApiResult, ErrorCode};

/// The entity tag of a record at `version`.
pub fn etag(version: i32) -> String {
    format!("\"v{version}\"")
}

/// Checks `If-Match` against the record's current `version`.
pub fn require_if_match(req: &HttpRequest, version: i32) -> ApiResult<()> {
    check_if_match(if_match(req).as_deref(), version)
}

/// The `If-Match` header, for checks made later (inside a transaction).
pub fn if_match(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(header::IF_MATCH)
        .map(|v| v.to_str().unwrap_or("").to_owned())
}

/// Checks an `If-Match` value against `version`: 428 when absent, 412 when stale.
pub fn check_if_match(value: Option<&str>, version: i32) -> ApiResult<()> {
    let Some(value) = value else {
        return Err(ApiError::new(ErrorCode::PreconditionRequired));
    };
    let current = etag(version);
    let matches = value.split(',').map(str::trim).any(|tag| {
        let tag = tag.strip_prefix("W/").unwrap_or(tag);
        tag == current || tag == "*"
    });
    if matches {
        Ok(())
    } else {
        Err(ApiError::new(ErrorCode::PreconditionFailed))
    }
}
