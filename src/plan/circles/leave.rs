//! `DELETE /v1/me/circles/{member_id}`: a supporter leaves a circle. Their access ends on their
//! next request, as when the person removes them.

use actix_web::{HttpResponse, delete, web};
use diesel_async::AsyncConnection;

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, Problem};
use crate::ids::{CircleMemberId, OrganisationId};
use crate::plan::circles::model;
use crate::state::AppState;
use crate::trust::audit::model::{self as audit, AuditEvent};

/// Leave a circle
///
/// The supporter's own membership only: any other id answers 404.
#[utoipa::path(
    operation_id = "leaveCircle",
    tag = "circles",
    security(("bearer" = [])),
    params(("member_id" = uuid::Uuid, Path, description = "The `member_id` from `GET /v1/me/circles`")),
    responses(
        (status = 204, description = "Left the circle"),
        (status = 404, description = "Not a circle you are in", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/me/circles/{member_id}")]
pub async fn leave(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<CircleMemberId>,
) -> ApiResult<HttpResponse> {
    let member = path.into_inner();
    let mut conn = state.conn().await?;
    let actor = user.check(&mut conn).await?.account_id;
    conn.transaction(async move |conn| {
        let (person, organisation, relationship) = model::leave(conn, actor, member)
            .await?
            .ok_or_else(ApiError::not_found)?;
        audit::record(
            conn,
            AuditEvent {
                organisation: Some(OrganisationId(organisation)),
                person: Some(crate::ids::PersonId(person)),
                actor: Some(actor),
                action: crate::trust::audit::Action::CircleMemberLeft,
                subject_type: "circle_member",
                subject_id: Some(member.0),
                details: serde_json::json!({ "person_id": person, "relationship": relationship }),
            },
        )
        .await?;
        Ok::<_, ApiError>(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
