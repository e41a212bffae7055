//! Safeguarding concerns ("I'm worried"). Anyone who can see a story or comment may raise
//! one: in the same transaction the item is hidden from the circle, and the concern goes
//! privately to the organisation's safeguarding leads, who resolve it (the item stays hidden)
//! or restore the item. Concerns never appear in the feed.

pub mod list;
pub mod model;
pub mod raise;
pub mod types;
pub mod update;
