//! The request id: always made here (a UUIDv7), echoed back, put on every log line, into every
//! error body and into the audit trail. A caller's own `X-Request-Id`, when short and plain, is
//! kept beside it as the *client* request id (logs and audit events carry both), never in its
//! place: an id the caller chose cannot name, or collide with, another request's events. A
//! task-local carries both to the error renderer, which has no access to the request.

use uuid::Uuid;

pub const HEADER: &str = "x-request-id";

/// The ids of one request: ours, and the caller's if it sent a usable one.
#[derive(Debug, Clone)]
pub struct RequestIds {
    pub id: String,
    pub client: Option<String>,
}

tokio::task_local! {
    static IDS: RequestIds;
}

/// The (server-made) id of the request being served, if any.
pub fn current() -> Option<String> {
    IDS.try_with(|ids| ids.id.clone()).ok()
}

/// The id the caller sent for the request being served, if any.
pub fn client() -> Option<String> {
    IDS.try_with(|ids| ids.client.clone()).ok().flatten()
}

/// Both ids of the request being served (to carry them into a spawned task).
pub fn ids() -> Option<RequestIds> {
    IDS.try_with(Clone::clone).ok()
}

/// Runs `fut` with `ids` as the current request's.
pub async fn scope<F: Future>(ids: RequestIds, fut: F) -> F::Output {
    IDS.scope(ids, fut).await
}

/// A fresh id, and the caller's only when it is short and plain, so it cannot inject into logs.
pub fn from_header(value: Option<&str>) -> RequestIds {
    let client = value
        .filter(|v| {
            (1..=64).contains(&v.len())
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
        })
        .map(str::to_owned);
    RequestIds {
        id: Uuid::now_v7().to_string(),
        client,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn always_makes_the_id_and_keeps_only_plain_client_ids() {
        let ids = from_header(Some("abc-123"));
        assert_ne!(ids.id, "abc-123");
        assert_eq!(ids.id.len(), 36);
        assert_eq!(ids.client.as_deref(), Some("abc-123"));
        assert_eq!(from_header(Some("a b\n{\"x\":1}")).client, None);
        assert_eq!(from_header(Some(&"a".repeat(65))).client, None);
        assert_eq!(from_header(None).client, None);
    }
}
