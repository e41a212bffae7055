//! `DELETE /v1/circle-members/{member_id}`: take someone out of the circle.

use actix_web::{HttpResponse, delete, web};
use diesel_async::AsyncConnection;

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::error::{ApiError, ApiResult, Problem};
use crate::ids::CircleMemberId;
use crate::plan::circles::{authorize_member, model};
use crate::state::AppState;
use crate::trust::audit::model::{self as audit, AuditEvent};

/// Remove a circle member
///
/// The person, or staff who work with them. The supporter loses all access on their very
/// next request, even with a token that has not expired.
#[utoipa::path(
    operation_id = "removeCircleMember",
    tag = "circles",
    security(("bearer" = [])),
    params(("member_id" = uuid::Uuid, Path)),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "Supporters cannot change the circle", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Support has ended", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/circle-members/{member_id}")]
pub async fn remove(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<CircleMemberId>,
) -> ApiResult<HttpResponse> {
    let member = path.into_inner();
    let mut conn = state.conn().await?;
    let access = authorize_member(&mut conn, &user, member, PersonAction::EditCircle).await?;
    let scope = access.scope;
    let actor = access.actor.account_id;
    conn.transaction(async move |conn| {
        let Some(relationship) = model::remove(conn, &scope, member).await? else {
            return Err(ApiError::not_found());
        };
        audit::record(
            conn,
            AuditEvent {
                organisation: Some(scope.id().organisation),
                person: Some(scope.id().person),
                actor: Some(actor),
                action: crate::trust::audit::Action::CircleMemberRemoved,
                subject_type: "circle_member",
                subject_id: Some(member.0),
                // Who they were, without their name or contact details.
                details: serde_json::json!({
                    "person_id": scope.id().person,
                    "relationship": relationship,
                }),
            },
        )
        .await?;
        Ok::<_, ApiError>(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
