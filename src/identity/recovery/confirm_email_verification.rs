//! `POST /v1/me/email/verification/confirm`: the mailed code proves the account reads mail at
//! its address.

use actix_web::{HttpResponse, post, web};
use diesel_async::AsyncConnection;
use secrecy::ExposeSecret;

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, ErrorCode, Problem};
use crate::identity::accounts::model as accounts;
use crate::identity::recovery::types::ConfirmEmailVerification;
use crate::identity::recovery::verifications;
use crate::identity::sessions::throttle;
use crate::state::AppState;
use crate::trust::audit::model::{self as audit, AuditEvent};

/// Confirm my email address
///
/// With the code mailed by `POST /v1/me/email/verification`, for the account's current email.
#[utoipa::path(
    operation_id = "confirmEmailVerification",
    tag = "sessions",
    security(("bearer" = [])),
    request_body = ConfirmEmailVerification,
    responses(
        (status = 204, description = "The email address is verified"),
        (status = 409, description = "Wrong, used or expired code (`verification_code_invalid`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many codes asked for or tried", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/me/email/verification/confirm")]
pub async fn confirm_email_verification(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<ConfirmEmailVerification>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let user = user.check(&mut conn).await?;
    let limits = &state.config.login_throttle;
    let key = throttle::email_verification(user.account_id, limits);
    throttle::attempt(&mut conn, limits.window, &[&key]).await?;
    let account_row = accounts::own(&mut conn, user.account_id)
        .await?
        .ok_or_else(ApiError::unauthenticated)?;
    let already = account_row.email_verified_at.is_some();
    let email = account_row
        .email
        .ok_or_else(|| ApiError::new(ErrorCode::VerificationCodeInvalid))?;
    let (account, organisation) = (user.account_id, user.organisation_id());
    let code = body.into_inner().code;
    conn.transaction(async move |conn| {
        if !verifications::confirm(conn, account, &email, code.expose_secret()).await? {
            // A retry after a lost answer finds its code spent and the address verified.
            return if already {
                Ok(false)
            } else {
                Err(ApiError::new(ErrorCode::VerificationCodeInvalid))
            };
        }
        audit::record(
            conn,
            AuditEvent {
                organisation,
                person: None,
                actor: Some(account),
                action: crate::trust::audit::Action::AccountEmailVerified,
                subject_type: "account",
                subject_id: Some(account.0),
                details: serde_json::json!({}),
            },
        )
        .await?;
        Ok(true)
    })
    .await?;
    throttle::succeeded(&mut conn, limits.window, &key, None).await?;
    Ok(HttpResponse::NoContent().finish())
}
