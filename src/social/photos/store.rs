//! The photo store saga, one for both ways a photo arrives (one body, `upload`; or in parts,
//! `uploads`): cleaned off the async workers, a pending row (invisible) with its event, the
//! three sizes written, then the row marked stored; on failure the row goes and whatever was
//! written is removed (now, or by the storage sweep). A retry under the same key finds the
//! first photo rather than storing a second.

use std::sync::Arc;

use diesel_async::AsyncConnection;

use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::ids::{PhotoId, StoryId};
use crate::social::photos::model::{self, NewPhoto};
use crate::social::photos::{Size, key};
use crate::social::stories::types::MAX_PHOTOS;
use crate::state::AppState;

/// A photo stored (or found stored under the same key).
pub struct Stored {
    pub id: uuid::Uuid,
    pub width: i32,
    pub height: i32,
    pub replayed: bool,
}

/// An upload still pending after this long has failed (it is bounded far below: the queue
/// wait, the image work and storage's own retries).
const ABANDONED: time::Duration = time::Duration::minutes(2);

/// The work of an upload once its bytes have all arrived, shared with resumable uploads
/// (`uploads`): processed and stripped off the async workers, a pending row, the stored
/// sizes, then the row marked stored; undone on failure. `upload_key` makes a retry find the
/// first photo.
pub async fn store(
    state: &AppState,
    access: &crate::auth::access::PersonAccess,
    story: StoryId,
    body: Vec<u8>,
    upload_key: Option<Vec<u8>>,
    body_hash: Vec<u8>,
) -> ApiResult<Stored> {
    let account = access.actor.account_id;
    let mut conn = state.conn().await?;
    if let Some(upload_key) = &upload_key
        && let Some((id, for_story, hash, stored, width, height, created_at)) =
            model::by_upload_key(&mut conn, account, upload_key).await?
    {
        if for_story != story.0 || hash != body_hash {
            return Err(ApiError::new(ErrorCode::IdempotencyKeyReused));
        }
        if stored {
            return Ok(Stored {
                id,
                width,
                height,
                replayed: true,
            });
        }
        if created_at > time::OffsetDateTime::now_utc() - ABANDONED {
            return Err(ApiError::new(ErrorCode::IdempotencyKeyInUse).retry_after(5));
        }
        // The first try died part-way: clear it and store this one.
        if model::delete_failed(&mut conn, PhotoId(id)).await? > 0 {
            crate::platform::storage::sweep::remove_photos(&state.storage, &mut conn, &[id]).await;
        }
    }
    drop(conn);

    let processed = state.photo_workers.process(Arc::new(body)).await?;
    let id = PhotoId::new();
    let (width, height) = (processed.width as i32, processed.height as i32);
    let mut conn = state.conn().await?;
    let scope = access.scope;
    let new = NewPhoto {
        id,
        story,
        width,
        height,
        uploaded_by: account,
        upload_key: upload_key.as_deref(),
        body_hash: &body_hash,
    };
    conn.transaction(async |conn| {
        // The story row is locked, so parallel uploads count one another.
        crate::social::stories::model::lock_visible(conn, access, story)
            .await?
            .ok_or_else(ApiError::not_found)?;
        if model::count_for_story(conn, &scope, story).await? >= MAX_PHOTOS {
            return Err(ApiError::new(ErrorCode::TooManyPhotos));
        }
        model::insert_pending(conn, &scope, &new)
            .await
            .map_err(|e| match ApiError::from(e) {
                // The same key raced in from a parallel retry.
                e if e.code == ErrorCode::Conflict => {
                    ApiError::new(ErrorCode::IdempotencyKeyInUse).retry_after(5)
                }
                e => e,
            })?;
        crate::trust::audit::model::changed(
            conn,
            &scope,
            account,
            crate::trust::audit::Action::PhotoUploaded,
            "photo",
            id.0,
        )
        .await?;
        Ok(())
    })
    .await?;
    drop(conn);

    let stored = async {
        for (size, bytes) in [
            (Size::Original, processed.original),
            (Size::Display, processed.display),
            (Size::Thumb, processed.thumb),
        ] {
            state.storage.put_jpeg(&key(id.0, size), bytes).await?;
        }
        Ok::<_, object_store::Error>(())
    }
    .await;
    let mut conn = state.conn().await?;
    let marked = match stored {
        // No row to mark: the story (or the photo) was deleted meanwhile, and its queued
        // objects may have been removed before these were written.
        Ok(()) => match model::mark_stored(&mut conn, id).await {
            Ok(0) => {
                crate::platform::storage::sweep::queue_and_remove(&state.storage, &mut conn, id.0)
                    .await;
                return Err(ApiError::not_found());
            }
            Ok(_) => Ok(()),
            Err(e) => Err(ApiError::from(e)),
        },
        Err(e) => {
            tracing::warn!(error = %e, photo_id = %id, "photo storage failed");
            Err(ApiError::new(ErrorCode::ServiceUnavailable)
                .with_detail("photo storage is unavailable; retry shortly"))
        }
    };
    if let Err(e) = marked {
        // Undo: the row goes (queueing its objects) and what was written is removed.
        if model::delete_failed(&mut conn, id).await.is_ok() {
            crate::platform::storage::sweep::remove_photos(&state.storage, &mut conn, &[id.0])
                .await;
        }
        return Err(e.retry_after(5));
    }
    Ok(Stored {
        id: id.0,
        width,
        height,
        replayed: false,
    })
}
