//! `DELETE /v1/stories/{story_id}`: a real delete, with its photos, reactions, comments and
//! feed items; the photos' objects leave storage straight after (or at the next sweep).

use actix_web::{HttpResponse, delete, web};
use diesel_async::AsyncConnection;

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::error::{ApiError, ApiResult, Problem};
use crate::ids::StoryId;
use crate::social::stories::{authorize_story, model, visibility};
use crate::state::AppState;

/// Delete a story
///
/// Its author, the person, or their staff. Its photos are erased from storage.
#[utoipa::path(
    operation_id = "deleteStory",
    tag = "stories",
    security(("bearer" = [])),
    params(("story_id" = uuid::Uuid, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Not its author, the person or their staff", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Support has ended", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/stories/{story_id}")]
pub async fn delete(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<StoryId>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let mut conn = state.conn().await?;
    let (access, current) = authorize_story(&mut conn, &user, id, PersonAction::EditStory).await?;
    if !visibility::may_delete(&access, current.author_account_id, current.status) {
        return Err(ApiError::forbidden());
    }
    let scope = access.scope;
    let photos = conn
        .transaction(async |conn| {
            let photos = model::photo_ids(conn, &scope, id).await?;
            model::delete(conn, &scope, id).await?;
            let by = access.actor.account_id;
            crate::trust::audit::model::changed(
                conn,
                &scope,
                by,
                crate::trust::audit::Action::StoryDeleted,
                "story",
                id.0,
            )
            .await?;
            Ok::<_, ApiError>(photos)
        })
        .await?;
    crate::platform::storage::sweep::remove_photos(&state.storage, &mut conn, &photos).await;
    Ok(HttpResponse::NoContent().finish())
}
