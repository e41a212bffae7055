//! `GET /v1/stories/{story_id}/reactions`.

use actix_web::{get, web};

use crate::auth::CurrentUser;
use crate::encouragement::types::Reactions;
use crate::encouragement::{Target, flow};
use crate::error::{ApiResult, Problem};
use crate::ids::StoryId;
use crate::state::AppState;

/// A story's reactions
///
/// Whoever can see the story: how many of each kind, and which are the caller's.
#[utoipa::path(
    operation_id = "listStoryReactions",
    tag = "encouragement",
    security(("bearer" = [])),
    params(("story_id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "The counts", body = Reactions),
        (status = 403, description = "A supporter without `stories`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/stories/{story_id}/reactions")]
pub async fn reactions(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<uuid::Uuid>,
) -> ApiResult<web::Json<Reactions>> {
    let target = Target::Story(StoryId(path.into_inner()));
    flow::reactions(&state, &user, target).await
}
