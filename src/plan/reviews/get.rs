//! `GET /v1/reviews/{review_id}`.

use actix_web::{HttpRequest, HttpResponse, get, web};

use crate::auth::CurrentUser;
use crate::auth::access::{PersonAction, Relation};
use crate::error::{ApiError, ApiResult, Problem};
use crate::http::etag::read;
use crate::ids::ReviewId;
use crate::plan::reviews::types::Review;
use crate::plan::reviews::{authorize_review, model};
use crate::state::AppState;

/// Get a review
#[utoipa::path(
    operation_id = "getReview",
    tag = "reviews",
    security(("bearer" = [])),
    params(("review_id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "The review", body = Review, headers(("ETag" = String))),
        (status = 403, description = "A supporter without the reviews grant", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reviews/{review_id}")]
pub async fn get(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    path: web::Path<ReviewId>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let mut conn = state.conn().await?;
    let access = authorize_review(&mut conn, &user, id, PersonAction::ViewReviews).await?;
    let row = model::find(&mut conn, &access.scope, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let ratings = model::ratings(&mut conn, &access.scope, &[id.0]).await?;
    let staff = matches!(access.relation, Relation::Staff(_));
    Ok(read(&req, row.version, || {
        Review::from_rows(row, &ratings, staff)
    }))
}
