//! `POST /v1/me/email/verification`: mails a code to the signed-in account's address. Until it
//! is confirmed, no password reset goes to that address: a mistyped email must not become a
//! way into the account.

use actix_web::{HttpRequest, HttpResponse, post, web};
use diesel_async::AsyncConnection;

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, ErrorCode, Problem};
use crate::fields::Lang;
use crate::identity::accounts::model as accounts;
use crate::identity::recovery::verifications;
use crate::identity::sessions::throttle;
use crate::platform::mail::{self, MailKind, templates};
use crate::state::AppState;

/// Send me an email verification code
///
/// Mails a single-use code (valid for `CAMAU_PASSWORD_RESET_TTL_MINUTES`) to the account's
/// email, in Welsh and English (this request's `Accept-Language` first). Confirm it at
/// `/v1/me/email/verification/confirm`. `GET /v1/me` says whether the address is verified.
#[utoipa::path(
    operation_id = "requestEmailVerification",
    tag = "sessions",
    security(("bearer" = [])),
    responses(
        (status = 202, description = "A code is on its way"),
        (status = 409, description = "The account has no email (a person's own login)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many codes asked for or tried", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/me/email/verification")]
pub async fn request_email_verification(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let lang = Lang::from_request(&req);
    let mut conn = state.conn().await?;
    let user = user.check(&mut conn).await?;
    let email = accounts::own(&mut conn, user.account_id)
        .await?
        .and_then(|a| a.email)
        .ok_or_else(|| {
            ApiError::new(ErrorCode::Conflict).with_detail("this account has no email")
        })?;
    let limits = &state.config.login_throttle;
    let key = throttle::email_verification(user.account_id, limits);
    throttle::attempt(&mut conn, limits.window, &[&key]).await?;
    let ttl = state.config.password_reset_ttl;
    let (account, sealer) = (user.account_id, &state.sealer);
    conn.transaction(async move |conn| {
        let code = verifications::open(conn, account, &email, ttl).await?;
        let mail = templates::email_verification(&email, lang, &code, ttl.as_secs() / 60);
        mail::enqueue(conn, sealer, MailKind::EmailVerification, &mail).await?;
        Ok::<_, ApiError>(())
    })
    .await?;
    Ok(HttpResponse::Accepted().finish())
}
