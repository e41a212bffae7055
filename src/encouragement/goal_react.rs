//! `POST /v1/goals/{goal_id}/reactions`.

use actix_web::{post, web};

use crate::auth::CurrentUser;
use crate::encouragement::types::{CreateReaction, Reactions};
use crate::encouragement::{Target, flow};
use crate::error::{ApiResult, Problem};
use crate::ids::GoalId;
use crate::state::AppState;

/// React to a goal
///
/// Once the goal is achieved: the person, staff, and supporters with the `goals` and `encourage`
/// grants. Each kind counts once per person reacting: sending it again (a retry) changes nothing.
/// The person's feed shows the encouragement.
#[utoipa::path(
    operation_id = "reactToGoal",
    tag = "encouragement",
    security(("bearer" = [])),
    params(("goal_id" = uuid::Uuid, Path)),
    request_body = CreateReaction,
    responses(
        (status = 200, description = "The goal's reactions now", body = Reactions),
        (status = 400, description = "Unknown kind", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A supporter without `goals` or `encourage`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The goal is not achieved yet, or support has ended", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/goals/{goal_id}/reactions")]
pub async fn goal_react(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<uuid::Uuid>,
    body: web::Json<CreateReaction>,
) -> ApiResult<web::Json<Reactions>> {
    let target = Target::Goal(GoalId(path.into_inner()));
    flow::react(&state, &user, target, body.into_inner()).await
}
