//! Authentication and authorization: passwords, tokens, the fail-closed `CurrentUser`
//! extractor, the session check (`session`) and the `access` policy whose `Authorized<...>`
//! proofs every scoped query takes, with its SQL form (`policy`) for statements that decide
//! many records at once.

pub mod access;
pub mod codes;
pub mod current_user;
pub mod password;
pub mod policy;
pub mod roles;
pub mod seal;
pub mod session;
pub mod tokens;

pub use access::Authorized;
pub use current_user::CurrentUser;
pub use roles::{OrganisationKind, Role};
pub use session::Actor;
