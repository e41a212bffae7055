//! `POST /v1/actions/{action_id}/reactions`.

use actix_web::{post, web};

use crate::auth::CurrentUser;
use crate::encouragement::types::{CreateReaction, Reactions};
use crate::encouragement::{Target, flow};
use crate::error::{ApiResult, Problem};
use crate::ids::ActionId;
use crate::state::AppState;

/// React to an action
///
/// Once the action is done: the person, staff, and supporters with the `goals` and `encourage`
/// grants. Each kind counts once per person reacting: sending it again (a retry) changes nothing.
/// The person's feed shows the encouragement.
#[utoipa::path(
    operation_id = "reactToAction",
    tag = "encouragement",
    security(("bearer" = [])),
    params(("action_id" = uuid::Uuid, Path)),
    request_body = CreateReaction,
    responses(
        (status = 200, description = "The action's reactions now", body = Reactions),
        (status = 400, description = "Unknown kind", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A supporter without `goals` or `encourage`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The action is not done yet, or support has ended", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/actions/{action_id}/reactions")]
pub async fn action_react(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<uuid::Uuid>,
    body: web::Json<CreateReaction>,
) -> ApiResult<web::Json<Reactions>> {
    let target = Target::Action(ActionId(path.into_inner()));
    flow::react(&state, &user, target, body.into_inner()).await
}
