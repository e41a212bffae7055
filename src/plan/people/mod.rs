//! Supported people: their records, their mentors and supported sign-in (device codes). The
//! rest of a person's plan lives in `profiles`, `circles`, `goals` and `reviews`; every one of
//! them starts from [`authorize`].

pub mod assign_mentors;
pub mod caseload;
pub mod create;
pub mod get;
pub mod issue_device_code;
pub mod list;
pub mod list_device_codes;
pub mod mentors;
pub mod model;
pub mod revoke_device_code;
pub mod types;
pub mod update;

use diesel_async::AsyncPgConnection;

use crate::auth::CurrentUser;
use crate::auth::access::{PersonAccess, PersonAction};
use crate::auth::session::PersonOf;
use crate::error::ApiResult;
use crate::ids::PersonId;

/// Checks the caller's session and authorizes `action` on `person`, in one query.
pub async fn authorize(
    conn: &mut AsyncPgConnection,
    user: &CurrentUser,
    person: PersonId,
    action: PersonAction,
) -> ApiResult<PersonAccess> {
    crate::auth::session::authorize(conn, user, PersonOf::Person(person), action).await
}
