//! Staff accounts of an organisation: listing, reading, changing roles and deactivating. (How
//! accounts come to exist is in `invitations`; signing in is in `sessions`.)

pub mod get;
pub mod list;
pub mod model;
pub mod types;
pub mod update;

use diesel_async::AsyncPgConnection;

use crate::auth::access::{self, OrgAction};
use crate::auth::{Actor, Authorized};
use crate::error::{ApiError, ApiResult};
use crate::ids::{AccountId, OrganisationId};

/// Authorizes `action` on the organisation that `account` belongs to. An account the caller
/// may not see answers 404, like one that does not exist.
pub async fn authorize_for_account(
    conn: &mut AsyncPgConnection,
    user: &Actor,
    account: AccountId,
    action: OrgAction,
) -> ApiResult<Authorized<OrganisationId>> {
    let org = model::organisation_of(conn, account)
        .await?
        .ok_or_else(ApiError::not_found)?;
    access::organisation(user, org, action)
}
