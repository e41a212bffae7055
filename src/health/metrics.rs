//! `GET /metrics`: Prometheus text exposition. Route templates, statuses and pool gauges only.

use actix_web::{HttpResponse, get, web};
use prometheus::{Encoder, TextEncoder};

use crate::app::AppState;
use crate::error::{ApiError, ApiResult};
use crate::http::observe::Metrics;

/// Prometheus metrics
#[utoipa::path(
    tag = "operations",
    responses((status = 200, description = "Prometheus text format", content_type = "text/plain", body = String))
)]
#[get("/metrics")]
pub async fn metrics(
    state: web::Data<AppState>,
    metrics: web::Data<Metrics>,
) -> ApiResult<HttpResponse> {
    let status = state.pool.status();
    let gauges = &metrics.db_pool;
    gauges
        .with_label_values(&["max"])
        .set(status.max_size as i64);
    gauges.with_label_values(&["open"]).set(status.size as i64);
    gauges
        .with_label_values(&["idle"])
        .set(status.available as i64);
    gauges
        .with_label_values(&["waiting"])
        .set(status.waiting as i64);
    let mut body = Vec::new();
    TextEncoder::new()
        .encode(&metrics.registry.gather(), &mut body)
        .map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(body))
}
