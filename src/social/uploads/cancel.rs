//! `DELETE /v1/uploads/{upload_id}`: give up an upload (tus `termination`).

use actix_web::{HttpRequest, HttpResponse, delete, web};

use crate::auth::CurrentUser;
use crate::error::{ApiResult, Problem};
use crate::social::uploads::{TUS_VERSION, authorize_upload, check_version, model};
use crate::state::AppState;

/// End a resumable upload
///
/// Its parts are removed at once. A photo it already stored stays (delete it as a photo).
#[utoipa::path(
    operation_id = "cancelPhotoUpload",
    tag = "stories",
    security(("bearer" = [])),
    params(("upload_id" = uuid::Uuid, Path), ("Tus-Resumable" = Option<String>, Header, description = "1.0.0")),
    responses(
        (status = 204, description = "Ended", headers(("Tus-Resumable" = String))),
        (status = 403, description = "No longer a story you may add photos to", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such upload of yours, or expired", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Support has ended", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "`Tus-Resumable` names a version this server does not speak", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/uploads/{upload_id}")]
pub async fn cancel(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    path: web::Path<uuid::Uuid>,
) -> ApiResult<HttpResponse> {
    check_version(&req)?;
    let mut conn = state.conn().await?;
    let (_, row) = authorize_upload(&mut conn, &user, path.into_inner()).await?;
    model::remove(&mut conn, row.id).await?;
    Ok(HttpResponse::NoContent()
        .insert_header(("tus-resumable", TUS_VERSION))
        .finish())
}
