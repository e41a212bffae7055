//! Strengths profiles: what people like and admire about me, what is important to and for me,
//! how best to support me, my strengths and skills, my hopes and dreams. Free text in the
//! person's own words, with its language and author; every save is kept as history.

pub mod get;
pub mod history;
pub mod model;
pub mod types;
pub mod update;
