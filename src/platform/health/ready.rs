//! `GET /health/ready`: can this instance serve requests now? Checks the database and the
//! object store, each with a short timeout, so a load balancer stops sending traffic here when
//! either is down.

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
}

fn verdict(ok: bool) -> &'static str {
    if ok { "ok" } else { "unavailable" }
}

async fn database_ok(state: &AppState) -> bool {
    let check = async {
        let mut conn = state.pool.get().await.ok()?;
        diesel::sql_query("SELECT 1").execute(&mut conn).await.ok()
    };
    matches!(
        tokio::time::timeout(CHECK_TIMEOUT, check).await,
        Ok(Some(_))
    )
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
        (status = 503, description = "Database or storage unreachable", body = Readiness),
    )
)]
#[get("/health/ready")]
pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    let (database, storage) = futures_util::join!(database_ok(&state), storage_ok(&state));
    if !database || !storage {
        tracing::warn!(
            request_id = crate::platform::telemetry::request_id::current(),
            database,
            storage,
            "not ready"
        );
    }
    let body = Readiness {
        status: verdict(database && storage),
        database: verdict(database),
        storage: verdict(storage),
    };
    if database && storage {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}
