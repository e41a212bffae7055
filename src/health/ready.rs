//! `GET /health/ready`: can this instance serve requests now? Checks the database and the
//! object store, each with a short timeout, so a load balancer stops sending traffic here when
//! either is down, and that `camau migrate` has finished keying the outcome rollups (until
//! then reports and dashboards would leave the older rows out).

use std::time::Duration;

use actix_web::{HttpResponse, get, web};
use diesel_async::RunQueryDsl;
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

const CHECK_TIMEOUT: Duration = Duration::from_secs(3);

#[derive(Debug, Serialize, ToSchema)]
pub struct Readiness {
    /// `ok` or `unavailable`
    pub status: &'static str,
    pub database: &'static str,
    pub storage: &'static str,
    /// `ok`, or `backfilling` while `camau migrate` still keys older rollup rows
    /// (`db::backfill`), or `unavailable` with the database.
    pub rollups: &'static str,
}

fn verdict(ok: bool) -> &'static str {
    if ok { "ok" } else { "unavailable" }
}

/// Whether the database answers, and whether every rollup row has its keys.
async fn database_ok(state: &AppState) -> (bool, bool) {
    #[derive(diesel::QueryableByName)]
    struct Keyed {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        keyed: bool,
    }
    let check = async {
        let mut conn = state.pool.get().await.ok()?;
        diesel::sql_query("SELECT NOT EXISTS (SELECT 1 FROM kpi_backfills) AS keyed")
            .get_result::<Keyed>(&mut conn)
            .await
            .ok()
    };
    match tokio::time::timeout(CHECK_TIMEOUT, check).await {
        Ok(Some(k)) => (true, k.keyed),
        _ => (false, false),
    }
}

async fn storage_ok(state: &AppState) -> bool {
    matches!(
        tokio::time::timeout(CHECK_TIMEOUT, state.storage.check()).await,
        Ok(Ok(()))
    )
}

/// Readiness
#[utoipa::path(
    operation_id = "getReadiness",
    tag = "operations",
    responses(
        (status = 200, description = "Database and storage reachable", body = Readiness),
        (status = 503, description = "Database or storage unreachable, or the rollups still being keyed by `camau migrate`", body = Readiness),
    )
)]
#[get("/health/ready")]
pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    let ((database, keyed), storage) = futures_util::join!(database_ok(&state), storage_ok(&state));
    let rollups = match (database, keyed) {
        (false, _) => "unavailable",
        (true, false) => "backfilling",
        (true, true) => "ok",
    };
    let ready = database && storage && keyed;
    if !ready {
        tracing::warn!(
            request_id = crate::telemetry::request_id::current(),
            database,
            storage,
            rollups,
            "not ready"
        );
    }
    let body = Readiness {
        status: verdict(ready),
        database: verdict(database),
        storage: verdict(storage),
        rollups,
    };
    if ready {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}
