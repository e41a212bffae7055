//! The activity feed: what happened in people's plans, newest first, each item filtered by
//! what the caller may see of it (their relation to the person, their grants, the story's
//! audience, hidden comments) inside the one query that reads the page.

pub mod mine;
pub mod model;
pub mod person;
pub mod stream;
pub mod stream_mine;
pub mod stream_person;
pub mod types;
