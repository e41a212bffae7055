//! `GET /v1/stories/{story_id}/comments`.

use actix_web::{get, web};

use crate::auth::CurrentUser;
use crate::encouragement::types::CommentList;
use crate::encouragement::{Target, flow};
use crate::error::{ApiResult, Problem};
use crate::http::pagination::PageQuery;
use crate::ids::StoryId;
use crate::state::AppState;

/// A story's comments
///
/// Whoever can see the story, oldest first. Hidden comments are shown (marked) to the person and
/// staff only.
#[utoipa::path(
    operation_id = "listStoryComments",
    tag = "encouragement",
    security(("bearer" = [])),
    params(("story_id" = uuid::Uuid, Path), PageQuery),
    responses(
        (status = 200, description = "A page of comments", body = CommentList),
        (status = 400, description = "Bad cursor or limit", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A supporter without `stories`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/stories/{story_id}/comments")]
pub async fn comments(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<uuid::Uuid>,
    query: web::Query<PageQuery>,
) -> ApiResult<web::Json<CommentList>> {
    let target = Target::Story(StoryId(path.into_inner()));
    flow::comments(&state, &user, target, &query).await
}
