//! `GET /v1/photos/{photo_id}?size=`: access is checked on every call, then the caller is
//! redirected to a signed URL that works for a few minutes (S3) or sent the bytes (local
//! disk). Either way the answer is `Cache-Control: private, no-store`: no cache keeps it, so
//! access taken away applies to the very next look, as everywhere else.

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use futures_util::StreamExt;

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::error::{ApiError, ApiResult, ErrorCode, Problem};
use crate::ids::PhotoId;
use crate::social::photos::{SizeQuery, authorize_photo, key};
use crate::state::AppState;

fn unavailable(e: object_store::Error) -> ApiError {
    tracing::warn!(error = %e, "photo storage read failed");
    ApiError::new(ErrorCode::ServiceUnavailable)
        .with_detail("photo storage is unavailable; retry shortly")
        .retry_after(5)
}

/// Get a photo
///
/// Whoever may see its story. With S3 storage the answer is a redirect (303) to a signed URL
/// valid for at most five minutes; fetch it without the bearer token. With local storage the
/// answer is the JPEG itself.
#[utoipa::path(
    operation_id = "getPhoto",
    tag = "stories",
    security(("bearer" = [])),
    params(("photo_id" = uuid::Uuid, Path), SizeQuery),
    responses(
        (status = 200, description = "The JPEG (local storage)", content_type = "image/jpeg", body = crate::social::photos::upload::PhotoBytes),
        (status = 303, description = "Fetch the photo from `Location` within five minutes (S3)", headers(("Location" = String))),
        (status = 400, description = "Unknown size", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A supporter without `stories`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Storage unavailable: retry after `Retry-After`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/photos/{photo_id}")]
pub async fn get(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<PhotoId>,
    query: web::Query<SizeQuery>,
) -> ApiResult<HttpResponse> {
    let photo = path.into_inner();
    let mut conn = state.conn().await?;
    authorize_photo(&mut conn, &user, photo, PersonAction::ViewStories).await?;
    drop(conn);
    let key = key(photo.0, query.size);
    let ttl = state.config.photos.url_ttl;
    if let Some(url) = state.storage.signed_url(&key, ttl).await {
        let url = url.map_err(unavailable)?;
        return Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, url))
            .insert_header((header::CACHE_CONTROL, "private, no-store"))
            .finish());
    }
    let stream = state.storage.read(&key).await.map_err(unavailable)?;
    // Not kept by the phone's HTTP cache either: a supporter removed from the circle must not
    // go on seeing the photo for minutes (docs/SECURITY.md, "Photos").
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "image/jpeg"))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .streaming(stream.map(|chunk| chunk.map_err(std::io::Error::other))))
}
