//! `POST /v1/invitations/accept`: the invitee redeems a code, creating their account.

use actix_web::{HttpResponse, post, web};
use diesel_async::AsyncConnection;
use secrecy::ExposeSecret;

use crate::accounts::model::{self as accounts, NewAccount};
use crate::app::AppState;
use crate::audit::model::{self as audit, AuditEvent};
use crate::auth::password::check_policy;
use crate::auth::roles::Role;
use crate::error::{ApiError, ApiResult, ErrorCode, Problem};
use crate::ids::{AccountId, OrganisationId};
use crate::invitations::model;
use crate::invitations::types::{AcceptInvitation, AcceptedInvitation};

/// Accept an invitation
///
/// No sign-in needed: the code is the credential. Creates the account with the invited email
/// and role and signs it in. A code works once and only until it expires; an unknown, used or
/// expired code answers 409 `invitation_invalid`.
#[utoipa::path(
    tag = "staff",
    request_body = AcceptInvitation,
    responses(
        (status = 201, description = "Account created and signed in", body = AcceptedInvitation),
        (status = 400, description = "Invalid name, or the password is too short, too long or too easy to guess", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Unknown, used or expired code (`invitation_invalid`), or the email has an account already (`email_taken`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/invitations/accept")]
pub async fn accept(
    state: web::Data<AppState>,
    body: web::Json<AcceptInvitation>,
) -> ApiResult<HttpResponse> {
    body.validate()?;
    let AcceptInvitation {
        code,
        name,
        password,
    } = body.into_inner();
    let code = code.expose_secret().to_owned();
    let invitation = {
        let mut conn = state.conn().await?;
        model::open_by_code(&mut conn, &code, false)
            .await?
            .ok_or_else(|| ApiError::new(ErrorCode::InvitationInvalid))?
    };
    check_policy(&password, &[&invitation.email, &name])?;
    let hash = state.passwords.hash(&password).await?;

    let mut conn = state.conn().await?;
    let account = conn
        .transaction(async move |conn| {
                // Locked and checked again: two concurrent redemptions cannot both succeed.
                let invitation = model::open_by_code(conn, &code, true)
                    .await?
                    .ok_or_else(|| ApiError::new(ErrorCode::InvitationInvalid))?;
                let role = Role::parse(&invitation.role).unwrap_or(Role::Mentor);
                let account = accounts::insert(
                    conn,
                    NewAccount {
                        id: AccountId::new().0,
                        organisation_id: Some(invitation.organisation_id),
                        email: Some(&invitation.email),
                        name: &name,
                        role: role.as_str(),
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
                        actor: Some(AccountId(account.id)),
                        action: "invitation.accepted",
                        subject_type: "account",
                        subject_id: Some(account.id),
                        details: serde_json::json!({ "invitation_id": invitation.id, "role": role.as_str() }),
                    },
                )
                .await?;
                Ok::<_, ApiError>(account)
            })
        .await?;
    let tokens = crate::sessions::sign_in(&state, &mut conn, AccountId(account.id)).await?;
    Ok(HttpResponse::Created().json(AcceptedInvitation {
        account: crate::accounts::types::StaffMember::full(account),
        tokens,
    }))
}
