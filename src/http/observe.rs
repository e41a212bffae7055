//! One middleware that every request passes: it fixes the request id, records Prometheus
//! request counts and latencies by route template and status, and writes one access-log line
//! that carries ids and the route template only (never the query string, bodies or addresses).

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, web};
use prometheus::{HistogramOpts, HistogramVec, IntCounterVec, IntGaugeVec, Opts, Registry};
use tracing::Instrument;

use crate::platform::telemetry::request_id;

/// The service's Prometheus registry and the series the middleware feeds.
pub struct Metrics {
    pub registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    pub db_pool: IntGaugeVec,
    /// Jobs the password-hashing threads accepted since start (set when scraped).
    pub password_jobs: prometheus::IntGauge,
}

impl Metrics {
    pub fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new_custom(Some("camau".into()), None)?;
        let requests = IntCounterVec::new(
            Opts::new("http_requests_total", "HTTP requests by route and status"),
            &["method", "route", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new("http_request_duration_seconds", "HTTP latency by route").buckets(
                vec![
                    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
                ],
            ),
            &["method", "route"],
        )?;
        let db_pool = IntGaugeVec::new(
            Opts::new("db_pool_connections", "Database pool connections by state"),
            &["state"],
        )?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(db_pool.clone()))?;
        let password_jobs = prometheus::IntGauge::new(
            "password_jobs_accepted",
            "Password hashing, verification and strength-check jobs accepted since start",
        )?;
        registry.register(Box::new(password_jobs.clone()))?;
        Ok(Metrics {
            registry,
            requests,
            latency,
            db_pool,
            password_jobs,
        })
    }
}

pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let ids = request_id::from_header(
        req.headers()
            .get(request_id::HEADER)
            .and_then(|v| v.to_str().ok()),
    );
    let id = ids.id.clone();
    let metrics = req.app_data::<web::Data<Metrics>>().cloned();
    let method = req.method().to_string();
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        client_request_id = ids.client.as_deref().unwrap_or("")
    );
    let started = Instant::now();
    let result = request_id::scope(ids, next.call(req))
        .instrument(span.clone())
        .await;
    let mut res = result?;
    let elapsed = started.elapsed();
    let route = res
        .request()
        .match_pattern()
        .unwrap_or_else(|| "unmatched".into());
    let status = res.status().as_u16();
    if let Some(m) = metrics {
        m.requests
            .with_label_values(&[method.as_str(), route.as_str(), &status.to_string()])
            .inc();
        m.latency
            .with_label_values(&[method.as_str(), route.as_str()])
            .observe(elapsed.as_secs_f64());
    }
    span.in_scope(|| {
        tracing::info!(
            method,
            route,
            status,
            duration_ms = elapsed.as_secs_f64() * 1000.0,
            "request"
        )
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        res.headers_mut()
            .insert(HeaderName::from_static(request_id::HEADER), value);
    }
    Ok(res)
}
