//! The audit trail: who did what to which record, for the organisation's auditors. Entries
//! carry ids and the kind of change, never personal free text.

pub mod model;
