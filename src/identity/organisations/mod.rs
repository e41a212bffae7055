//! Organisations: support providers, whose staff work with supported people, and commissioning
//! bodies, whose users see aggregate reports of the providers they contract. The platform
//! operator creates them; each starts with an invitation for its first admin.

pub mod create;
pub mod get;
pub mod list;
pub mod model;
pub mod types;
pub mod update;
