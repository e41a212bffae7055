//! `HEAD /v1/uploads/{upload_id}`: how many bytes the server holds, to resume from.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, head, web};

use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::social::uploads::{TUS_VERSION, authorize_upload, check_version};
use crate::state::AppState;

/// Where a resumable upload stands
///
/// `Upload-Offset`: the bytes the server holds; send the rest from there. Once the photo is
/// stored, `Upload-Offset` equals `Upload-Length` and `Location` names the photo.
#[utoipa::path(
    operation_id = "getPhotoUploadOffset",
    tag = "stories",
    security(("bearer" = [])),
    params(("upload_id" = uuid::Uuid, Path), ("Tus-Resumable" = Option<String>, Header, description = "1.0.0")),
    responses(
        (status = 200, description = "No body; the offset in headers", headers(
            ("Upload-Offset" = i64), ("Upload-Length" = i64), ("Tus-Resumable" = String),
            ("Location" = Option<String>, description = "The stored photo, once finished"))),
        (status = 401, description = "No valid access token"),
        (status = 403, description = "No longer a story you may add photos to"),
        (status = 404, description = "No such upload of yours, or expired"),
        (status = 409, description = "Support has ended"),
        (status = 412, description = "`Tus-Resumable` names a version this server does not speak"),
    )
)]
#[head("/uploads/{upload_id}")]
pub async fn status(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    path: web::Path<uuid::Uuid>,
) -> ApiResult<HttpResponse> {
    check_version(&req)?;
    let mut conn = state.conn().await?;
    let (_, row) = authorize_upload(&mut conn, &user, path.into_inner()).await?;
    let mut res = HttpResponse::Ok();
    res.insert_header(("upload-offset", row.received.to_string()))
        .insert_header(("upload-length", row.length.to_string()))
        .insert_header(("tus-resumable", TUS_VERSION))
        .insert_header((header::CACHE_CONTROL, "no-store"));
    if let Some(photo) = row.photo_id {
        res.insert_header((header::LOCATION, format!("/v1/photos/{photo}")));
    }
    Ok(res.finish())
}
