//! `PATCH /v1/uploads/{upload_id}`: the next part of a resumable upload; the last one stores
//! the photo.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, ResponseError, patch, web};
use diesel_async::AsyncConnection;
use futures_util::StreamExt;

use crate::auth::CurrentUser;
use crate::auth::access::PersonAccess;
use crate::error::{ApiError, ApiResult, ErrorCode, Problem};
use crate::ids::StoryId;
use crate::social::uploads::model::{self, UploadRow};
use crate::social::uploads::{SEAL_PURPOSE, TUS_VERSION, authorize_upload, check_version, number};
use crate::state::AppState;

/// Send part of a resumable upload
///
/// tus 1.0 core: `Content-Type: application/offset+octet-stream`, `Upload-Offset` the bytes
/// the server holds (from `HEAD`, or the previous answer), the body the next bytes (any size up
/// to what remains). 204 with the new `Upload-Offset`; when that is the whole photo, it has
/// been processed and stored (stripped of all metadata, as any photo) and `Location` names it.
/// A wrong offset is 409 with the server's `Upload-Offset`: resume from there. If the photo
/// cannot be read (422/415) the upload ends; if storage is down (503) the parts are kept:
/// send the last `PATCH` again, with no body, after `Retry-After`.
#[utoipa::path(
    operation_id = "appendPhotoUpload",
    tag = "stories",
    security(("bearer" = [])),
    params(
        ("upload_id" = uuid::Uuid, Path),
        ("Upload-Offset" = i64, Header, description = "The bytes the server holds"),
        ("Tus-Resumable" = Option<String>, Header, description = "1.0.0"),
    ),
    request_body(content = Vec<u8>, content_type = "application/offset+octet-stream"),
    responses(
        (status = 204, description = "Part kept; when complete, the photo is stored", headers(
            ("Upload-Offset" = i64), ("Tus-Resumable" = String),
            ("Location" = Option<String>, description = "The stored photo, once complete"))),
        (status = 400, description = "`Upload-Offset` missing or malformed", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No longer a story you may add photos to", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such upload of yours, or expired", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`Upload-Offset` is not the server's (its own in the `Upload-Offset` header), the story is full, or support has ended", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "`Tus-Resumable` names a version this server does not speak", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "More bytes than the upload announced", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not `application/offset+octet-stream`; or the photo is not JPEG, PNG or WebP", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The photo is damaged or too large in pixels (the upload ends)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/uploads/{upload_id}")]
pub async fn append(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    path: web::Path<uuid::Uuid>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    check_version(&req)?;
    if !crate::http::is_tus_part(&req) {
        return Err(ApiError::new(ErrorCode::UnsupportedMediaType)
            .with_detail("send parts as application/offset+octet-stream"));
    }
    let offset = number(req.headers(), "upload-offset")?.ok_or_else(|| {
        ApiError::new(ErrorCode::InvalidHeader).with_detail("Upload-Offset is required")
    })?;
    let mut conn = state.conn().await?;
    let (access, row) = authorize_upload(&mut conn, &user, path.into_inner()).await?;
    if let Some(photo) = row.photo_id {
        // The answer to the last part was lost: the photo is stored.
        return Ok(answer(row.length, Some(photo)));
    }
    if offset != i64::from(row.received) {
        // tus: the 409 names the server's offset, so the client resumes from there.
        let mut res = moved(row.received).error_response();
        res.headers_mut().insert(
            header::HeaderName::from_static("upload-offset"),
            header::HeaderValue::from(row.received),
        );
        return Ok(res);
    }
    drop(conn);
    let remaining = (row.length - row.received) as usize;
    // What this part says it carries is held from the instance's photo budget, not the whole
    // remainder: a trickling client cannot reserve megabytes it never sends.
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(remaining);
    let _reserved = state
        .photo_workers
        .reserve(declared.min(remaining).max(1))
        .await?;
    let (bytes, failure) = read_part(payload, remaining).await;
    if failure.is_none() && bytes.len() == remaining {
        // The last bytes count as received only once the photo is stored: a client that asks
        // where things stand after a failure (or a lost answer) sends them again.
        let photo = finish(&state, &access, &row, bytes).await?;
        return Ok(answer(row.length, Some(photo)));
    }
    // What arrived before a dropped connection is kept: the client resumes after it.
    let received = if bytes.is_empty() {
        row.received
    } else {
        keep(&state, &row, &bytes).await?
    };
    if let Some(e) = failure {
        return Err(e);
    }
    Ok(answer(received, None))
}

fn answer(offset: i32, photo: Option<uuid::Uuid>) -> HttpResponse {
    let mut res = HttpResponse::NoContent();
    res.insert_header(("upload-offset", offset.to_string()))
        .insert_header(("tus-resumable", TUS_VERSION));
    if let Some(photo) = photo {
        res.insert_header((header::LOCATION, format!("/v1/photos/{photo}")));
    }
    res.finish()
}

/// 409 naming the offset the server holds.
fn moved(received: i32) -> ApiError {
    ApiError::new(ErrorCode::Conflict).with_detail(format!(
        "the server holds {received} bytes: send from Upload-Offset {received}"
    ))
}

/// Up to `cap` bytes of the body, and why reading stopped early if it did.
async fn read_part(mut payload: web::Payload, cap: usize) -> (Vec<u8>, Option<ApiError>) {
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        match chunk {
            Ok(chunk) if body.len() + chunk.len() > cap => {
                return (
                    Vec::new(),
                    Some(
                        ApiError::new(ErrorCode::PayloadTooLarge)
                            .with_detail(format!("only {cap} more bytes were announced")),
                    ),
                );
            }
            Ok(chunk) => body.extend_from_slice(&chunk),
            Err(e) => return (body, Some(crate::http::extract::payload_problem(&e))),
        }
    }
    (body, None)
}

/// Seals and stores a part at the upload's end; the new offset.
async fn keep(state: &AppState, row: &UploadRow, bytes: &[u8]) -> ApiResult<i32> {
    let sealed = state
        .sealer
        .seal(SEAL_PURPOSE, row.id.as_bytes(), bytes)
        .ok_or_else(|| ApiError::internal("no server secret to seal an upload part"))?;
    let len = i32::try_from(bytes.len()).map_err(|_| ApiError::new(ErrorCode::PayloadTooLarge))?;
    let mut conn = state.conn().await?;
    conn.transaction(async |conn| {
        // Two parts sent at once for one offset: the second finds it taken.
        let now = model::lock(conn, row.id)
            .await?
            .ok_or_else(ApiError::not_found)?;
        if now.received != row.received {
            return Err(moved(now.received));
        }
        model::add_part(conn, row.id, row.received, &sealed, len).await?;
        Ok(row.received + len)
    })
    .await
}

/// Joins the parts and stores the photo as a one-shot upload would.
async fn finish(
    state: &web::Data<AppState>,
    access: &PersonAccess,
    row: &UploadRow,
    last: Vec<u8>,
) -> ApiResult<uuid::Uuid> {
    // The sealed parts and the joined photo, held from the budget until the work ends.
    let whole = state.photo_workers.reserve(2 * row.length as usize).await?;
    let mut conn = state.conn().await?;
    let mut body = Vec::with_capacity(row.length as usize);
    for part in model::parts(&mut conn, row.id).await? {
        if part.starts_at as usize != body.len() {
            return Err(ApiError::internal("upload parts do not join up"));
        }
        let plain = state
            .sealer
            .open(SEAL_PURPOSE, row.id.as_bytes(), &part.sealed)
            .ok_or_else(|| ApiError::internal("an upload part cannot be opened"))?;
        body.extend_from_slice(&plain);
    }
    body.extend_from_slice(&last);
    drop(last);
    if body.len() != row.length as usize {
        return Err(moved(row.received));
    }
    drop(conn);
    let account = access.actor.account_id;
    let key = format!("tus:{}", row.id);
    let upload_key = state
        .sealer
        .fingerprints(b"photo upload key", &[account.0.as_bytes(), key.as_bytes()])
        .swap_remove(0);
    let story = StoryId(row.story_id);
    let body_hash = state
        .sealer
        .fingerprints(b"photo upload body", &[story.0.as_bytes(), &body])
        .swap_remove(0);
    // Runs to its end even if the phone goes away, as a one-shot upload does, recording the
    // photo on the upload so that the client's next HEAD or PATCH finds it.
    let state_owned = state.clone().into_inner();
    let access_owned = access.clone();
    let (upload, length) = (row.id, row.length);
    let stored = actix_web::rt::spawn(async move {
        let _whole = whole;
        let photo = crate::social::photos::store::store(
            &state_owned,
            &access_owned,
            story,
            body,
            Some(upload_key),
            body_hash,
        )
        .await?;
        let mut conn = state_owned.conn().await?;
        model::finished(&mut conn, upload, photo.id, length).await?;
        Ok::<_, ApiError>(photo.id)
    })
    .await
    .map_err(|e| ApiError::internal(format!("photo upload task failed: {e}")))?;
    let mut conn = state.conn().await?;
    match stored {
        Ok(photo) => Ok(photo),
        // The photo itself is refused: the upload ends with it.
        Err(e) if e.code.status().is_client_error() && e.code != ErrorCode::IdempotencyKeyInUse => {
            model::remove(&mut conn, row.id).await?;
            Err(e)
        }
        Err(e) => Err(e),
    }
}
