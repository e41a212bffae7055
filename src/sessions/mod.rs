//! Signing in and out: login, refresh, logout, logout everywhere, "who am I", password and PIN
//! changes; a person's sign-in by device code and PIN (`devices`: the device keys); password
//! reset (`resets`) and email verification (`verifications`) by emailed code. Sessions live in
//! PostgreSQL (see `model`); throttling in `throttle`.

pub mod change_password;
pub mod change_pin;
pub mod confirm_email_verification;
pub mod confirm_password_reset;
pub mod devices;
pub mod login;
pub mod logout;
pub mod logout_all;
pub mod me;
pub mod model;
pub mod person_login;
pub mod redeem_device_code;
pub mod refresh;
pub mod request_email_verification;
pub mod request_password_reset;
pub mod resets;
pub mod throttle;
pub mod types;
pub mod verifications;

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
        .filter(accounts::id.eq(account.0))
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
