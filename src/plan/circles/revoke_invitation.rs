//! `DELETE /v1/people/{person_id}/circle-invitations/{invitation_id}`: withdraw a circle
//! invitation (sent to the wrong address, or the person changed their mind).

use actix_web::{HttpResponse, delete, web};
use diesel_async::AsyncConnection;

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::error::{ApiError, ApiResult, Problem};
use crate::ids::PersonId;
use crate::plan::circles::model;
use crate::plan::people::authorize;
use crate::state::AppState;
use crate::trust::audit::model::{self as audit, AuditEvent};

/// Withdraw a circle invitation
///
/// The person, or staff who work with them; unaccepted invitations only.
#[utoipa::path(
    operation_id = "revokeCircleInvitation",
    tag = "circles",
    security(("bearer" = [])),
    params(("person_id" = uuid::Uuid, Path), ("invitation_id" = uuid::Uuid, Path)),
    responses(
        (status = 204, description = "Withdrawn"),
        (status = 403, description = "Supporters cannot change the circle", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person or open invitation, or not one you may see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Support has ended, or the invitation was already accepted (`conflict`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/people/{person_id}/circle-invitations/{invitation_id}")]
pub async fn revoke_invitation(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(uuid::Uuid, uuid::Uuid)>,
) -> ApiResult<HttpResponse> {
    let (person, invitation) = path.into_inner();
    let mut conn = state.conn().await?;
    let access = authorize(&mut conn, &user, PersonId(person), PersonAction::EditCircle).await?;
    let (scope, actor) = (access.scope, access.actor.account_id);
    conn.transaction(async move |conn| {
        model::revoke_invitation(conn, &scope, invitation)
            .await?
            .into_result("already accepted: remove the member instead")?;
        audit::record(
            conn,
            AuditEvent {
                organisation: Some(scope.id().organisation),
                person: Some(scope.id().person),
                actor: Some(actor),
                action: crate::trust::audit::Action::CircleInvitationRevoked,
                subject_type: "person",
                subject_id: Some(person),
                details: serde_json::json!({ "invitation_id": invitation }),
            },
        )
        .await?;
        Ok::<_, ApiError>(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
