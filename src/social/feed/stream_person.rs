//! `GET /v1/people/{person_id}/feed/stream`.

use actix_web::{HttpRequest, HttpResponse, get, web};

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::error::{ApiResult, Problem};
use crate::ids::PersonId;
use crate::plan::people::authorize;
use crate::social::feed::stream::{self, Watch};
use crate::state::AppState;

/// A person's feed, live
///
/// Server-Sent Events: each new item of `GET /v1/people/{id}/feed` the caller may see, as
/// `event: activity` with the item as `data` and its id as the event id. Reconnect with
/// `Last-Event-ID` to receive what was missed (up to 100 items; beyond that an `event: reset`
/// says to reload the feed). A comment line every 15 s keeps the connection open. When the
/// caller's access ends (removed from the circle, signed out) the stream sends `event: end`
/// and closes. At most 5 streams per account (429) and a bound per instance (503).
#[utoipa::path(
    operation_id = "streamPersonFeed",
    tag = "feed",
    security(("bearer" = [])),
    params(("person_id" = uuid::Uuid, Path), ("Last-Event-ID" = Option<String>, Header, description = "The id of the last event received")),
    responses(
        (status = 200, description = "An event stream", content_type = "text/event-stream", body = String),
        (status = 429, description = "Too many open streams for this account", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "No room on this instance: retry after `Retry-After`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/people/{person_id}/feed/stream")]
pub async fn stream_person(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    path: web::Path<PersonId>,
) -> ApiResult<HttpResponse> {
    let person = path.into_inner();
    let mut conn = state.conn().await?;
    let access = authorize(&mut conn, &user, person, PersonAction::ViewFeed).await?;
    drop(conn);
    stream::open(
        state.into_inner(),
        user,
        access.actor,
        Watch::Person(person),
        stream::last_event_id(&req),
    )
    .await
}
