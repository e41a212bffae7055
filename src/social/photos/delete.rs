//! `DELETE /v1/photos/{photo_id}`: the row goes, and the photo's objects leave storage straight
//! after (or at the next housekeeping pass, if storage is down).

use actix_web::{HttpResponse, delete, web};
use diesel_async::AsyncConnection;

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::error::{ApiError, ApiResult, Problem};
use crate::ids::PhotoId;
use crate::social::photos::{authorize_photo, model};
use crate::state::AppState;

/// Delete a photo
///
/// Its story's author, the person, or their staff.
#[utoipa::path(
    operation_id = "deletePhoto",
    tag = "stories",
    security(("bearer" = [])),
    params(("photo_id" = uuid::Uuid, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Not the story's author, the person or their staff", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Support has ended", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/photos/{photo_id}")]
pub async fn delete(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<PhotoId>,
) -> ApiResult<HttpResponse> {
    let photo = path.into_inner();
    let mut conn = state.conn().await?;
    let (access, ((author, status), _, _)) =
        authorize_photo(&mut conn, &user, photo, PersonAction::EditStory).await?;
    if !crate::social::stories::visibility::may_delete(&access, author, status) {
        return Err(ApiError::forbidden());
    }
    let by = access.actor.account_id;
    conn.transaction(async |conn| {
        model::delete(conn, &access.scope, photo).await?;
        crate::trust::audit::model::changed(
            conn,
            &access.scope,
            by,
            crate::trust::audit::Action::PhotoDeleted,
            "photo",
            photo.0,
        )
        .await
    })
    .await?;
    crate::platform::storage::sweep::remove_photos(&state.storage, &mut conn, &[photo.0]).await;
    Ok(HttpResponse::NoContent().finish())
}
