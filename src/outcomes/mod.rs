//! From evidence to outcome frameworks: `frameworks` and their `outcome_codes` as data, the
//! KPI definitions (`kpis`), commissioners' `reports` with disclosure control and organisations'
//! `dashboard`s. Nothing here returns a person's identity to a commissioner.

pub mod dashboard;
pub mod frameworks;
pub mod kpis;
pub mod outcome_codes;
pub mod reports;
