//! What the person shares and how their circle sees it: `stories` with `photos` (in one body,
//! or resumable `uploads`; cleaned by `images`), `encouragement`, the `activity` behind the
//! `feed`, its `live` delivery and `push` and in-app `notifications`.

pub mod activity;
pub mod encouragement;
pub mod feed;
pub mod images;
pub mod live;
pub mod notifications;
pub mod photos;
pub mod push;
pub mod stories;
pub mod uploads;
