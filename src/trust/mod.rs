//! What keeps the record accountable and the person in control: the `audit` trail and the
//! person's access log (`audit_log`), `consents`, safeguarding `concerns`, `exports` and
//! `erasure`, legal `holds` and `retention`.

pub mod audit;
pub mod audit_log;
pub mod concerns;
pub mod consents;
pub mod erasure;
pub mod exports;
pub mod holds;
pub mod retention;
