//! A provider's dashboard: how its people and their plans are doing, for its admins and
//! coordinators (the whole organisation) and its mentors (their caseload). Staff see their own
//! people's figures as they are: no disclosure control here, and no names either.

pub mod get;
pub mod model;
pub mod types;
