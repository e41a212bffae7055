//! `POST /v1/actions/{action_id}/comments`.

use actix_web::{HttpResponse, post, web};

use crate::auth::CurrentUser;
use crate::encouragement::types::{Comment, CreateComment};
use crate::encouragement::{Target, flow};
use crate::error::{ApiResult, Problem};
use crate::ids::ActionId;
use crate::state::AppState;

/// Comment on an action
///
/// Once the action is done: the person, staff, and supporters with the `goals` and `encourage`
/// grants.
#[utoipa::path(
    operation_id = "commentOnAction",
    tag = "encouragement",
    security(("bearer" = [])),
    params(("action_id" = uuid::Uuid, Path)),
    request_body = CreateComment,
    responses(
        (status = 201, description = "Posted", body = Comment, headers(("Location" = String))),
        (status = 400, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A supporter without `goals` or `encourage`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The action is not done yet, or support has ended", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`rate_limited`: over your comments for this minute (`CAMAU_QUOTA_COMMENTS_PER_MINUTE`, default 20); `Retry-After` says when the window ends", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds until the quota window ends"))),
    )
)]
#[post("/actions/{action_id}/comments")]
pub async fn action_comment(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<uuid::Uuid>,
    body: web::Json<CreateComment>,
) -> ApiResult<HttpResponse> {
    let target = Target::Action(ActionId(path.into_inner()));
    flow::comment(&state, &user, target, body.into_inner()).await
}
