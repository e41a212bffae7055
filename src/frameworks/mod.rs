//! Outcome frameworks as data: the National Outcomes Framework for Wales and the others a
//! commissioner may report against, versioned with effective dates, with areas and
//! statements labelled in English and Welsh where a Welsh text exists. The seeded ones are
//! the service's and read-only; wording not yet checked against its source says so
//! (`status: to_confirm`).

pub mod get;
pub mod list;
pub mod model;
pub mod types;
