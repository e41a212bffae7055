//! Rating scales for reviews, held as data (min, max, step, labels in English and Welsh), so
//! the engine is scale-agnostic: distance travelled 0–10 (the default), Goal Attainment
//! Scaling −2..+2, and Fully / Partially / Not met are seeded.

pub mod list;
pub mod model;
pub mod types;
