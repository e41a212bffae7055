//! `POST /v1/people/{person_id}/reviews`: record a review meeting and its ratings.

use actix_web::http::header;
use actix_web::{HttpResponse, post, web};
use diesel_async::AsyncConnection;

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::error::{ApiError, ApiResult, Problem};
use crate::http::etag::etag;
use crate::ids::{PersonId, ReviewId};
use crate::plan::people::authorize;
use crate::plan::reviews::types::{CreateReview, Review};
use crate::plan::reviews::{check_references, model};
use crate::social::activity::{self, ActivityKind, Subject};
use crate::state::AppState;

/// Record a review
///
/// Staff who work with the person. Each rating must be on its goal's scale; a goal's first
/// rating becomes its baseline.
#[utoipa::path(
    operation_id = "createReview",
    tag = "reviews",
    security(("bearer" = [])),
    params(("person_id" = uuid::Uuid, Path)),
    request_body = CreateReview,
    responses(
        (status = 201, description = "Recorded", body = Review, headers(("ETag" = String))),
        (status = 400, description = "Invalid fields, ratings or participants", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only staff record reviews", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Support has ended", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/people/{person_id}/reviews")]
pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<PersonId>,
    body: web::Json<CreateReview>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let access = authorize(
        &mut conn,
        &user,
        path.into_inner(),
        PersonAction::EditReviews,
    )
    .await?;
    body.validate()?;
    let scope = access.scope;
    check_references(
        &mut conn,
        &scope,
        Some(&body.ratings),
        Some(&body.staff_participants),
        Some(&body.circle_participants),
    )
    .await?;
    let author = access.actor.account_id;
    let (row, ratings) = conn
        .transaction(async move |conn| {
            let row = model::insert(
                conn,
                &scope,
                author,
                body.held_on,
                body.person_took_part,
                body.lang.as_str(),
                &body.fields(),
            )
            .await?;
            let ratings: Vec<_> = body
                .ratings
                .iter()
                .map(|r| (r.goal_id, r.value, r.comment.clone()))
                .collect();
            model::replace_ratings(conn, &scope, ReviewId(row.id), &ratings).await?;
            let ratings = model::ratings(conn, &scope, &[row.id]).await?;
            let subject = Subject {
                review: Some(row.id),
                ..Subject::default()
            };
            activity::record(conn, &scope, author, ActivityKind::ReviewHeld, subject).await?;
            crate::trust::audit::model::changed(
                conn,
                &scope,
                author,
                crate::trust::audit::Action::ReviewCreated,
                "review",
                row.id,
            )
            .await?;
            Ok::<_, ApiError>((row, ratings))
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::ETAG, etag(row.version)))
        .json(Review::from_rows(row, &ratings, true)))
}
