//! `POST /v1/auth/person-login`: a supported person signs in again with their PIN.

use actix_web::{HttpRequest, post, web};

use crate::accounts::model as accounts;
use crate::app::AppState;
use crate::auth::roles::Role;
use crate::error::{ApiError, ApiResult, ErrorCode, Problem};
use crate::ids::AccountId;
use crate::sessions::throttle;
use crate::sessions::types::{PersonLogin, TokenResponse};

/// Sign in as a supported person
///
/// With the `account_id` from device-code redemption and the PIN or password chosen then.
/// Throttled like `/v1/auth/login`; a PIN has few digits, so the limits matter.
#[utoipa::path(
    tag = "sessions",
    request_body = PersonLogin,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Wrong account or secret", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/person-login")]
pub async fn person_login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<PersonLogin>,
) -> ApiResult<web::Json<TokenResponse>> {
    let PersonLogin { account_id, secret } = body.into_inner();
    let account_key = throttle::account_key(&account_id.to_string());
    let address_key = crate::http::client::address(&req, &state.config.trusted_proxies)
        .map(throttle::address_key);
    let keys: Vec<String> = std::iter::once(account_key.clone())
        .chain(address_key.clone())
        .collect();
    let account = {
        let mut conn = state.conn().await?;
        if let Some(secs) = throttle::blocked_for(&mut conn, &keys).await? {
            return Err(ApiError::too_many(secs));
        }
        accounts::own(&mut conn, AccountId(account_id))
            .await?
            .filter(|a| a.role() == Role::Person)
    };
    let verified = state
        .passwords
        .verify(&secret, account.as_ref().map(|a| a.password_hash.as_str()))
        .await?;
    let mut conn = state.conn().await?;
    match account {
        Some(account) if verified && account.deactivated_at.is_none() => {
            throttle::clear(&mut conn, &account_key).await?;
            Ok(web::Json(
                crate::sessions::sign_in(&state, &mut conn, AccountId(account.id)).await?,
            ))
        }
        _ => {
            throttle::record_sign_in_failure(
                &mut conn,
                &state.config.login_throttle,
                Some(&account_key),
                address_key.as_deref(),
            )
            .await?;
            Err(ApiError::new(ErrorCode::InvalidCredentials))
        }
    }
}
