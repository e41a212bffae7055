//! `POST /v1/stories/{story_id}/reactions`.

use actix_web::{post, web};
use diesel_async::AsyncConnection;

use crate::activity::{self, ActivityKind, Subject};
use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::encouragement::model;
use crate::encouragement::types::{CreateReaction, Reactions};
use crate::error::{ApiError, ApiResult, ErrorCode, Problem};
use crate::ids::StoryId;
use crate::state::AppState;
use crate::stories::authorize_story;
use crate::stories::types::StoryStatus;

/// React to a story
///
/// The person, staff, and supporters with the `encourage` grant who can see the story. Each
/// kind counts once per person reacting: sending it again (a retry) changes nothing. The
/// person's feed shows the encouragement.
#[utoipa::path(
    operation_id = "reactToStory",
    tag = "encouragement",
    security(("bearer" = [])),
    params(("story_id" = uuid::Uuid, Path)),
    request_body = CreateReaction,
    responses(
        (status = 200, description = "The story's reactions now", body = Reactions),
        (status = 400, description = "Unknown kind", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A supporter without `encourage`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such story, or not one you may see", body = Problem, content_type = "application/problem+json"),
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
    let story = StoryId(path.into_inner());
    let mut conn = state.conn().await?;
    let (access, row) = authorize_story(&mut conn, &user, story, PersonAction::Encourage).await?;
    if row.status != StoryStatus::Published {
        return Err(
            ApiError::new(ErrorCode::Conflict).with_detail("the story is not published yet")
        );
    }
    let scope = access.scope;
    let me = access.actor.account_id;
    let kind = body.kind;
    let all = conn
        .transaction(async |conn| {
            if model::react(conn, &scope, story, me, kind).await? {
                let subject = Subject {
                    story: Some(story.0),
                    reaction: Some(kind.as_str()),
                    ..Subject::default()
                };
                activity::record(conn, &scope, me, ActivityKind::Encouraged, subject).await?;
            }
            Ok::<_, ApiError>(model::reactions_on(conn, &scope, story).await?)
        })
        .await?;
    Ok(web::Json(Reactions::tally(&all, me.0)))
}
