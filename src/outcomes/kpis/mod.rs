//! Key performance indicators: their definitions (docs/KPIS.md, `GET /v1/kpis`), the
//! figures behind the dashboard and the outcome reports, and the disclosure control every
//! figure leaving a provider passes through.

pub mod definitions;
pub mod disclosure;
pub mod figures;
pub mod list;
