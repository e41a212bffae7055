//! Housekeeping: removes what has stopped being useful and should not be kept. Each slice owns
//! its lifecycle (a `purge_expired` beside the table it writes); this module is the list of them,
//! so a new kind of expiring row is one line here, and the count it reports. Then, beside it,
//! the retention of ended records and the storage sweep. Run every
//! `CAMAU_HOUSEKEEPING_INTERVAL_SECS` by `serve`, and once by `camau maintenance` (for cron, or
//! when several instances run and one should do it).

use std::time::Duration;

use diesel_async::AsyncPgConnection;
use serde::Serialize;

use crate::config::Config;
use crate::state::AppState;

/// Declares the list once: the count per kind (`Purged`, as `camau maintenance` prints it) and
/// the pass that fills it, in this order. Each statement stands alone, so a failure leaves the
/// work of the ones before it done.
macro_rules! purges {
    ($conn:ident, $config:ident; $($(#[$doc:meta])* $kind:ident: $($purge:expr),+;)+) => {
        /// Rows removed, by kind.
        #[derive(Debug, Default, Serialize, PartialEq, Eq)]
        pub struct Purged {
            $($(#[$doc])* pub $kind: usize,)+
        }

        /// One pass.
        pub async fn purge(
            $conn: &mut AsyncPgConnection,
            $config: &Config,
        ) -> diesel::QueryResult<Purged> {
            Ok(Purged {
                $($kind: 0 $(+ $purge.await?)+,)+
            })
        }
    };
}

purges! { conn, config;
    sessions: crate::identity::sessions::model::purge_expired(conn);
    refresh_tokens: crate::identity::sessions::model::purge_expired_refresh_tokens(conn);
    throttles: crate::identity::sessions::throttle::purge_expired(conn, config.login_throttle.window);
    /// Quota windows that ended.
    quotas: crate::platform::quotas::purge_expired(conn);
    /// Sync deletion tombstones and erasure notices past keeping (`sync::KEEP`).
    sync_tombstones: crate::platform::sync::model::purge_expired(conn);
    /// Resumable photo uploads past their expiry (unfinished: their parts too).
    uploads: crate::social::uploads::model::purge_expired(conn);
    invitations: crate::identity::invitations::model::purge_expired(conn);
    circle_invitations: crate::plan::circles::model::purge_expired(conn);
    device_codes: crate::plan::people::model::purge_expired_device_codes(conn);
    device_keys: crate::identity::devices::keys::purge_expired(conn);
    idempotency_keys: crate::http::idempotency::purge_expired(conn);
    mails: crate::platform::mail::purge_expired(conn);
    password_resets:
        crate::identity::recovery::resets::purge_expired(conn),
        crate::identity::recovery::verifications::purge_expired(conn);
    /// Exports past their week (their files follow), and export jobs that never finished
    /// (marked failed).
    exports: crate::trust::exports::model::purge_expired(conn);
    /// Erasures never confirmed, past their time.
    erasure_requests: crate::trust::erasure::model::purge_expired(conn);
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
        let export_files = crate::trust::exports::build::sweep_temp_files();
        if export_files > 0 {
            tracing::info!(export_files, "left-over export files removed");
        }
        match result {
            Ok(purged) => tracing::info!(?purged, "housekeeping done"),
            Err(error) => tracing::warn!(error, "housekeeping failed; will try again"),
        }
        let retained = async {
            let mut conn = state.pool.get().await.map_err(|e| e.to_string())?;
            crate::trust::retention::run(&mut conn, &state.storage, false)
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
            crate::platform::storage::sweep::sweep(&state.storage, &mut conn)
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
