//! Operations endpoints: liveness, readiness (database and storage) and Prometheus metrics.
//! Unauthenticated, outside `/v1`, and free of any personal data.

pub mod live;
pub mod metrics;
pub mod ready;
