//! `POST /v1/stories/{story_id}/uploads`: announce a photo to send in parts (tus `creation`).

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, post, web};
use diesel_async::AsyncConnection;
use serde::Serialize;
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::error::{ApiError, ApiResult, ErrorCode, Problem};
use crate::ids::StoryId;
use crate::social::stories::types::MAX_PHOTOS;
use crate::social::stories::{authorize_story, visibility};
use crate::social::uploads::{EXPIRES, TUS_VERSION, check_version, model, number};
use crate::state::AppState;

/// Unfinished uploads one account may hold at once.
const MAX_OPEN: i64 = 10;

/// An upload announced; send its bytes to `Location` with `PATCH`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Upload {
    pub id: uuid::Uuid,
    /// Where to `PATCH` the parts and `HEAD` the offset.
    pub location: String,
    pub length: i32,
    pub offset: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

/// Start a resumable photo upload
///
/// tus 1.0 `creation`: `Upload-Length` is the photo's size in bytes (up to the photo limit).
/// Then `PATCH` the parts to `Location` from `Upload-Offset: 0`; after a dropped connection,
/// `HEAD` it for the offset the server holds and go on from there. The last part stores the
/// photo as `POST /v1/stories/{story_id}/photos` would. Unfinished uploads are removed after
/// 24 hours (`Upload-Expires`). Counts against the photo upload quota.
#[utoipa::path(
    operation_id = "createPhotoUpload",
    tag = "stories",
    security(("bearer" = [])),
    params(
        ("story_id" = uuid::Uuid, Path),
        ("Upload-Length" = i64, Header, description = "The photo's size in bytes"),
        ("Tus-Resumable" = Option<String>, Header, description = "1.0.0"),
        ("Upload-Metadata" = Option<String>, Header, description = "Ignored: the photo's type is read from its bytes"),
    ),
    responses(
        (status = 201, description = "Announced", body = Upload, headers(
            ("Location" = String, description = "The upload's URL"),
            ("Upload-Expires" = String, description = "When an unfinished upload is removed (HTTP date)"),
            ("Tus-Resumable" = String))),
        (status = 400, description = "`Upload-Length` missing or malformed (`invalid_header`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a story you may add photos to", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The story has 10 photos, or support has ended", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "`Tus-Resumable` names a version this server does not speak", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than the photo limit", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`rate_limited`: over your photo uploads for this hour (`CAMAU_QUOTA_UPLOADS_PER_HOUR`, default 120)", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds until the quota window ends"))),
    )
)]
#[post("/stories/{story_id}/uploads")]
pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    path: web::Path<StoryId>,
) -> ApiResult<HttpResponse> {
    check_version(&req)?;
    let story = path.into_inner();
    let length = number(req.headers(), "upload-length")?.ok_or_else(|| {
        ApiError::new(ErrorCode::InvalidHeader).with_detail("Upload-Length is required")
    })?;
    let max = state.config.photos.max_bytes;
    if length == 0 || length as u64 > max as u64 {
        return Err(ApiError::new(ErrorCode::PayloadTooLarge)
            .with_detail(format!("a photo may have 1 to {max} bytes")));
    }
    let mut conn = state.conn().await?;
    let (access, current) =
        authorize_story(&mut conn, &user, story, PersonAction::EditStory).await?;
    if !visibility::may_edit(&access, current.author_account_id, current.status) {
        return Err(ApiError::forbidden());
    }
    let id = uuid::Uuid::now_v7();
    let expires_at = OffsetDateTime::now_utc() + EXPIRES;
    let length = i32::try_from(length).map_err(|_| ApiError::new(ErrorCode::PayloadTooLarge))?;
    let account = access.actor.account_id;
    conn.transaction(async |conn| {
        // Announced uploads count with stored photos, and a caller holds a few at once: parts
        // waiting in the database are bounded by what can become photos. Counted and made
        // under the account's and the story's locks, so parallel announcements cannot all pass
        // the count before any is made.
        model::lock_announcements(conn, account, story.0).await?;
        let open = model::open(conn, story.0, account).await?;
        let stored =
            crate::social::photos::model::count_for_story(conn, &access.scope, story).await?;
        if stored + open.on_story >= MAX_PHOTOS {
            return Err(ApiError::new(ErrorCode::TooManyPhotos));
        }
        if open.by_account >= MAX_OPEN {
            return Err(ApiError::new(ErrorCode::Conflict).with_detail(format!(
                "at most {MAX_OPEN} unfinished uploads at once: finish or end one first"
            )));
        }
        crate::platform::quotas::take(
            conn,
            &state.config.quotas,
            crate::platform::quotas::Quota::Uploads(account.0),
        )
        .await?;
        model::create(conn, id, story.0, account, length, expires_at).await?;
        Ok(())
    })
    .await?;
    let location = format!("/v1/uploads/{id}");
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, location.clone()))
        .insert_header(("tus-resumable", TUS_VERSION))
        .insert_header(("upload-expires", http_date(expires_at)))
        .json(Upload {
            id,
            location,
            length,
            offset: 0,
            expires_at,
        }))
}

/// An HTTP date (RFC 9110), as tus writes `Upload-Expires`.
pub fn http_date(at: OffsetDateTime) -> String {
    header::HttpDate::from(std::time::SystemTime::from(at)).to_string()
}
