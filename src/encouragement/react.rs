//! `POST /v1/stories/{story_id}/reactions`.

use actix_web::{post, web};

use crate::auth::CurrentUser;
use crate::encouragement::types::{CreateReaction, Reactions};
use crate::encouragement::{Target, flow};
use crate::error::{ApiResult, Problem};
use crate::ids::StoryId;
use crate::state::AppState;

/// React to a story
///
/// The person, staff, and supporters with the `encourage` grant who can see the story. Each kind
/// counts once per person reacting: sending it again (a retry) changes nothing. The person's feed
/// shows the encouragement.
#[utoipa::path(
    operation_id = "reactToStory",
    tag = "encouragement",
    security(("bearer" = [])),
    params(("story_id" = uuid::Uuid, Path)),
    request_body = CreateReaction,
    responses(
        (status = 200, description = "The story's reactions now", body = Reactions),
        (status = 400, description = "Unknown kind", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A supporter without `encourage`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The story is not published yet, or support has ended", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/stories/{story_id}/reactions")]
pub async fn react(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<uuid::Uuid>,
    body: web::Json<CreateReaction>,
) -> ApiResult<web::Json<Reactions>> {
    let target = Target::Story(StoryId(path.into_inner()));
    flow::react(&state, &user, target, body.into_inner()).await
}
