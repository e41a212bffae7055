//! Housekeeping: removes what has stopped being useful and should not be kept — ended
//! sessions and their refresh tokens, throttle counters and quota windows that passed, unused
//! invitation, device, password-reset and email codes past their expiry, revoked device keys,
//! idempotent responses past keeping, the record of mail sent or given up a week ago, expired
//! resumable uploads, exports past their week, unconfirmed erasures, and sync tombstones past
//! keeping; then, beside it, the retention of ended records and the storage sweep. Run every
//! `CAMAU_HOUSEKEEPING_INTERVAL_SECS` by `serve`, and once by `camau maintenance` (for cron,
//! or when several instances run and one should do it).

use std::time::Duration;

use diesel::sql_query;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Serialize;

use crate::audit::model::AuditEvent;
use crate::config::Config;
use crate::state::AppState;

type QueryResult<T> = Result<T, diesel::result::Error>;

/// Rows removed, by kind.
#[derive(Debug, Default, Serialize, PartialEq, Eq)]
pub struct Purged {
    pub sessions: usize,
    pub refresh_tokens: usize,
    pub throttles: usize,
    /// Quota windows that ended.
    pub quotas: usize,
    /// Sync deletion tombstones and erasure notices past keeping (`sync::KEEP`).
    pub sync_tombstones: usize,
    /// Resumable photo uploads past their expiry (unfinished: their parts too).
    pub uploads: usize,
    pub invitations: usize,
    pub circle_invitations: usize,
    pub device_codes: usize,
    pub device_keys: usize,
    pub idempotency_keys: usize,
    pub mails: usize,
    pub password_resets: usize,
    /// Exports past their week (their files follow), unconfirmed erasures past their time,
    /// and export jobs that never finished (marked failed).
    pub exports: usize,
    pub erasure_requests: usize,
}

async fn delete(conn: &mut AsyncPgConnection, sql: &str) -> QueryResult<usize> {
    sql_query(sql).execute(conn).await
}

/// Deletes from a table about people, with one event (by the service, with the count) in the
/// same transaction.
async fn delete_audited(
    conn: &mut AsyncPgConnection,
    kind: &'static str,
    sql: &str,
) -> QueryResult<usize> {
    conn.transaction(async |conn| {
        let n = sql_query(sql).execute(conn).await?;
        if n > 0 {
            let event = AuditEvent {
                organisation: None,
                actor: None,
                person: None,
                action: crate::audit::Action::HousekeepingExpiredPurged,
                subject_type: kind,
                subject_id: None,
                details: serde_json::json!({ "rows": n }),
            };
            crate::audit::model::record(conn, event).await?;
        }
        Ok(n)
    })
    .await
}

/// One pass. Each statement stands alone, so a failure leaves the others' work done.
pub async fn purge(conn: &mut AsyncPgConnection, config: &Config) -> QueryResult<Purged> {
    // A revoked session's access tokens die within the access-token lifetime; a day is ample.
    let sessions = delete(
        conn,
        "DELETE FROM sessions WHERE expires_at < now() OR revoked_at < now() - interval '1 day'",
    )
    .await?;
    let refresh_tokens =
        delete(conn, "DELETE FROM refresh_tokens WHERE expires_at < now()").await?;
    let throttles = crate::sessions::throttle::purge(conn, config.login_throttle.window).await?;
    let quotas = crate::quotas::purge(conn).await?;
    let invitations = delete(
        conn,
        "DELETE FROM invitations WHERE accepted_at IS NULL AND expires_at < now()",
    )
    .await?;
    let circle_invitations = delete_audited(
        conn,
        "circle_invitation",
        "DELETE FROM circle_invitations WHERE accepted_at IS NULL AND expires_at < now()",
    )
    .await?;
    let device_codes = delete_audited(
        conn,
        "device_code",
        "DELETE FROM device_codes WHERE redeemed_at IS NULL AND expires_at < now()",
    )
    .await?;
    let device_keys = delete(
        conn,
        "DELETE FROM person_devices WHERE revoked_at < now() - interval '1 day'",
    )
    .await?;
    let idempotency_keys = crate::http::idempotency::purge(conn).await?;
    // Sent or given-up mail holds nothing personal (its sealed copy is gone); a week of it
    // answers "was it sent?".
    let mails = delete(
        conn,
        "DELETE FROM outbox_emails WHERE sent_at < now() - interval '7 days' \
         OR failed_at < now() - interval '7 days'",
    )
    .await?;
    let password_resets = delete(
        conn,
        "DELETE FROM password_resets WHERE expires_at < now() OR used_at IS NOT NULL",
    )
    .await?
        + delete(
            conn,
            "DELETE FROM email_verifications WHERE expires_at < now()",
        )
        .await?;
    let exports = delete_audited(
        conn,
        "export",
        "DELETE FROM exports WHERE expires_at < now()",
    )
    .await?
        + delete_audited(
            conn,
            "export",
            "UPDATE exports SET status = 'failed' \
             WHERE status = 'pending' AND created_at < now() - interval '1 hour'",
        )
        .await?;
    let uploads = delete(conn, "DELETE FROM photo_uploads WHERE expires_at < now()").await?;
    let erasure_notices = delete(
        conn,
        &format!(
            "DELETE FROM sync_erasures WHERE erased_at < now() - interval '{} days'",
            crate::sync::KEEP.whole_days()
        ),
    )
    .await?;
    let sync_tombstones = delete_audited(
        conn,
        "sync_log",
        &format!(
            "DELETE FROM sync_log WHERE op = 'delete' AND changed_at < now() - interval '{} days'",
            crate::sync::KEEP.whole_days()
        ),
    )
    .await?;
    let erasure_requests = delete_audited(
        conn,
        "erasure_request",
        "DELETE FROM erasure_requests WHERE expires_at < now()",
    )
    .await?;
    Ok(Purged {
        exports,
        erasure_requests,
        sessions,
        refresh_tokens,
        throttles,
        quotas,
        sync_tombstones: sync_tombstones + erasure_notices,
        uploads,
        invitations,
        circle_invitations,
        device_codes,
        device_keys,
        idempotency_keys,
        mails,
        password_resets,
    })
}

/// Runs [`purge`] every `interval` for as long as the server runs. Two instances purging at
/// once do no harm: the statements are idempotent deletes.
pub async fn run(state: actix_web::web::Data<AppState>, interval: Duration) {
    let mut ticker = tokio::time::interval(interval);
    loop {
        ticker.tick().await;
        let result = async {
            let mut conn = state.pool.get().await.map_err(|e| e.to_string())?;
            purge(&mut conn, &state.config)
                .await
                .map_err(|e| e.to_string())
        }
        .await;
        let export_files = crate::exports::build::sweep_temp_files();
        if export_files > 0 {
            tracing::info!(export_files, "left-over export files removed");
        }
        match result {
            Ok(purged) => tracing::info!(?purged, "housekeeping done"),
            Err(error) => tracing::warn!(error, "housekeeping failed; will try again"),
        }
        let retained = async {
            let mut conn = state.pool.get().await.map_err(|e| e.to_string())?;
            crate::retention::run(&mut conn, &state.storage, false)
                .await
                .map_err(|e| e.to_string())
        }
        .await;
        match retained {
            Ok(o) => tracing::info!(
                erased = o.erased,
                held = o.held,
                failed = o.failed,
                "retention done"
            ),
            Err(error) => tracing::warn!(error, "retention failed; will try again"),
        }
        let swept = async {
            let mut conn = state.pool.get().await.map_err(|e| e.to_string())?;
            crate::storage::sweep::sweep(&state.storage, &mut conn)
                .await
                .map_err(|e| e.to_string())
        }
        .await;
        match swept {
            Ok(swept) => tracing::info!(?swept, "storage sweep done"),
            Err(error) => tracing::warn!(error, "storage sweep failed; will try again"),
        }
    }
}
