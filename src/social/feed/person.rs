//! `GET /v1/people/{person_id}/feed`.

use actix_web::{get, web};

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::error::{ApiResult, Problem};
use crate::http::pagination::PageQuery;
use crate::ids::PersonId;
use crate::plan::people::authorize;
use crate::social::feed::model::{self, Scope, Viewer};
use crate::social::feed::types::Feed;
use crate::state::AppState;

/// A person's feed
///
/// What happened in the person's plan, newest first: stories posted, goals set and
/// achieved, actions done, reviews held, encouragement. Each caller sees only what they may:
/// a supporter, the stories in their audience (`stories`), goals and actions (`goals`),
/// reviews (`reviews`).
#[utoipa::path(
    operation_id = "getPersonFeed",
    tag = "feed",
    security(("bearer" = [])),
    params(("person_id" = uuid::Uuid, Path), PageQuery),
    responses(
        (status = 200, description = "A page of the feed", body = Feed),
        (status = 400, description = "Bad cursor or limit", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/people/{person_id}/feed")]
pub async fn person(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<PersonId>,
    query: web::Query<PageQuery>,
) -> ApiResult<web::Json<Feed>> {
    let person = path.into_inner();
    let page = query.page()?;
    let mut conn = state.conn().await?;
    // One statement checks the session, the caller's relation to the person and reads the
    // page. Only an empty page needs telling apart: no session (401), a person the caller
    // may not follow (404), or nothing to show yet.
    let viewer = Viewer::signed_in(&user);
    let items = model::page(&mut conn, viewer, Scope::Person(person.0), page, None).await?;
    if items.is_empty() {
        authorize(&mut conn, &user, person, PersonAction::ViewFeed).await?;
    }
    let (items, next_cursor) = page.finish(items, |i| i.id);
    crate::auth::access::feed_shown(user.claims().0, items.iter().map(|i| i.person_id));
    Ok(web::Json(Feed { items, next_cursor }))
}
