//! Aggregate outcome reports per framework area: for a commissioner across the providers its
//! body holds contracts with, and for a provider's admins about their own organisation. Every
//! count passes disclosure control (`kpis::disclosure`) and no person-level field is ever in
//! one.

pub mod build;
pub mod commissioner;
pub mod provider;
pub mod types;
