//! `GET /metrics`: Prometheus text exposition. Route templates, statuses and pool gauges only.
//! Not public: it answers only a scraper presenting `CAMAU_METRICS_TOKEN` as a bearer token,
//! and 404 to everyone else (and to everyone when no token is configured).

use actix_web::{HttpRequest, HttpResponse, get, web};
use prometheus::{Encoder, TextEncoder};
use secrecy::ExposeSecret;

use crate::error::{ApiError, ApiResult, ErrorCode, Problem};
use crate::http::observe::Metrics;
use crate::state::AppState;

/// Prometheus metrics
#[utoipa::path(
    operation_id = "getMetrics",
    tag = "operations",
    security(("metrics" = [])),
    responses(
        (status = 200, description = "Prometheus text format", content_type = "text/plain", body = String),
        (status = 404, description = "No metrics token configured, or a wrong one presented", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/metrics")]
pub async fn metrics(
    state: web::Data<AppState>,
    metrics: web::Data<Metrics>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let presented = crate::auth::current_user::bearer(&req);
    let allowed = match (&state.config.metrics_token, presented) {
        (Some(expected), Some(presented)) => {
            use sha2::{Digest, Sha256};
            // Compared as digests, so the comparison takes the same time wherever they differ.
            Sha256::digest(expected.expose_secret().as_bytes())
                == Sha256::digest(presented.as_bytes())
        }
        _ => false,
    };
    if !allowed {
        return Err(ApiError::new(ErrorCode::RouteNotFound));
    }
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
    metrics
        .password_jobs
        .set(i64::try_from(state.passwords.jobs_accepted()).unwrap_or(i64::MAX));
    let mut body = Vec::new();
    TextEncoder::new()
        .encode(&metrics.registry.gather(), &mut body)
        .map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(body))
}
