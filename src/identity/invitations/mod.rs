//! Invitations: how accounts come to exist. An admin (or the platform operator) invites an email
//! into an organisation with a role; the invitee redeems the single-use, expiring code with
//! their name and a password. Only a hash of the code is stored. Delivery is by the admin for
//! now (the code is returned once); an email outbox can come later.

pub mod accept;
pub mod create;
pub mod list;
pub mod model;
pub mod revoke;
pub mod types;
