//! `GET /v1/stories/{story_id}`.

use actix_web::{HttpRequest, HttpResponse, get, web};

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::error::{ApiResult, Problem};
use crate::http::etag;
use crate::ids::StoryId;
use crate::social::stories::types::Story;
use crate::social::stories::{authorize_story, present_one};
use crate::state::AppState;

/// Get a story
///
/// As for the list: a story outside the caller's view is 404.
#[utoipa::path(
    operation_id = "getStory",
    tag = "stories",
    security(("bearer" = [])),
    params(("story_id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "The story", body = Story, headers(("ETag" = String))),
        (status = 403, description = "A supporter without `stories` or `contribute`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/stories/{story_id}")]
pub async fn get(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    path: web::Path<StoryId>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let mut conn = state.conn().await?;
    let (access, _) = authorize_story(&mut conn, &user, id, PersonAction::ViewStories).await?;
    let (version, story) = present_one(&mut conn, &access, id).await?;
    Ok(etag::read(&req, version, || story))
}
