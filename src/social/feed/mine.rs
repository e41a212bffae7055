//! `GET /v1/me/feed`: the home screen.

use actix_web::{get, web};

use crate::auth::CurrentUser;
use crate::error::{ApiResult, Problem};
use crate::http::pagination::PageQuery;
use crate::social::feed::model::{self, Scope, Viewer};
use crate::social::feed::types::Feed;
use crate::state::AppState;

/// My feed
///
/// One feed across everyone the caller follows: a supporter, every circle they are in; a
/// mentor, their caseload; admins and coordinators, their organisation's people; a person,
/// their own. Filtered per person as in their own feeds. Others get an empty feed.
#[utoipa::path(
    operation_id = "getMyFeed",
    tag = "feed",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of the feed", body = Feed),
        (status = 400, description = "Bad cursor or limit", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/feed")]
pub async fn mine(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<PageQuery>,
) -> ApiResult<web::Json<Feed>> {
    let page = query.page()?;
    let mut conn = state.conn().await?;
    let items = model::page(&mut conn, Viewer::signed_in(&user), Scope::Mine, page, None).await?;
    if items.is_empty() {
        // Nothing to show, or the session has ended: only the second is an error.
        user.check(&mut conn).await?;
    }
    let (items, next_cursor) = page.finish(items, |i| i.id);
    crate::auth::access::feed_shown(user.claims().0, items.iter().map(|i| i.person_id));
    Ok(web::Json(Feed { items, next_cursor }))
}
