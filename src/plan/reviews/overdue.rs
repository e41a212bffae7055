//! `GET /v1/organisations/{organisation_id}/overdue-reviews`.

use actix_web::{get, web};

use crate::auth::access::{self, OrgAction};
use crate::auth::{CurrentUser, Role};
use crate::error::{ApiError, ApiResult, Problem};
use crate::ids::OrganisationId;
use crate::plan::reviews::model;
use crate::plan::reviews::types::{OverdueList, OverdueReview};
use crate::state::AppState;

/// Overdue reviews
///
/// People whose next review date has passed. Admins and coordinators see the whole
/// organisation; mentors their own caseload.
#[utoipa::path(
    operation_id = "listOverdueReviews",
    tag = "reviews",
    security(("bearer" = [])),
    params(("organisation_id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Most overdue first", body = OverdueList),
        (status = 403, description = "Not staff of this provider", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organisations/{organisation_id}/overdue-reviews")]
pub async fn overdue(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<OrganisationId>,
) -> ApiResult<web::Json<OverdueList>> {
    let mut conn = state.conn().await?;
    let user = user.check(&mut conn).await?;
    let requested = path.into_inner();
    if user.organisation_id() != Some(requested) {
        return Err(ApiError::not_found());
    }
    let org = access::people_of_organisation(&user, false)?;
    access::organisation(&user, requested, OrgAction::View)?;
    let mentor = (user.role == Role::Mentor).then_some(user.account_id);
    let rows = model::overdue(&mut conn, &org, mentor).await?;
    Ok(web::Json(OverdueList {
        items: rows
            .into_iter()
            .map(|r| OverdueReview {
                person_id: r.person_id,
                preferred_name: r.preferred_name,
                last_review_on: r.last_review_on,
                next_review_on: r.next_review_on,
            })
            .collect(),
    }))
}
