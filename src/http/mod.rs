//! HTTP plumbing shared by every slice: metrics and access logs (`observe`), the audit of
//! reads (`audit_reads`), the body deadline, the text check, the client's address, the
//! extractor error handlers that keep client mistakes 4xx problem+json, pagination, ETags,
//! idempotent retries, CSV answers and the shape of JSON answers.

pub mod audit_reads;
pub mod client;
pub mod csv;
pub mod deadline;
pub mod etag;
pub mod extract;
pub mod idempotency;
pub mod observe;
pub mod pagination;
pub mod shape;
pub mod text;

/// A part of a resumable photo upload (`PATCH /v1/uploads/{id}`): megabytes too.
pub fn is_upload_part(req: &actix_web::HttpRequest) -> bool {
    req.method() == actix_web::http::Method::PATCH && req.path().starts_with("/v1/uploads/")
}

/// A photo upload (`POST /v1/stories/{id}/photos` with an image type): the one request whose
/// body is megabytes of image, allowed longer to arrive and keeping its own idempotency key.
pub fn is_photo_upload(req: &actix_web::HttpRequest) -> bool {
    let path = req.path();
    req.method() == actix_web::http::Method::POST
        && path.starts_with("/v1/stories/")
        && path.ends_with("/photos")
        && path.matches('/').count() == 4
        && req
            .headers()
            .get(actix_web::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<mime::Mime>().ok())
            .is_some_and(|m| m.type_() == mime::IMAGE && m.suffix().is_none())
}
