//! `POST /v1/stories/{story_id}/accept`: the person takes a supporter's story into their own.

use actix_web::http::header;
use actix_web::{HttpResponse, post, web};
use diesel_async::AsyncConnection;

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::error::{ApiError, ApiResult, ErrorCode, Problem};
use crate::http::etag::etag;
use crate::ids::{AccountId, StoryId};
use crate::social::activity::{self, ActivityKind, Subject};
use crate::social::stories::model::{self, StoryChanges};
use crate::social::stories::types::{Story, StoryStatus};
use crate::social::stories::{authorize_story, present_one};
use crate::state::AppState;

/// Accept a supporter's story
///
/// The person only. The story is published to its audience, and appears in the feed as
/// posted by its author. Accepting a story already published changes nothing (a retry is
/// safe).
#[utoipa::path(
    operation_id = "acceptStory",
    tag = "stories",
    security(("bearer" = [])),
    params(("story_id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Published", body = Story, headers(("ETag" = String))),
        (status = 403, description = "Not the person", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Support has ended", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/stories/{story_id}/accept")]
pub async fn accept(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<StoryId>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let mut conn = state.conn().await?;
    let (access, _) = authorize_story(&mut conn, &user, id, PersonAction::AcceptStory).await?;
    let scope = access.scope;
    let changes = StoryChanges {
        status: Some(StoryStatus::Published),
        ..StoryChanges::default()
    };
    conn.transaction(async |conn| {
        let locked = model::lock_visible(conn, &access, id)
            .await?
            .ok_or_else(ApiError::not_found)?;
        if locked.status == StoryStatus::Published {
            return Ok(());
        }
        model::update(conn, &scope, id, locked.version, &changes)
            .await?
            .ok_or_else(|| ApiError::new(ErrorCode::Conflict))?;
        let subject = Subject {
            story: Some(id.0),
            ..Subject::default()
        };
        let author = AccountId(locked.author_account_id);
        activity::record(conn, &scope, author, ActivityKind::StoryPosted, subject).await?;
        let by = access.actor.account_id;
        crate::trust::audit::model::changed(
            conn,
            &scope,
            by,
            crate::trust::audit::Action::StoryAccepted,
            "story",
            id.0,
        )
        .await?;
        Ok::<_, ApiError>(())
    })
    .await?;
    let (version, story) = present_one(&mut conn, &access, id).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(version)))
        .json(story))
}
