//! `GET /v1/stories/{story_id}/reactions`.

use actix_web::{get, web};

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::encouragement::model;
use crate::encouragement::types::Reactions;
use crate::error::{ApiResult, Problem};
use crate::ids::StoryId;
use crate::state::AppState;
use crate::stories::authorize_story;

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
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A supporter without `stories`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such story, or not one you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/stories/{story_id}/reactions")]
pub async fn reactions(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<uuid::Uuid>,
) -> ApiResult<web::Json<Reactions>> {
    let story = StoryId(path.into_inner());
    let mut conn = state.conn().await?;
    let (access, _) = authorize_story(&mut conn, &user, story, PersonAction::ViewStories).await?;
    let all = model::reactions_on(&mut conn, &access.scope, story).await?;
    Ok(web::Json(Reactions::tally(&all, access.actor.account_id.0)))
}
