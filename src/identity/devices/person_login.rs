//! `POST /v1/auth/person-login`: a supported person signs in again on their phone with their
//! PIN (or password) and the phone's device key.

use actix_web::{HttpRequest, post, web};
use secrecy::ExposeSecret;

use crate::auth::roles::Role;
use crate::error::{ApiError, ApiResult, ErrorCode, Problem};
use crate::identity::accounts::model as accounts;
use crate::identity::devices::keys as devices;
use crate::identity::devices::types::PersonLogin;
use crate::identity::sessions::throttle;
use crate::identity::sessions::types::SignedIn;
use crate::state::AppState;

/// Sign in as a supported person
///
/// With the `device_key` the phone received when it redeemed a device code, and the PIN or
/// password chosen then. The device key is checked first (no PIN is checked without one);
/// an unknown key and a wrong PIN answer the same 401. Every attempt counts against the
/// address and the account before the PIN is checked: a PIN has few digits, so the limits
/// matter.
#[utoipa::path(
    operation_id = "signInPerson",
    tag = "sessions",
    request_body = PersonLogin,
    responses(
        (status = 200, description = "Signed in", body = SignedIn),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Unknown device or wrong secret", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "Too busy to check PINs now", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/auth/person-login")]
pub async fn person_login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<PersonLogin>,
) -> ApiResult<web::Json<SignedIn>> {
    let PersonLogin { device_key, secret } = body.into_inner();
    let limits = &state.config.login_throttle;
    let address_key = throttle::caller(&req, &state.config);
    let (account, account_key) = {
        let mut conn = state.conn().await?;
        if let Some(key) = &address_key {
            throttle::attempt(&mut conn, limits.window, &[key]).await?;
        }
        let Some(account) = devices::account_for(&mut conn, device_key.expose_secret()).await?
        else {
            return Err(ApiError::new(ErrorCode::InvalidCredentials));
        };
        let account_key = throttle::account_id(account, limits);
        throttle::attempt(&mut conn, limits.window, &[&account_key]).await?;
        let account = accounts::own(&mut conn, account)
            .await?
            .filter(|a| a.role() == Role::Person);
        (account, account_key)
    };
    let verified = state
        .passwords
        .verify(&secret, account.as_ref().map(|a| a.password_hash.as_str()))
        .await?;
    match account {
        Some(account) if verified && account.deactivated_at.is_none() => {
            let mut conn = state.conn().await?;
            throttle::succeeded(&mut conn, limits.window, &account_key, address_key.as_ref())
                .await?;
            Ok(web::Json(
                crate::identity::sessions::sign_in(
                    &state,
                    &mut conn,
                    crate::ids::AccountId(account.id),
                )
                .await?,
            ))
        }
        _ => Err(ApiError::new(ErrorCode::InvalidCredentials)),
    }
}
