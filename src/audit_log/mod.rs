//! Reading the audit trail: a person's access log in plain words, and an organisation's
//! whole trail for its admins and auditors (filtered, or as CSV).

pub mod access_log;
pub mod organisation;
pub mod types;
pub mod words;
