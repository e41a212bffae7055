//! HTTP plumbing shared by every slice: request ids, metrics and access logs, the extractor
//! error handlers that keep client mistakes 4xx problem+json, pagination and ETags.

pub mod client;
pub mod deadline;
pub mod etag;
pub mod extract;
pub mod idempotency;
pub mod observe;
pub mod pagination;
pub mod request_id;
pub mod text;
