//! `POST /v1/stories/{story_id}/comments`.

use actix_web::{HttpResponse, post, web};

use crate::auth::CurrentUser;
use crate::encouragement::types::{Comment, CreateComment};
use crate::encouragement::{Target, flow};
use crate::error::{ApiResult, Problem};
use crate::ids::StoryId;
use crate::state::AppState;

/// Comment on a story
///
/// The person, staff, and supporters with the `encourage` grant who can see the story.
#[utoipa::path(
    operation_id = "commentOnStory",
    tag = "encouragement",
    security(("bearer" = [])),
    params(("story_id" = uuid::Uuid, Path)),
    request_body = CreateComment,
    responses(
        (status = 201, description = "Posted", body = Comment, headers(("Location" = String))),
        (status = 400, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A supporter without `encourage`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The story is not published yet, or support has ended", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`rate_limited`: over your comments for this minute (`CAMAU_QUOTA_COMMENTS_PER_MINUTE`, default 20); `Retry-After` says when the window ends", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds until the quota window ends"))),
    )
)]
#[post("/stories/{story_id}/comments")]
pub async fn comment(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<uuid::Uuid>,
    body: web::Json<CreateComment>,
) -> ApiResult<HttpResponse> {
    let target = Target::Story(StoryId(path.into_inner()));
    flow::comment(&state, &user, target, body.into_inner()).await
}
