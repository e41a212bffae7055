//! `POST /v1/auth/password-reset`: a forgotten password. The answer is the same whether or not
//! the email has an account, so it tells an anonymous caller nothing; when it has, a code goes
//! to that address by email.

use actix_web::{HttpRequest, HttpResponse, post, web};
use diesel_async::AsyncConnection;

use crate::auth::Role;
use crate::error::{ApiError, ApiResult, Problem};
use crate::fields::Lang;
use crate::identity::accounts::model as accounts;
use crate::identity::recovery::resets;
use crate::identity::recovery::types::PasswordResetRequest;
use crate::identity::sessions::throttle;
use crate::ids::AccountId;
use crate::platform::mail::{self, MailKind, templates};
use crate::state::AppState;

/// Ask for a password reset
///
/// Always 202. If the email belongs to an active account that has verified it
/// (`POST /v1/me/email/verification`), a single-use code (valid for
/// `CAMAU_PASSWORD_RESET_TTL_MINUTES`, 30 by default) is emailed to it, in Welsh and English
/// (the `Accept-Language` of this request first); asking again replaces the earlier code.
/// Trade the code at `/v1/auth/password-reset/confirm`.
#[utoipa::path(
    operation_id = "requestPasswordReset",
    tag = "sessions",
    request_body = PasswordResetRequest,
    responses(
        (status = 202, description = "If the email has an account, a code is on its way"),
        (status = 400, description = "Not an email address", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests for this email or from this address", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/auth/password-reset")]
pub async fn request_password_reset(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<PasswordResetRequest>,
) -> ApiResult<HttpResponse> {
    body.validate()?;
    let email = accounts::normalise_email(&body.email);
    let lang = Lang::from_request(&req);
    let limits = &state.config.login_throttle;
    let email_key = throttle::reset_email(&email, limits);
    let address_key = throttle::caller(&req, &state.config);
    let mut conn = state.conn().await?;
    let keys: Vec<_> = std::iter::once(&email_key)
        .chain(address_key.as_ref())
        .collect();
    throttle::attempt(&mut conn, limits.window, &keys).await?;
    // Only to an address the account proved it reads (a mistyped email must not become a way
    // in); platform operators recover through the command line, never by email.
    let account = accounts::by_email(&mut conn, &email).await?.filter(|a| {
        a.deactivated_at.is_none()
            && a.email_verified_at.is_some()
            && a.role() != Role::PlatformAdmin
    });
    let ttl = state.config.password_reset_ttl;
    let sealer = &state.sealer;
    let account_id = account.as_ref().map(|a| a.id);
    // Both paths commit one transaction that writes to the outbox, so the answer takes about as
    // long whether or not the email has an account: only the mail differs.
    conn.transaction(async move |conn| {
        match account {
            Some(account) => {
                let code = resets::open(conn, AccountId(account.id), ttl).await?;
                let mail = templates::password_reset(&email, lang, &code, ttl.as_secs() / 60);
                mail::enqueue(conn, sealer, MailKind::PasswordReset, &mail).await?;
            }
            None => {
                mail::record_unsent(conn, MailKind::PasswordReset, "no verified account").await?
            }
        }
        Ok::<_, ApiError>(())
    })
    .await?;
    if let Some(id) = account_id {
        tracing::info!(account_id = %id, "password reset mailed");
    }
    Ok(HttpResponse::Accepted().finish())
}
