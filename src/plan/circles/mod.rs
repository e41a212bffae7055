//! Circles of support: the family, friends and professionals a person names, what each may
//! see (profile, goals, stories, reviews) and do (encourage, contribute), chosen by the person.
//! Grants are read on every request, so a change or a removal applies at once. A member can be
//! invited to sign in as a supporter of this person only.

pub mod accept;
pub mod create;
pub mod invite;
pub mod leave;
pub mod list;
pub mod list_invitations;
pub mod mine;
pub mod model;
pub mod remove;
pub mod revoke_invitation;
pub mod types;
pub mod update;

use diesel_async::AsyncPgConnection;

use crate::auth::CurrentUser;
use crate::auth::access::{PersonAccess, PersonAction};
use crate::auth::session::PersonOf;
use crate::error::ApiResult;
use crate::ids::CircleMemberId;

/// Authorizes `action` on the person whose circle `member` belongs to.
pub async fn authorize_member(
    conn: &mut AsyncPgConnection,
    user: &CurrentUser,
    member: CircleMemberId,
    action: PersonAction,
) -> ApiResult<PersonAccess> {
    crate::auth::session::authorize(conn, user, PersonOf::Member(member), action).await
}
