//! `GET /health/live`: the process is up and serving.

use actix_web::{HttpResponse, get};

/// Liveness
#[utoipa::path(
    operation_id = "getLiveness",tag = "operations", responses((status = 200, description = "Alive")))]
#[get("/health/live")]
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "ok" }))
}
