//! `GET /v1/goals/{goal_id}`.

use actix_web::{HttpRequest, HttpResponse, get, web};

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::error::{ApiError, ApiResult, Problem};
use crate::http::etag::read;
use crate::ids::GoalId;
use crate::plan::goals::types::Goal;
use crate::plan::goals::{authorize_goal, model};
use crate::state::AppState;

/// Get a goal
///
/// With its status history.
#[utoipa::path(
    operation_id = "getGoal",
    tag = "goals",
    security(("bearer" = [])),
    params(("goal_id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "The goal", body = Goal, headers(("ETag" = String))),
        (status = 403, description = "A supporter without the goals grant", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/goals/{goal_id}")]
pub async fn get(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    path: web::Path<GoalId>,
) -> ApiResult<HttpResponse> {
    let goal = path.into_inner();
    let mut conn = state.conn().await?;
    let access = authorize_goal(&mut conn, &user, goal, PersonAction::ViewGoals).await?;
    let row = model::find(&mut conn, &access.scope, goal)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let history = model::status_history(&mut conn, &access.scope, goal).await?;
    Ok(read(&req, row.version, || {
        Goal::from_row(row, Some(history))
    }))
}
