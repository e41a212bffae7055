//! Keeps storage and the database in step. A photo row's objects are queued for removal in the
//! same transaction that deletes the row (a trigger on `photos`); the request that deleted it
//! removes them straight away, and housekeeping retries whatever that could not. Housekeeping
//! also deletes photo rows an upload left unfinished (a crash between writing objects and
//! marking the row stored), which queues their objects in turn.

use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use uuid::Uuid;

use crate::db::schema::storage_deletions;
use crate::platform::storage::Storage;

/// An upload unfinished for this long has failed (uploads are bounded far below it).
pub const ABANDONED_AFTER_MINUTES: i32 = 10;
const BATCH: i64 = 100;

/// The storage prefix holding every size of a photo.
pub fn photo_prefix(photo: Uuid) -> String {
    format!("photos/{photo}/")
}

#[derive(Debug, Default, Serialize, PartialEq, Eq)]
pub struct Swept {
    pub abandoned_uploads: usize,
    pub removed: usize,
    pub failed: usize,
}

pub async fn remove(storage: &Storage, conn: &mut AsyncPgConnection, prefix: &str) -> bool {
    match storage.delete_prefix(prefix).await {
        Ok(_) => {
            let done = diesel::delete(storage_deletions::table.find(prefix))
                .execute(conn)
                .await;
            if let Err(e) = done {
                tracing::warn!(error = %e, "storage deletion done but not recorded; will repeat");
            }
            true
        }
        Err(e) => {
            tracing::warn!(error = %e, prefix, "storage deletion failed; housekeeping will retry");
            let _ = diesel::update(storage_deletions::table.find(prefix))
                .set(storage_deletions::attempts.eq(storage_deletions::attempts + 1))
                .execute(conn)
                .await;
            false
        }
    }
}

/// Removes the objects of photos whose rows were just deleted (best effort: what fails stays
/// queued for housekeeping).
pub async fn remove_photos(storage: &Storage, conn: &mut AsyncPgConnection, photos: &[Uuid]) {
    for photo in photos {
        remove(storage, conn, &photo_prefix(*photo)).await;
    }
}

/// Queues and removes a photo's objects whose row is already gone.
pub async fn queue_and_remove(storage: &Storage, conn: &mut AsyncPgConnection, photo: Uuid) {
    queue_and_remove_prefix(storage, conn, &photo_prefix(photo)).await;
}

/// Queues and removes the objects under `prefix`, whose row is already gone.
pub async fn queue_and_remove_prefix(
    storage: &Storage,
    conn: &mut AsyncPgConnection,
    prefix: &str,
) {
    let prefix = prefix.to_owned();
    let queued = diesel::insert_into(storage_deletions::table)
        .values(storage_deletions::prefix.eq(&prefix))
        .on_conflict_do_nothing()
        .execute(conn)
        .await;
    if let Err(e) = queued {
        tracing::warn!(error = %e, prefix, "could not queue a storage deletion");
    }
    remove(storage, conn, &prefix).await;
}

/// One housekeeping pass.
pub async fn sweep(
    storage: &Storage,
    conn: &mut AsyncPgConnection,
) -> Result<Swept, diesel::result::Error> {
    let abandoned = diesel::sql_query(format!(
        "DELETE FROM photos WHERE stored_at IS NULL \
         AND created_at < now() - interval '{ABANDONED_AFTER_MINUTES} minutes'"
    ));
    let abandoned_uploads = conn
        .transaction(async |conn| {
            let n = abandoned.execute(conn).await?;
            if n > 0 {
                let event = crate::trust::audit::model::AuditEvent {
                    organisation: None,
                    actor: None,
                    person: None,
                    action: crate::trust::audit::Action::HousekeepingAbandonedUploadsRemoved,
                    subject_type: "photo",
                    subject_id: None,
                    details: serde_json::json!({ "rows": n }),
                };
                crate::trust::audit::model::record(conn, event).await?;
            }
            Ok::<_, diesel::result::Error>(n)
        })
        .await?;
    let queued: Vec<String> = storage_deletions::table
        .order(storage_deletions::queued_at.asc())
        .limit(BATCH)
        .select(storage_deletions::prefix)
        .load(conn)
        .await?;
    let mut swept = Swept {
        abandoned_uploads,
        ..Swept::default()
    };
    for prefix in queued {
        if remove(storage, conn, &prefix).await {
            swept.removed += 1;
        } else {
            swept.failed += 1;
        }
    }
    Ok(swept)
}
