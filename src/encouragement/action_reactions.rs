//! `GET /v1/actions/{action_id}/reactions`.

use actix_web::{get, web};

use crate::auth::CurrentUser;
use crate::encouragement::types::Reactions;
use crate::encouragement::{Target, flow};
use crate::error::{ApiResult, Problem};
use crate::ids::ActionId;
use crate::state::AppState;

/// An action's reactions
///
/// Whoever can see the action (its goal): how many of each kind, and which are the caller's.
#[utoipa::path(
    operation_id = "listActionReactions",
    tag = "encouragement",
    security(("bearer" = [])),
    params(("action_id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "The counts", body = Reactions),
        (status = 403, description = "A supporter without `goals`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/actions/{action_id}/reactions")]
pub async fn action_reactions(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<uuid::Uuid>,
) -> ApiResult<web::Json<Reactions>> {
    let target = Target::Action(ActionId(path.into_inner()));
    flow::reactions(&state, &user, target).await
}
