//! `GET /v1/goals/{goal_id}/comments`.

use actix_web::{get, web};

use crate::auth::CurrentUser;
use crate::encouragement::types::CommentList;
use crate::encouragement::{Target, flow};
use crate::error::{ApiResult, Problem};
use crate::http::pagination::PageQuery;
use crate::ids::GoalId;
use crate::state::AppState;

/// A goal's comments
///
/// Whoever can see the goal, oldest first. Hidden comments are shown (marked) to the person and
/// staff only.
#[utoipa::path(
    operation_id = "listGoalComments",
    tag = "encouragement",
    security(("bearer" = [])),
    params(("goal_id" = uuid::Uuid, Path), PageQuery),
    responses(
        (status = 200, description = "A page of comments", body = CommentList),
        (status = 400, description = "Bad cursor or limit", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A supporter without `goals`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/goals/{goal_id}/comments")]
pub async fn goal_comments(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<uuid::Uuid>,
    query: web::Query<PageQuery>,
) -> ApiResult<web::Json<CommentList>> {
    let target = Target::Goal(GoalId(path.into_inner()));
    flow::comments(&state, &user, target, &query).await
}
