//! `POST /v1/auth/login`: email and password for a token pair.

use actix_web::{HttpRequest, post, web};

use crate::accounts::model as accounts;
use crate::app::AppState;
use crate::error::{ApiError, ApiResult, ErrorCode, Problem};
use crate::sessions::throttle;
use crate::sessions::types::{LoginRequest, TokenResponse};

/// Sign in
///
/// Unknown emails, wrong passwords and deactivated accounts all answer the same 401 in the
/// same time. Too many failures for one account or from one address answer 429 with
/// `Retry-After` until the window passes.
#[utoipa::path(
    tag = "sessions",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Wrong email or password", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<LoginRequest>,
) -> ApiResult<web::Json<TokenResponse>> {
    let LoginRequest { email, password } = body.into_inner();
    let email = accounts::normalise_email(&email);
    let account_key = throttle::account_key(&email);
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
        accounts::by_email(&mut conn, &email).await?
    };
    // No connection is held while hashing.
    let verified = state
        .passwords
        .verify(
            &password,
            account.as_ref().map(|a| a.password_hash.as_str()),
        )
        .await?;

    let mut conn = state.conn().await?;
    match account {
        Some(account) if verified && account.deactivated_at.is_none() => {
            throttle::clear(&mut conn, &account_key).await?;
            let tokens =
                crate::sessions::sign_in(&state, &mut conn, crate::ids::AccountId(account.id))
                    .await?;
            tracing::info!(account_id = %account.id, "signed in");
            Ok(web::Json(tokens))
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
