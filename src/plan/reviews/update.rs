//! `PATCH /v1/reviews/{review_id}`.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, patch, web};
use diesel_async::AsyncConnection;

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::error::{ApiError, ApiResult, ErrorCode, Problem, Validator};
use crate::http::etag::{etag, require_if_match};
use crate::ids::ReviewId;
use crate::plan::reviews::types::{Review, UpdateReview};
use crate::plan::reviews::{authorize_review, check_references, model};
use crate::state::AppState;

/// Update a review
///
/// Staff who work with the person. `ratings`, when given, replaces all ratings. Needs
/// `If-Match`.
#[utoipa::path(
    operation_id = "updateReview",
    tag = "reviews",
    security(("bearer" = [])),
    params(("review_id" = uuid::Uuid, Path), ("If-Match" = String, Header)),
    request_body = UpdateReview,
    responses(
        (status = 200, description = "Updated", body = Review, headers(("ETag" = String))),
        (status = 400, description = "Invalid fields, ratings or participants", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only staff edit reviews", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Support has ended", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since your last read", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/reviews/{review_id}")]
pub async fn update(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    path: web::Path<ReviewId>,
    body: web::Json<UpdateReview>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let mut conn = state.conn().await?;
    let access = authorize_review(&mut conn, &user, id, PersonAction::EditReviews).await?;
    body.validate()?;
    let current = model::find(&mut conn, &access.scope, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    require_if_match(&req, current.version)?;
    let held_on = body.held_on.unwrap_or(current.held_on);
    let next = body.next_review_on.unwrap_or(current.next_review_on);
    if next.is_some_and(|n| n < held_on) {
        let mut v = Validator::new();
        v.add(
            "/next_review_on",
            "before_review",
            "must not be before held_on",
        );
        v.finish()?;
    }
    let scope = access.scope;
    let by = access.actor.account_id;
    check_references(
        &mut conn,
        &scope,
        body.ratings.as_deref(),
        body.staff_participants.as_deref(),
        body.circle_participants.as_deref(),
    )
    .await?;
    let (row, ratings) = conn
        .transaction(async move |conn| {
            let row = model::update(conn, &scope, id, current.version, &body.fields())
                .await?
                .ok_or_else(|| ApiError::new(ErrorCode::PreconditionFailed))?;
            if let Some(ratings) = &body.ratings {
                let ratings: Vec<_> = ratings
                    .iter()
                    .map(|r| (r.goal_id, r.value, r.comment.clone()))
                    .collect();
                model::replace_ratings(conn, &scope, id, &ratings).await?;
            }
            crate::trust::audit::model::changed(
                conn,
                &scope,
                by,
                crate::trust::audit::Action::ReviewUpdated,
                "review",
                id.0,
            )
            .await?;
            let ratings = model::ratings(conn, &scope, &[id.0]).await?;
            Ok::<_, ApiError>((row, ratings))
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(row.version)))
        .json(Review::from_rows(row, &ratings, true)))
}
