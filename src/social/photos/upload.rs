//! `POST /v1/stories/{story_id}/photos`: one photo as the raw body, read with a size cap and
//! handed to the store saga (`photos::store`). `Idempotency-Key` is kept on the photo itself:
//! a retry after a lost response gets the photo already stored instead of a second one.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, post, web};
use futures_util::StreamExt;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::error::{ApiError, ApiResult, ErrorCode, Problem};
use crate::ids::StoryId;
use crate::social::photos::model;
use crate::social::stories::types::{MAX_PHOTOS, PhotoRef};
use crate::social::stories::{authorize_story, visibility};
use crate::state::AppState;

/// The photo's bytes: JPEG, PNG or WebP, told apart by their content.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct PhotoBytes(#[allow(dead_code)] Vec<u8>);

#[derive(Debug, Serialize, ToSchema)]
pub struct Photo {
    #[serde(flatten)]
    pub photo: PhotoRef,
    pub story_id: uuid::Uuid,
}

async fn read_capped(mut payload: web::Payload, cap: usize) -> ApiResult<Vec<u8>> {
    let mut body = Vec::with_capacity(cap.min(1 << 20));
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| crate::http::extract::payload_problem(&e))?;
        if body.len() + chunk.len() > cap {
            return Err(too_large(cap));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Add a photo to a story
///
/// The story's author or the person. Send the image itself as the body, with
/// `Content-Type: image/jpeg`, `image/png` or `image/webp`, up to 20 MB (configurable). The
/// type is read from the image, not the header. HEIC is refused with `heic_not_supported`:
/// send JPEG. Every stored size is re-encoded: location, camera and any other metadata are
/// gone, and the pixels are turned upright per the photo's orientation. A story holds at
/// most 10 photos. With an `Idempotency-Key`, a retry of the same photo returns the photo
/// already stored (`Idempotent-Replayed: true`).
#[utoipa::path(
    operation_id = "uploadPhoto",
    tag = "stories",
    security(("bearer" = [])),
    params(("story_id" = uuid::Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe: the same key and photo return the first upload")),
    request_body(content(
        (PhotoBytes = "image/jpeg"),
        (PhotoBytes = "image/png"),
        (PhotoBytes = "image/webp"),
    )),
    responses(
        (status = 201, description = "Stored", body = Photo, headers(("Location" = String))),
        (status = 400, description = "A malformed Idempotency-Key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither the story's author nor the person", body = Problem, content_type = "application/problem+json"),
        (status = 408, description = "The photo did not arrive in time", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The story has 10 photos, support has ended, or this key's upload is still running", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The photo is too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not a JPEG, PNG or WebP image (`unsupported_image`), or HEIC (`heic_not_supported`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Damaged or incomplete (`image_unreadable`), too many pixels (`image_too_large`), or this key was used for another photo", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`rate_limited`: over your photo uploads for this hour (`CAMAU_QUOTA_UPLOADS_PER_HOUR`, default 120); `Retry-After` says when the window ends", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds until the quota window ends"))),
        (status = 503, description = "Busy or storage unavailable: retry after `Retry-After`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/stories/{story_id}/photos")]
pub async fn upload(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    path: web::Path<StoryId>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let story = path.into_inner();
    let idempotency_key = crate::http::idempotency::key(req.headers())?;
    let mut conn = state.conn().await?;
    let (access, current) =
        authorize_story(&mut conn, &user, story, PersonAction::EditStory).await?;
    if !visibility::may_edit(&access, current.author_account_id, current.status) {
        return Err(ApiError::forbidden());
    }
    if !crate::http::is_image(&req) {
        return Err(ApiError::new(ErrorCode::UnsupportedImage)
            .with_detail("send the photo as the body, as image/jpeg, image/png or image/webp"));
    }
    // Refused before a byte of the photo is read: too large by its own account, or a story
    // already full.
    let max = state.config.photos.max_bytes;
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > max) {
        return Err(too_large(max));
    }
    if model::count_for_story(&mut conn, &access.scope, story).await? >= MAX_PHOTOS {
        return Err(ApiError::new(ErrorCode::TooManyPhotos));
    }
    let account = access.actor.account_id;
    let upload_key = idempotency_key.map(|k| {
        state
            .sealer
            .fingerprints(b"photo upload key", &[account.0.as_bytes(), k.as_bytes()])
            .swap_remove(0)
    });
    // A retry of an upload already made spends no quota: it is answered from what is stored.
    let retried = match &upload_key {
        Some(k) => model::by_upload_key(&mut conn, account, k).await?.is_some(),
        None => false,
    };
    if !retried {
        crate::platform::quotas::take(
            &mut conn,
            &state.config.quotas,
            crate::platform::quotas::Quota::Uploads(account.0),
        )
        .await?;
    }
    // No connection is held while the photo arrives over a slow network; the bytes it may
    // take are reserved from the instance's budget first.
    drop(conn);
    let reserved = state
        .photo_workers
        .reserve(declared.unwrap_or(max).min(max))
        .await?;
    let body = read_capped(payload, max).await?;
    let body_hash = state
        .sealer
        .fingerprints(b"photo upload body", &[story.0.as_bytes(), &body])
        .swap_remove(0);
    // From here the work runs to its end even if the phone goes away: a retry then finds the
    // stored photo, not a row left half-way.
    let state = state.into_inner();
    actix_web::rt::spawn(async move {
        // The bytes stay reserved until the work on them ends, not when the client leaves.
        let _reserved = reserved;
        crate::social::photos::store::store(&state, &access, story, body, upload_key, body_hash)
            .await
    })
    .await
    .map_err(|e| ApiError::internal(format!("photo upload task failed: {e}")))?
    .map(|s| created(s.id, story, s.width, s.height, s.replayed))
}

fn too_large(max: usize) -> ApiError {
    ApiError::new(ErrorCode::PayloadTooLarge)
        .with_detail(format!("a photo may have at most {max} bytes"))
}

fn created(
    id: uuid::Uuid,
    story: StoryId,
    width: i32,
    height: i32,
    replayed: bool,
) -> HttpResponse {
    let mut res = HttpResponse::Created();
    res.insert_header((header::LOCATION, format!("/v1/photos/{id}")));
    if replayed {
        res.insert_header(("idempotent-replayed", "true"));
    }
    res.json(Photo {
        photo: PhotoRef::new(id, width, height),
        story_id: story.0,
    })
}
