//! Outcome codes on goals: staff map a goal, kept in the person's own words, to areas (and
//! statements) of one or more frameworks, each code with who added it and when. Coding never
//! touches the goal's text; removing a code keeps it for the record. Reports read the
//! current codes.

pub mod add;
pub mod list;
pub mod model;
pub mod remove;
pub mod types;
