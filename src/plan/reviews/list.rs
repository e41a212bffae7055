//! `GET /v1/people/{person_id}/reviews`.

use actix_web::{get, web};

use crate::auth::CurrentUser;
use crate::auth::access::{PersonAction, Relation};
use crate::error::{ApiResult, Problem};
use crate::http::pagination::PageQuery;
use crate::ids::PersonId;
use crate::plan::people::authorize;
use crate::plan::reviews::model;
use crate::plan::reviews::types::{Review, ReviewList};
use crate::state::AppState;

/// List a person's reviews
///
/// Staff who work with the person, the person, and supporters with the `reviews` grant.
/// Staff notes are shown to staff only.
#[utoipa::path(
    operation_id = "listReviews",
    tag = "reviews",
    security(("bearer" = [])),
    params(("person_id" = uuid::Uuid, Path), PageQuery),
    responses(
        (status = 200, description = "A page of reviews, oldest first", body = ReviewList),
        (status = 400, description = "Bad limit or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A supporter without the reviews grant", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/people/{person_id}/reviews")]
pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<PersonId>,
    query: web::Query<PageQuery>,
) -> ApiResult<web::Json<ReviewList>> {
    load(&state, &user, path.into_inner(), &query)
        .await
        .map(web::Json)
}

/// A page of them, for the API and the console alike.
pub async fn load(
    state: &AppState,
    user: &CurrentUser,
    person: PersonId,
    query: &PageQuery,
) -> ApiResult<ReviewList> {
    let mut conn = state.conn().await?;
    let access = authorize(&mut conn, user, person, PersonAction::ViewReviews).await?;
    let page = query.page()?;
    let rows = model::list(&mut conn, &access.scope, page).await?;
    let (rows, next_cursor) = page.finish(rows, |r| r.id);
    let ids: Vec<uuid::Uuid> = rows.iter().map(|r| r.id).collect();
    let ratings = model::ratings(&mut conn, &access.scope, &ids).await?;
    let staff = matches!(access.relation, Relation::Staff(_));
    Ok(ReviewList {
        items: rows
            .into_iter()
            .map(|r| Review::from_rows(r, &ratings, staff))
            .collect(),
        next_cursor,
    })
}
