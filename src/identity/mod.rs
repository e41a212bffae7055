//! Who signs in, and for which organisation: `organisations` and their `contracts`, staff
//! `accounts` and `invitations`, `sessions` (sign-in, refresh, sign-out), `recovery` (password
//! reset, email verification) and a person's `devices` (device codes, keys and PIN). The rules
//! on what each may do live in `auth`.

pub mod accounts;
pub mod contracts;
pub mod devices;
pub mod invitations;
pub mod organisations;
pub mod recovery;
pub mod sessions;
