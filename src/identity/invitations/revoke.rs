//! `DELETE /v1/invitations/{invitation_id}`: withdraw a staff invitation sent by mistake or to
//! the wrong address. Its code stops working at once.

use actix_web::{HttpResponse, delete, web};
use diesel_async::AsyncConnection;

use crate::auth::CurrentUser;
use crate::auth::access::{self, OrgAction};
use crate::error::{ApiError, ApiResult, ErrorCode, Problem};
use crate::identity::invitations::model;
use crate::ids::InvitationId;
use crate::state::AppState;
use crate::trust::audit::model::{self as audit, AuditEvent};

/// Withdraw a staff invitation
///
/// Admins of its organisation; open invitations only.
#[utoipa::path(
    operation_id = "revokeInvitation",
    tag = "staff",
    security(("bearer" = [])),
    params(("invitation_id" = uuid::Uuid, Path)),
    responses(
        (status = 204, description = "Withdrawn"),
        (status = 403, description = "Not an admin of its organisation", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such invitation, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already accepted (`conflict`): deactivate the account instead", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/invitations/{invitation_id}")]
pub async fn revoke(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<InvitationId>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let mut conn = state.conn().await?;
    let user = user.check(&mut conn).await?;
    let (org, accepted) = model::organisation_of(&mut conn, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let org = access::organisation(&user, org, OrgAction::ManageStaff)?;
    if accepted {
        // Someone is in: say so, rather than a 404 that looks like success.
        return Err(ApiError::new(ErrorCode::Conflict)
            .with_detail("already accepted: deactivate the account instead"));
    }
    let actor = user.account_id;
    conn.transaction(async move |conn| {
        if !model::revoke(conn, &org, id).await? {
            return Err(ApiError::not_found());
        }
        audit::record(
            conn,
            AuditEvent {
                organisation: Some(org.id()),
                person: None,
                actor: Some(actor),
                action: crate::trust::audit::Action::InvitationRevoked,
                subject_type: "invitation",
                subject_id: Some(id.0),
                details: serde_json::json!({}),
            },
        )
        .await?;
        Ok::<_, ApiError>(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
