//! Services the slices stand on or run beside: object `storage`, `mail`, `telemetry`, `health`,
//! `housekeeping`, `quotas`, delta `sync` for phones, `demo` data and first-run `bootstrap`.

pub mod bootstrap;
pub mod demo;
pub mod health;
pub mod housekeeping;
pub mod mail;
pub mod quotas;
pub mod storage;
pub mod sync;
pub mod telemetry;
