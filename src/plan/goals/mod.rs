//! Goals in the person's own words, broken into actions. A goal chooses its rating scale when
//! created; its status changes are kept with their dates; supporters with the `contribute`
//! grant may suggest actions, which the person accepts or declines.

pub mod create;
pub mod create_action;
pub mod get;
pub mod list;
pub mod list_actions;
pub mod model;
pub mod progress;
pub mod types;
pub mod update;
pub mod update_action;

use diesel_async::AsyncPgConnection;

use crate::auth::CurrentUser;
use crate::auth::access::{PersonAccess, PersonAction};
use crate::auth::session::PersonOf;
use crate::error::ApiResult;
use crate::ids::{ActionId, GoalId};

/// Authorizes `action` on the person `goal` belongs to.
pub async fn authorize_goal(
    conn: &mut AsyncPgConnection,
    user: &CurrentUser,
    goal: GoalId,
    action: PersonAction,
) -> ApiResult<PersonAccess> {
    crate::auth::session::authorize(conn, user, PersonOf::Goal(goal), action).await
}

/// Authorizes `action` on the person a goal action belongs to.
pub async fn authorize_action(
    conn: &mut AsyncPgConnection,
    user: &CurrentUser,
    id: ActionId,
    action: PersonAction,
) -> ApiResult<PersonAccess> {
    crate::auth::session::authorize(conn, user, PersonOf::Action(id), action).await
}
