//! `GET /v1/me/feed/stream`.

use actix_web::{HttpRequest, HttpResponse, get, web};

use crate::auth::CurrentUser;
use crate::error::{ApiResult, Problem};
use crate::social::feed::stream::{self, Watch};
use crate::state::AppState;

/// My feed, live
///
/// As `GET /v1/people/{id}/feed/stream`, across everyone the caller follows
/// (`GET /v1/me/feed`). Someone who joins or leaves a circle is followed, or not, from the
/// next heartbeat.
#[utoipa::path(
    operation_id = "streamMyFeed",
    tag = "feed",
    security(("bearer" = [])),
    params(("Last-Event-ID" = Option<String>, Header, description = "The id of the last event received")),
    responses(
        (status = 200, description = "An event stream", content_type = "text/event-stream", body = String),
        (status = 429, description = "Too many open streams for this account", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "No room on this instance: retry after `Retry-After`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/feed/stream")]
pub async fn stream_mine(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let actor = user.check(&mut conn).await?;
    drop(conn);
    stream::open(
        state.into_inner(),
        user,
        actor,
        Watch::Mine,
        stream::last_event_id(&req),
    )
    .await
}
