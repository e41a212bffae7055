//! The audit trail: who read or changed which record, when, in which request (DSPT standard
//! 4: all access to personal data is attributable to individuals). Entries carry ids and the
//! kind of access, never personal free text. The trail is append-only (migration 000012).
//! Written here; read by `audit_log`; reads recorded by `http::audit_reads`.

pub mod model;
pub mod reads;

pub use model::Action;
