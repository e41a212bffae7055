//! Outcome frameworks as data: the National Outcomes Framework for Wales and the others a
//! commissioner may report against, versioned with effective dates, with areas and
//! statements labelled in English and Welsh where a Welsh text exists. The seeded ones are
//! the service's and read-only; wording not yet checked against its source says so
//! (`status: to_confirm`).

pub mod create;
pub mod get;
pub mod list;
pub mod model;
pub mod types;

/// The National Outcomes Framework for Wales as seeded (migration 000008): every
/// organisation's default until it picks another.
pub const NOF_WALES: uuid::Uuid = uuid::uuid!("06468675-38cb-89e4-8616-2682fa6348ff");
