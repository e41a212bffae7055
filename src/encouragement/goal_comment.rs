//! `POST /v1/goals/{goal_id}/comments`.

use actix_web::{HttpResponse, post, web};

use crate::auth::CurrentUser;
use crate::encouragement::types::{Comment, CreateComment};
use crate::encouragement::{Target, flow};
use crate::error::{ApiResult, Problem};
use crate::ids::GoalId;
use crate::state::AppState;

/// Comment on a goal
///
/// Once the goal is achieved: the person, staff, and supporters with the `goals` and `encourage`
/// grants.
#[utoipa::path(
    operation_id = "commentOnGoal",
    tag = "encouragement",
    security(("bearer" = [])),
    params(("goal_id" = uuid::Uuid, Path)),
    request_body = CreateComment,
    responses(
        (status = 201, description = "Posted", body = Comment, headers(("Location" = String))),
        (status = 400, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A supporter without `goals` or `encourage`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The goal is not achieved yet, or support has ended", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`rate_limited`: over your comments for this minute (`CAMAU_QUOTA_COMMENTS_PER_MINUTE`, default 20); `Retry-After` says when the window ends", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds until the quota window ends"))),
    )
)]
#[post("/goals/{goal_id}/comments")]
pub async fn goal_comment(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<uuid::Uuid>,
    body: web::Json<CreateComment>,
) -> ApiResult<HttpResponse> {
    let target = Target::Goal(GoalId(path.into_inner()));
    flow::comment(&state, &user, target, body.into_inner()).await
}
