//! Encouragement on stories: reactions from a small fixed set and comments, by the person,
//! staff and supporters with the `encourage` grant, on what each can see. The person and staff
//! can hide a comment; a hidden one disappears for the circle at once.

pub mod comment;
pub mod comments;
pub mod hide;
pub mod model;
pub mod react;
pub mod reactions;
pub mod types;
