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
    let Some(value) = req.headers().get(header::IF_MATCH) else {
        return Err(ApiError::new(ErrorCode::PreconditionRequired));
    };
    let current = etag(version);
    let matches = value.to_str().is_ok_and(|v| {
        v.split(',').map(str::trim).any(|tag| {
            let tag = tag.strip_prefix("W/").unwrap_or(tag);
            tag == current || tag == "*"
        })
    });
    if matches {
        Ok(())
    } else {
        Err(ApiError::new(ErrorCode::PreconditionFailed))
    }
}
