//! `POST /v1/stories/{story_id}/comments`.

use actix_web::http::header;
use actix_web::{HttpResponse, post, web};
use diesel_async::AsyncConnection;

use crate::activity::{self, ActivityKind, Subject};
use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::encouragement::model;
use crate::encouragement::types::{Comment, CreateComment};
use crate::error::{ApiError, ApiResult, ErrorCode, Problem};
use crate::ids::{CommentId, StoryId};
use crate::state::AppState;
use crate::stories::authorize_story;
use crate::stories::types::StoryStatus;

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
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A supporter without `encourage`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such story, or not one you may see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The story is not published yet, or support has ended", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/stories/{story_id}/comments")]
pub async fn comment(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<uuid::Uuid>,
    body: web::Json<CreateComment>,
) -> ApiResult<HttpResponse> {
    let story = StoryId(path.into_inner());
    let mut conn = state.conn().await?;
    let (access, row) = authorize_story(&mut conn, &user, story, PersonAction::Encourage).await?;
    body.validate()?;
    if row.status != StoryStatus::Published {
        return Err(
            ApiError::new(ErrorCode::Conflict).with_detail("the story is not published yet")
        );
    }
    let scope = access.scope;
    let me = access.actor.account_id;
    let view = conn
        .transaction(async |conn| {
            let id = model::insert_comment(conn, &scope, story, me, &body.body, body.lang).await?;
            let subject = Subject {
                story: Some(story.0),
                comment: Some(id),
                ..Subject::default()
            };
            activity::record(conn, &scope, me, ActivityKind::Encouraged, subject).await?;
            model::find_comment(conn, &scope, CommentId(id))
                .await?
                .ok_or_else(|| ApiError::internal("a comment vanished in its own transaction"))
        })
        .await?;
    let id = view.0.id;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/v1/stories/{story}/comments#{id}"),
        ))
        .json(Comment::from_view(view, me.0)))
}
