//! Signing in and out: login, refresh, logout, logout everywhere, "who am I", password change.
//! Sessions live in PostgreSQL (see `model`); the sign-in throttle, shared by every way in
//! (here, `recovery`, `devices`, the console), in `throttle`.

pub mod change_password;
pub mod login;
pub mod logout;
pub mod logout_all;
pub mod me;
pub mod model;
pub mod refresh;
pub mod throttle;
pub mod types;

use diesel::{ExpressionMethods, JoinOnDsl, NullableExpressionMethods, QueryDsl};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::auth::Role;
use crate::db::schema::{accounts, people};
use crate::error::{ApiError, ApiResult};
use crate::ids::{AccountId, SessionId};
use crate::state::AppState;
use types::{SignedIn, TokenPair};

/// Starts a session for `account` and answers as every sign-in does: the first token pair,
/// with who signed in.
pub async fn sign_in(
    state: &AppState,
    conn: &mut AsyncPgConnection,
    account: AccountId,
) -> ApiResult<SignedIn> {
    let (session, refresh_token) = model::start(conn, account, &state.config.tokens).await?;
    signed_in(state, conn, account, session, refresh_token).await
}

/// The sign-in answer for a session and its refresh token.
pub(crate) async fn signed_in(
    state: &AppState,
    conn: &mut AsyncPgConnection,
    account: AccountId,
    session: SessionId,
    refresh_token: String,
) -> ApiResult<SignedIn> {
    let (role, person_id) = accounts::table
        .left_join(people::table.on(people::account_id.eq(accounts::id.nullable())))
        .filter(accounts::id.eq(account))
        .select((accounts::role, people::id.nullable()))
        .first::<(Role, Option<Uuid>)>(conn)
        .await?;
    let access = state
        .tokens
        .issue(account, session)
        .map_err(ApiError::internal)?;
    Ok(SignedIn {
        account_id: account.0,
        role,
        person_id,
        device_key: None,
        tokens: TokenPair {
            access_token: access.token,
            token_type: "Bearer",
            expires_in: access.expires_in,
            refresh_token,
            refresh_expires_in: state.config.tokens.refresh_ttl.as_secs(),
        },
    })
}
