//! `GET /console/photos/{photo_id}`: a story photo's thumbnail for the plan page, after the
//! same check as the API's photo download, always streamed from this origin (the console's
//! CSP allows images from nowhere else) and never cached.

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use futures_util::StreamExt;

use crate::auth::access::PersonAction;
use crate::console::page::{Desk, PageResult};
use crate::error::{ApiError, ErrorCode};
use crate::ids::PhotoId;
use crate::social::photos::{Size, authorize_photo, key};
use crate::state::AppState;

#[get("/photos/{photo_id}")]
pub async fn photo(state: web::Data<AppState>, desk: Desk, path: web::Path<String>) -> PageResult {
    let photo = path
        .parse::<uuid::Uuid>()
        .map(PhotoId)
        .map_err(|_| ApiError::not_found())?;
    {
        let mut conn = state.conn().await?;
        authorize_photo(
            &mut conn,
            &desk.signed.user,
            photo,
            PersonAction::ViewStories,
        )
        .await?;
    }
    let stream = state
        .storage
        .read(&key(photo.0, Size::Thumb))
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "photo storage read failed");
            ApiError::new(ErrorCode::ServiceUnavailable).retry_after(5)
        })?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "image/jpeg"))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .streaming(stream.map(|chunk| chunk.map_err(std::io::Error::other))))
}
