//! Optimistic concurrency for shared records: reads send an `ETag`, updates must carry it back
//! in `If-Match` (412 when stale, 428 when missing), so two coordinators cannot silently
//! overwrite each other.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;

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
        let mut stale = ApiError::new(ErrorCode::PreconditionFailed).with_detail(
            "changed since your copy: the ETag header names the current version; read it, \
             merge, and send again with that If-Match",
        );
        stale.current_etag = Some(current);
        Err(stale)
    }
}

/// Answers a read of a record at `version`: 304 Not Modified when `If-None-Match` already
/// names it, so a phone on a metered connection downloads nothing that has not changed; else
/// 200 with the body (built only then) and the `ETag`. The tag names the record's version;
/// what a caller is shown of it also depends on who they are and their language (`Vary`), so
/// a client keeps its cache per account and language.
pub fn read<T: Serialize>(
    req: &HttpRequest,
    version: i32,
    body: impl FnOnce() -> T,
) -> HttpResponse {
    let tag = etag(version);
    let unchanged = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .map(str::trim)
                .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == tag)
        });
    let mut res = if unchanged {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    res.insert_header((header::ETAG, tag))
        .insert_header((header::VARY, "Authorization, Accept-Language"));
    if unchanged {
        res.finish()
    } else {
        res.json(body())
    }
}
