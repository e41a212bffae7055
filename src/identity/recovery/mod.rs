//! Getting back in without the password, and proving an email address: a password reset
//! (`resets`) and an email verification (`verifications`), each by a single-use code sent by
//! email, stored only as its hash, throttled like a sign-in.

pub mod confirm_email_verification;
pub mod confirm_password_reset;
pub mod request_email_verification;
pub mod request_password_reset;
pub mod resets;
pub mod types;
pub mod verifications;
