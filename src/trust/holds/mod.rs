//! Legal and safeguarding holds: while one stands, the person's record cannot be erased, by
//! an admin or by retention (and the database refuses too: migration 000014). Placing and
//! lifting are audited; a lifted hold stays as history.

pub mod lift;
pub mod list;
pub mod model;
pub mod place;
pub mod types;
