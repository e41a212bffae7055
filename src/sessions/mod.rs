//! Signing in and out: login, refresh, logout, logout everywhere, password change and "who am
//! I". Sessions live in PostgreSQL (see `model`); throttling in `throttle`.

pub mod change_password;
pub mod devices;
pub mod login;
pub mod logout;
pub mod logout_all;
pub mod me;
pub mod model;
pub mod person_login;
pub mod redeem_device_code;
pub mod refresh;
pub mod throttle;
pub mod types;

use diesel_async::AsyncPgConnection;

use crate::error::{ApiError, ApiResult};
use crate::ids::AccountId;
use crate::state::AppState;
use types::TokenResponse;

/// Starts a session for `account` and returns its first token pair.
pub async fn sign_in(
    state: &AppState,
    conn: &mut AsyncPgConnection,
    account: AccountId,
) -> ApiResult<TokenResponse> {
    let (session, refresh_token) = model::start(conn, account, &state.config.tokens).await?;
    tokens_for(state, account, session, refresh_token)
}

pub(crate) fn tokens_for(
    state: &AppState,
    account: AccountId,
    session: crate::ids::SessionId,
    refresh_token: String,
) -> ApiResult<TokenResponse> {
    let access = state
        .tokens
        .issue(account, session)
        .map_err(ApiError::internal)?;
    Ok(TokenResponse {
        access_token: access.token,
        token_type: "Bearer",
        expires_in: access.expires_in,
        refresh_token,
        refresh_expires_in: state.config.tokens.refresh_ttl.as_secs(),
    })
}
