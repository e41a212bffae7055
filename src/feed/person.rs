//! `GET /v1/people/{person_id}/feed`.

use actix_web::{get, web};

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::error::{ApiResult, Problem};
use crate::feed::model::{self, Scope};
use crate::feed::types::Feed;
use crate::http::pagination::PageQuery;
use crate::ids::PersonId;
use crate::people::authorize;
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
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person, or not one you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/people/{person_id}/feed")]
pub async fn person(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<uuid::Uuid>,
    query: web::Query<PageQuery>,
) -> ApiResult<web::Json<Feed>> {
    let mut conn = state.conn().await?;
    let access = authorize(
        &mut conn,
        &user,
        PersonId(path.into_inner()),
        PersonAction::ViewFeed,
    )
    .await?;
    let page = query.page()?;
    let person = access.scope.id().person.0;
    let items = model::page(&mut conn, &access.actor, Scope::Person(person), page, None).await?;
    let (items, next_cursor) = page.finish(items, |i| i.id);
    Ok(web::Json(Feed { items, next_cursor }))
}
