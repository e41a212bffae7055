//! HTTP plumbing shared by every slice: metrics and access logs (`observe`), the audit of
//! reads (`audit_reads`), the body deadline, the text check, the client's address, the
//! extractor error handlers that keep client mistakes 4xx problem+json, pagination, ETags,
//! idempotent retries, CSV answers, the shape of JSON answers, and which requests are uploads
//! (asked of the router, for the layers that act before routing).

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

/// The upload routes, as the route table writes them: the bodies that are megabytes of image.
/// The request-wide layers run before routing, so they ask the router which of these a request
/// will take ([`upload`]) rather than parse the path themselves.
pub const UPLOAD_ROUTES: [(Upload, &str, Option<&str>); 3] = [
    (Upload::Photo, "/v1/stories/{story_id}/photos", Some("POST")),
    (
        Upload::Announce,
        "/v1/stories/{story_id}/uploads",
        Some("POST"),
    ),
    (Upload::Resumable, "/v1/uploads/{upload_id}", None),
];

/// Which upload route a request takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upload {
    /// `POST /v1/stories/{story_id}/photos`: the photo in one body. Allowed longer to arrive,
    /// and keeps its own idempotency key (a retry finds the stored photo, not a copy of the
    /// response).
    Photo,
    /// `POST /v1/stories/{story_id}/uploads`: a tus upload announced.
    Announce,
    /// Any method on `/v1/uploads/{upload_id}` (tus); a `PATCH` carries a part, allowed longer
    /// to arrive.
    Resumable,
}

/// The upload route `req` will take, if any, for the layers that act before routing: the
/// pattern is the router's own match on the path as routing decodes it (so `/v1/stor%69es/…` is
/// the same route), with the method. It scans the route table: callers ask only for the methods
/// an upload uses.
pub fn upload(req: &actix_web::HttpRequest) -> Option<Upload> {
    let pattern = req
        .resource_map()
        .match_pattern(req.match_info().as_str())?;
    classify(req, &pattern)
}

/// The upload route `req` took, once routed (the route's own pattern, no scan).
pub fn routed_upload(req: &actix_web::HttpRequest) -> Option<Upload> {
    classify(req, &req.match_pattern()?)
}

fn classify(req: &actix_web::HttpRequest, pattern: &str) -> Option<Upload> {
    UPLOAD_ROUTES
        .iter()
        .find(|(_, p, method)| *p == pattern && method.is_none_or(|m| req.method().as_str() == m))
        .map(|(upload, _, _)| *upload)
}

/// Whether the request says its body is an image (`image/*`): the photo upload takes nothing
/// else.
pub fn is_image(req: &actix_web::HttpRequest) -> bool {
    req.headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<mime::Mime>().ok())
        .is_some_and(|m| m.type_() == mime::IMAGE)
}

/// Whether the request says its body is a tus part (`application/offset+octet-stream`): the
/// part handler takes nothing else.
pub fn is_tus_part(req: &actix_web::HttpRequest) -> bool {
    req.headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/offset+octet-stream"))
}

/// A request whose body is megabytes of image: a photo (`image/*`), or a tus part
/// (`application/offset+octet-stream`): the only types those handlers take, so no other body
/// gets their longer time to arrive.
pub fn is_image_body(req: &actix_web::HttpRequest) -> bool {
    match upload(req) {
        Some(Upload::Photo) => is_image(req),
        Some(Upload::Resumable) => {
            req.method() == actix_web::http::Method::PATCH && is_tus_part(req)
        }
        Some(Upload::Announce) | None => false,
    }
}
