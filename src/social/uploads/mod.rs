//! Resumable photo uploads for weak signal, by the tus 1.0 protocol (core, `creation`,
//! `expiration`, `termination`): maintained clients exist for the app's platforms
//! (tus-js-client, TUSKit for iOS, tus-android-client). A photo is announced with its length,
//! sent in parts (`PATCH` with `Upload-Offset`), and after a dropped connection resumed from the
//! offset `HEAD` reports. The last part runs the same processing and stripping as a one-shot
//! upload (`photos::store`). Parts are kept sealed in PostgreSQL (any instance can take
//! the next one); an upload not finished in 24 hours is removed by housekeeping.

pub mod append;
pub mod cancel;
pub mod create;
pub mod model;
pub mod status;

use actix_web::HttpRequest;
use actix_web::http::header::{HeaderMap, HeaderValue};

use crate::auth::CurrentUser;
use crate::auth::access::{PersonAccess, PersonAction};
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::ids::StoryId;
use crate::social::stories::{authorize_story, visibility};

pub const TUS_VERSION: &str = "1.0.0";
/// An unfinished upload is removed this long after it was announced.
pub const EXPIRES: time::Duration = time::Duration::hours(24);
pub(crate) const SEAL_PURPOSE: &[u8] = b"photo upload part";

/// `Tus-Resumable`, when sent, must name the version this server speaks (412 otherwise, as
/// tus asks, with `Tus-Version`).
pub fn check_version(req: &HttpRequest) -> ApiResult<()> {
    match req.headers().get("tus-resumable").map(HeaderValue::to_str) {
        None | Some(Ok(TUS_VERSION)) => Ok(()),
        Some(_) => Err(ApiError::new(ErrorCode::PreconditionFailed)
            .with_detail("this server speaks tus 1.0.0 (Tus-Version)")),
    }
}

/// tus 1.0 asks for `Tus-Resumable` on every answer but `OPTIONS`: the errors too (a 409 for
/// a wrong offset, a 404 for an expired upload, a 401), not only what the handlers build, so
/// it is added here, once, to every answer of a tus request.
pub async fn tus_resumable(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let mut res = next.call(req).await?;
    let tus = matches!(
        crate::http::routed_upload(res.request()),
        Some(crate::http::Upload::Announce | crate::http::Upload::Resumable)
    ) && res.request().method() != actix_web::http::Method::OPTIONS;
    if tus {
        res.headers_mut().insert(
            actix_web::http::header::HeaderName::from_static("tus-resumable"),
            HeaderValue::from_static(TUS_VERSION),
        );
    }
    Ok(res)
}

/// A numeric tus header (`Upload-Length`, `Upload-Offset`).
pub fn number(headers: &HeaderMap, name: &str) -> ApiResult<Option<i64>> {
    headers
        .get(name)
        .map(|v| {
            v.to_str()
                .ok()
                .and_then(|s| s.parse::<i64>().ok())
                .filter(|n| *n >= 0)
                .ok_or_else(|| {
                    ApiError::new(ErrorCode::InvalidHeader)
                        .with_detail(format!("{name} must be a whole number of bytes"))
                })
        })
        .transpose()
}

/// The caller's own upload, on a story they may still add photos to.
pub async fn authorize_upload(
    conn: &mut diesel_async::AsyncPgConnection,
    user: &CurrentUser,
    upload: uuid::Uuid,
) -> ApiResult<(PersonAccess, model::UploadRow)> {
    let row = model::find(conn, upload, user.claims().0)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let (access, story) =
        authorize_story(conn, user, StoryId(row.story_id), PersonAction::EditStory).await?;
    if !visibility::may_edit(&access, story.author_account_id, story.status) {
        return Err(ApiError::forbidden());
    }
    Ok((access, row))
}
