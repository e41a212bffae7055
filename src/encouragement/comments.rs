//! `GET /v1/stories/{story_id}/comments`.

use actix_web::{get, web};

use crate::auth::CurrentUser;
use crate::auth::access::{PersonAction, Relation};
use crate::encouragement::model;
use crate::encouragement::types::{Comment, CommentList};
use crate::error::{ApiResult, Problem};
use crate::http::pagination::PageQuery;
use crate::ids::StoryId;
use crate::state::AppState;
use crate::stories::authorize_story;

/// A story's comments
///
/// Whoever can see the story, oldest first. Hidden comments are shown (marked) to the person
/// and staff only.
#[utoipa::path(
    operation_id = "listStoryComments",
    tag = "encouragement",
    security(("bearer" = [])),
    params(("story_id" = uuid::Uuid, Path), PageQuery),
    responses(
        (status = 200, description = "A page of comments", body = CommentList),
        (status = 400, description = "Bad cursor or limit", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A supporter without `stories`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such story, or not one you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/stories/{story_id}/comments")]
pub async fn comments(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<uuid::Uuid>,
    query: web::Query<PageQuery>,
) -> ApiResult<web::Json<CommentList>> {
    let story = StoryId(path.into_inner());
    let mut conn = state.conn().await?;
    let (access, _) = authorize_story(&mut conn, &user, story, PersonAction::ViewStories).await?;
    let page = query.page()?;
    let with_hidden = !matches!(access.relation, Relation::Supporter(_));
    let rows = model::comments_on(&mut conn, &access.scope, story, with_hidden, page).await?;
    let (rows, next_cursor) = page.finish(rows, |(r, _)| r.id);
    let me = access.actor.account_id.0;
    Ok(web::Json(CommentList {
        items: rows
            .into_iter()
            .map(|v| Comment::from_view(v, me))
            .collect(),
        next_cursor,
    }))
}
