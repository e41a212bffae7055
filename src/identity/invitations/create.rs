//! `POST /v1/organisations/{organisation_id}/invitations`: an admin invites a colleague.

use actix_web::{HttpResponse, post, web};
use diesel_async::AsyncConnection;

use crate::auth::access::{self, OrgAction};
use crate::auth::{CurrentUser, Role};
use crate::error::{ApiError, ApiResult, Problem, Validator};
use crate::identity::accounts::model::{self as accounts, normalise_email};
use crate::identity::invitations::model::{self, NewInvitationFor};
use crate::identity::invitations::types::{CreateInvitation, Invitation};
use crate::ids::OrganisationId;
use crate::state::AppState;
use crate::trust::audit::model::{self as audit, AuditEvent};

/// Invite a colleague
///
/// The organisation's admins (and platform administrators). The role must exist in this kind
/// of organisation. The code in the response is the only copy: hand it to the invitee.
#[utoipa::path(
    operation_id = "inviteStaff",
    tag = "staff",
    security(("bearer" = [])),
    params(("organisation_id" = uuid::Uuid, Path)),
    request_body = CreateInvitation,
    responses(
        (status = 201, description = "Invitation created", body = Invitation),
        (status = 400, description = "Invalid email, or a role this organisation cannot have", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin of this organisation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The email is already a member of this organisation (`email_taken`); an account elsewhere is not revealed", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`rate_limited`: over the organisation's invitations for today (staff and circle together; `CAMAU_QUOTA_INVITATIONS_PER_DAY`, default 200); `Retry-After` says when the window ends", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds until the quota window ends"))),
    )
)]
#[post("/organisations/{organisation_id}/invitations")]
pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<OrganisationId>,
    body: web::Json<CreateInvitation>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let user = user.check(&mut conn).await?;
    let org = access::organisation(&user, path.into_inner(), OrgAction::ManageStaff)?;
    body.validate()?;
    crate::platform::quotas::take(
        &mut conn,
        &state.config.quotas,
        crate::platform::quotas::Quota::Invitations(org.id().0),
    )
    .await?;
    let (kind, organisation_name) = accounts::organisation_kind(&mut conn, &org)
        .await?
        .ok_or_else(ApiError::not_found)?;
    if !Role::from(body.role).fits(kind) {
        let mut v = Validator::new();
        v.add(
            "/role",
            "role_not_in_organisation",
            "this kind of organisation has no such role",
        );
        v.finish()?;
    }
    let email = normalise_email(&body.email);
    let role = Role::from(body.role);
    let ttl = state.config.invitation_ttl;
    let language = body.language;
    let sealer = &state.sealer;
    let invitation = conn
        .transaction(async move |conn| {
            let invitation = model::create(
                conn,
                NewInvitationFor {
                    organisation: org.id(),
                    organisation_name: &organisation_name,
                    email: &email,
                    role,
                    invited_by: Some(user.account_id),
                    ttl,
                    language,
                    sealer,
                },
            )
            .await?;
            audit::record(
                conn,
                AuditEvent {
                    organisation: Some(org.id()),
                    person: None,
                    actor: Some(user.account_id),
                    action: crate::trust::audit::Action::InvitationCreated,
                    subject_type: "invitation",
                    subject_id: Some(invitation.id),
                    details: serde_json::json!({ "role": role.as_str() }),
                },
            )
            .await?;
            Ok::<_, ApiError>(invitation)
        })
        .await?;
    Ok(HttpResponse::Created().json(invitation))
}
