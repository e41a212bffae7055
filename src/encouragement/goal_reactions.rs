//! `GET /v1/goals/{goal_id}/reactions`.

use actix_web::{get, web};

use crate::auth::CurrentUser;
use crate::encouragement::types::Reactions;
use crate::encouragement::{Target, flow};
use crate::error::{ApiResult, Problem};
use crate::ids::GoalId;
use crate::state::AppState;

/// A goal's reactions
///
/// Whoever can see the goal: how many of each kind, and which are the caller's.
#[utoipa::path(
    operation_id = "listGoalReactions",
    tag = "encouragement",
    security(("bearer" = [])),
    params(("goal_id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "The counts", body = Reactions),
        (status = 403, description = "A supporter without `goals`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/goals/{goal_id}/reactions")]
pub async fn goal_reactions(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<uuid::Uuid>,
) -> ApiResult<web::Json<Reactions>> {
    let target = Target::Goal(GoalId(path.into_inner()));
    flow::reactions(&state, &user, target).await
}
