//! `DELETE /v1/goals/{goal_id}/codes/{code_id}`.

use actix_web::{HttpResponse, delete, web};

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::error::{ApiError, ApiResult, Problem};
use crate::ids::GoalId;
use crate::outcomes::outcome_codes::model;
use crate::plan::goals::authorize_goal;
use crate::state::AppState;

/// Remove an outcome code from a goal
///
/// Staff. The code is kept for the record (who removed it, when) and leaves the reports.
#[utoipa::path(
    operation_id = "removeGoalCode",
    tag = "frameworks",
    security(("bearer" = [])),
    params(("goal_id" = uuid::Uuid, Path), ("code_id" = uuid::Uuid, Path)),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "Only staff code goals", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such goal or current code, or not one you may see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Support has ended", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/goals/{goal_id}/codes/{code_id}")]
pub async fn remove(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(uuid::Uuid, uuid::Uuid)>,
) -> ApiResult<HttpResponse> {
    let (goal, code) = path.into_inner();
    let goal = GoalId(goal);
    let mut conn = state.conn().await?;
    let access = authorize_goal(&mut conn, &user, goal, PersonAction::EditOutcomeCodes).await?;
    let by = access.actor.account_id;
    if !model::remove(&mut conn, &access.scope, goal, code, by).await? {
        return Err(ApiError::not_found());
    }
    Ok(HttpResponse::NoContent().finish())
}
