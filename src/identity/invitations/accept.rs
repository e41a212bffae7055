//! `POST /v1/invitations/accept`: the invitee redeems a code, creating their account.

use actix_web::{HttpRequest, HttpResponse, post, web};
use diesel_async::AsyncConnection;
use secrecy::ExposeSecret;

use crate::auth::password::Policy;
use crate::error::{ApiError, ApiResult, ErrorCode, Problem};
use crate::identity::accounts::model::{self as accounts, NewAccount};
use crate::identity::invitations::model;
use crate::identity::invitations::types::AcceptInvitation;
use crate::identity::sessions::throttle;
use crate::identity::sessions::types::SignedIn;
use crate::ids::{AccountId, OrganisationId};
use crate::state::AppState;
use crate::trust::audit::model::{self as audit, AuditEvent};

/// Accept an invitation
///
/// No sign-in needed: the code is the credential. Creates the account with the invited email
/// and role and signs it in. A code works once and only until it expires; an unknown, used or
/// expired code answers 409 `invitation_invalid`. Every attempt counts against the address
/// before the code is checked, and the code is checked before any password work.
#[utoipa::path(
    operation_id = "acceptStaffInvitation",
    tag = "staff",
    request_body = AcceptInvitation,
    responses(
        (status = 201, description = "Account created and signed in", body = SignedIn),
        (status = 400, description = "Invalid name, or the password is too short, too long or too easy to guess", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Unknown, used or expired code (`invitation_invalid`), or the email has an account already (`email_taken`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts from this address", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "Too busy to hash passwords now", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/invitations/accept")]
pub async fn accept(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<AcceptInvitation>,
) -> ApiResult<HttpResponse> {
    body.validate()?;
    let AcceptInvitation {
        code,
        name,
        password,
    } = body.into_inner();
    let code = code.expose_secret().to_owned();
    let code_for_refund = code.clone();
    let address_key = throttle::caller(&req, &state.config);
    let invitation = {
        let mut conn = state.conn().await?;
        if let Some(key) = &address_key {
            throttle::attempt(&mut conn, state.config.login_throttle.window, &[key]).await?;
        }
        model::open_by_code(&mut conn, &code, false)
            .await?
            .ok_or_else(|| ApiError::new(ErrorCode::InvitationInvalid))?
    };
    let hash = state
        .passwords
        .hash(&password, Policy::Password, &[&invitation.email, &name])
        .await?;

    let mut conn = state.conn().await?;
    let account = conn
        .transaction(async move |conn| {
                // Locked and checked again: two concurrent redemptions cannot both succeed.
                let invitation = model::open_by_code(conn, &code, true)
                    .await?
                    .ok_or_else(|| ApiError::new(ErrorCode::InvitationInvalid))?;
                let role = invitation.role;
                let account = accounts::insert(
                    conn,
                    NewAccount {
                        id: AccountId::new().0,
                        organisation_id: Some(invitation.organisation_id),
                        email: Some(&invitation.email),
                        name: &name,
                        role,
                        password_hash: &hash,
                    },
                )
                .await
                .map_err(|e| {
                    if accounts::is_email_taken(&e) {
                        ApiError::new(ErrorCode::EmailTaken)
                    } else {
                        e.into()
                    }
                })?;
                model::mark_accepted(conn, invitation.id, AccountId(account.id)).await?;
                audit::record(
                    conn,
                    AuditEvent {
                        organisation: Some(OrganisationId(invitation.organisation_id)),
                        person: None,
                        actor: Some(AccountId(account.id)),
                        action: crate::trust::audit::Action::InvitationAccepted,
                        subject_type: "account",
                        subject_id: Some(account.id),
                        details: serde_json::json!({ "invitation_id": invitation.id, "role": role.as_str() }),
                    },
                )
                .await?;
                Ok::<_, ApiError>(account)
            })
        .await?;
    let limits = &state.config.login_throttle;
    throttle::succeeded(
        &mut conn,
        limits.window,
        &throttle::code(&crate::auth::codes::code_hash(&code_for_refund), limits),
        address_key.as_ref(),
    )
    .await?;
    let signed_in =
        crate::identity::sessions::sign_in(&state, &mut conn, AccountId(account.id)).await?;
    Ok(HttpResponse::Created().json(signed_in))
}
