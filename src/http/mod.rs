//! HTTP plumbing shared by every slice: metrics and access logs, the extractor error handlers
//! that keep client mistakes 4xx problem+json, pagination, ETags and idempotent retries.

pub mod client;
pub mod deadline;
pub mod etag;
pub mod extract;
pub mod idempotency;
pub mod observe;
pub mod pagination;
pub mod text;
