//! `POST /v1/auth/login`: email and password for a token pair.

use actix_web::{HttpRequest, post, web};

use crate::error::{ApiError, ApiResult, ErrorCode, Problem};
use crate::identity::accounts::model as accounts;
use crate::identity::sessions::throttle;
use crate::identity::sessions::types::{LoginRequest, SignedIn};
use crate::ids::AccountId;
use crate::state::AppState;

/// Sign in
///
/// Unknown emails, wrong passwords and deactivated accounts all answer the same 401 in the
/// same time. Every attempt counts against the account and the address before the password is
/// checked; past the limit the answer is 429 with `Retry-After` until the window passes.
#[utoipa::path(
    operation_id = "signIn",
    tag = "sessions",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = SignedIn),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Wrong email or password", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "Too busy to check passwords now", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<LoginRequest>,
) -> ApiResult<web::Json<SignedIn>> {
    let LoginRequest { email, password } = body.into_inner();
    let account = verify(&state, &req, &email, &password).await?;
    let mut conn = state.conn().await?;
    let tokens = crate::identity::sessions::sign_in(&state, &mut conn, account).await?;
    tracing::info!(account_id = %account.0, "signed in");
    Ok(web::Json(tokens))
}

/// The account an email and password name, checked as every password sign-in is (the API's
/// and the console's): the attempt counted first, the same 401 in the same time for every
/// failure, the throttle cleared on success.
pub(crate) async fn verify(
    state: &AppState,
    req: &HttpRequest,
    email: &str,
    password: &secrecy::SecretString,
) -> ApiResult<AccountId> {
    let email = accounts::normalise_email(email);
    let limits = &state.config.login_throttle;
    let account_key = throttle::email(&email, limits);
    let address_key = throttle::caller(req, &state.config);

    let account = {
        let mut conn = state.conn().await?;
        let keys: Vec<_> = std::iter::once(&account_key)
            .chain(address_key.as_ref())
            .collect();
        throttle::attempt(&mut conn, limits.window, &keys).await?;
        accounts::by_email(&mut conn, &email).await?
    };
    // No connection is held while hashing.
    let verified = state
        .passwords
        .verify(password, account.as_ref().map(|a| a.password_hash.as_str()))
        .await?;
    match account {
        Some(account) if verified && account.deactivated_at.is_none() => {
            let mut conn = state.conn().await?;
            throttle::succeeded(&mut conn, limits.window, &account_key, address_key.as_ref())
                .await?;
            Ok(AccountId(account.id))
        }
        _ => Err(ApiError::new(ErrorCode::InvalidCredentials)),
    }
}
