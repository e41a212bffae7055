//! `POST /v1/auth/password-reset/confirm`: the emailed code and a new password. The code is
//! checked before any password work, spent atomically, and every session of the account ends.

use actix_web::{HttpRequest, HttpResponse, post, web};
use diesel_async::AsyncConnection;
use secrecy::ExposeSecret;

use crate::auth::codes::code_hash;
use crate::auth::password::Policy;
use crate::auth::session::{RevokeReason, revoke_all};
use crate::error::{ApiError, ApiResult, ErrorCode, Problem};
use crate::identity::accounts::model as accounts;
use crate::identity::recovery::resets;
use crate::identity::recovery::types::ConfirmPasswordReset;
use crate::identity::sessions::throttle;
use crate::ids::AccountId;
use crate::state::AppState;
use crate::trust::audit::model::{self as audit, AuditEvent};

/// Set a new password with an emailed reset code
///
/// Then sign in with it. A wrong, used or expired code gets 409 `reset_token_invalid`; a weak
/// new password gets 400 and leaves the code usable.
#[utoipa::path(
    operation_id = "confirmPasswordReset",
    tag = "sessions",
    request_body = ConfirmPasswordReset,
    responses(
        (status = 204, description = "Password set; every session of the account ended"),
        (status = 400, description = "The new password is too short, too long or too easy to guess", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Wrong, used or expired code (`reset_token_invalid`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts from this address", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "Too busy to hash passwords now", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/auth/password-reset/confirm")]
pub async fn confirm_password_reset(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<ConfirmPasswordReset>,
) -> ApiResult<HttpResponse> {
    let ConfirmPasswordReset { code, new_password } = body.into_inner();
    let hash = code_hash(code.expose_secret());
    let limits = &state.config.login_throttle;
    let code_key = throttle::code(&hash, limits);
    let address_key = throttle::caller(&req, &state.config);
    let (account, email, name) = {
        let mut conn = state.conn().await?;
        let keys: Vec<_> = std::iter::once(&code_key)
            .chain(address_key.as_ref())
            .collect();
        throttle::attempt(&mut conn, limits.window, &keys).await?;
        resets::account_of(&mut conn, &hash)
            .await?
            .ok_or_else(|| ApiError::new(ErrorCode::ResetTokenInvalid))?
    };
    let password_hash = state
        .passwords
        .hash(
            &new_password,
            Policy::Password,
            &[email.as_deref().unwrap_or_default(), &name],
        )
        .await?;
    let mut conn = state.conn().await?;
    conn.transaction(async |conn| {
        if resets::spend(conn, &hash).await? != Some(account) {
            return Err(ApiError::new(ErrorCode::ResetTokenInvalid));
        }
        let account = AccountId(account);
        accounts::set_password_hash(conn, account, &password_hash).await?;
        resets::close_all(conn, account).await?;
        revoke_all(conn, account, None, RevokeReason::PasswordChanged).await?;
        audit::record(
            conn,
            AuditEvent {
                organisation: None,
                person: None,
                actor: Some(account),
                action: crate::trust::audit::Action::AccountPasswordReset,
                subject_type: "account",
                subject_id: Some(account.0),
                details: serde_json::json!({}),
            },
        )
        .await?;
        Ok(())
    })
    .await?;
    throttle::succeeded(&mut conn, limits.window, &code_key, address_key.as_ref()).await?;
    // The password is new: failed sign-ins with the old one no longer count against it.
    if let Some(email) = &email {
        throttle::succeeded(
            &mut conn,
            limits.window,
            &throttle::email(email, limits),
            None,
        )
        .await?;
    }
    Ok(HttpResponse::NoContent().finish())
}
