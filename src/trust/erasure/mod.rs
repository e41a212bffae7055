//! Erasure (the right to be forgotten, and the end of retention): every row about a person and
//! every stored object of theirs removed in one transaction, and only de-identified counts
//! kept (`erasures`). Two steps by hand (an admin asks and confirms with the code the first
//! step gave); one by retention. A standing hold refuses both (409 with its reason). The
//! audit trail keeps its events about the person (ids only): it is the record that the
//! erasure happened, and it is append-only.

pub mod erase;
pub mod model;
