//! Push notifications. People, supporters and staff register their phones; every activity
//! queues a job in its own transaction (a trigger), and the worker turns it into one
//! notification per device of each follower who may see the activity — by the feed's own
//! query, so a notification never says more than the feed would show — minus the one who did
//! it and anyone who muted the person. Sent through FCM HTTP v1 (or logged), with retries,
//! backoff, dead-lettering and quiet hours. A notification reads "Cai posted a new story" and
//! no more: lock screens are public.

pub mod get_settings;
pub mod put_settings;
pub mod register;
pub mod types;
pub mod unregister;
pub mod worker;

/// The purpose under which push tokens are sealed and fingerprinted.
pub(crate) const TOKEN_PURPOSE: &[u8] = b"push token";
