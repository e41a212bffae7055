//! The request id: taken from a well-formed `X-Request-Id` or made fresh, echoed back, put on
//! every log line and into every error body. A task-local carries it to the error renderer,
//! which has no access to the request.

use uuid::Uuid;

pub const HEADER: &str = "x-request-id";

tokio::task_local! {
    static REQUEST_ID: String;
}

/// The id of the request being served, if any.
pub fn current() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// Runs `fut` with `id` as the current request id.
pub async fn scope<F: Future>(id: String, fut: F) -> F::Output {
    REQUEST_ID.scope(id, fut).await
}

/// Accepts a caller's id only when it is short and plain, so it cannot inject into logs.
pub fn from_header(value: Option<&str>) -> String {
    match value {
        Some(v)
            if (1..=64).contains(&v.len())
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.') =>
        {
            v.to_owned()
        }
        _ => Uuid::now_v7().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_plain_ids_and_replaces_others() {
        assert_eq!(from_header(Some("abc-123")), "abc-123");
        assert_ne!(from_header(Some("a b\n{\"x\":1}")), "a b\n{\"x\":1}");
        assert_eq!(from_header(Some(&"a".repeat(65))).len(), 36);
        assert_eq!(from_header(None).len(), 36);
    }
}
