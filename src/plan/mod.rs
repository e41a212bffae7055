//! The person's plan, the core of the app: who they are (`people`), what matters to them
//! (`profiles`), who supports them (`circles`), what they work toward (`goals` with actions,
//! measured on `scales`) and how far they have come (`reviews`). Every query here is scoped by
//! a proof from `auth`.

pub mod circles;
pub mod goals;
pub mod people;
pub mod profiles;
pub mod reviews;
pub mod scales;
