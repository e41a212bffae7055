//! `DELETE /v1/people/{person_id}/device-codes/{device_code_id}`: withdraw a device code (handed
//! to the wrong phone, or not needed). It stops working at once.

use actix_web::{HttpResponse, delete, web};
use diesel_async::AsyncConnection;

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::error::{ApiError, ApiResult, Problem};
use crate::ids::PersonId;
use crate::plan::people::{authorize, model};
use crate::state::AppState;
use crate::trust::audit::model::{self as audit, AuditEvent};

/// Withdraw a device code
///
/// Staff who work with the person; unredeemed codes only.
#[utoipa::path(
    operation_id = "revokeDeviceCode",
    tag = "people",
    security(("bearer" = [])),
    params(("person_id" = uuid::Uuid, Path), ("device_code_id" = uuid::Uuid, Path)),
    responses(
        (status = 204, description = "Withdrawn"),
        (status = 403, description = "Not staff working with this person", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person or open code, or not one you may see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Support has ended, or the code was already redeemed (`conflict`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/people/{person_id}/device-codes/{device_code_id}")]
pub async fn revoke_device_code(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(uuid::Uuid, uuid::Uuid)>,
) -> ApiResult<HttpResponse> {
    let (person, code) = path.into_inner();
    let mut conn = state.conn().await?;
    let access = authorize(
        &mut conn,
        &user,
        PersonId(person),
        PersonAction::IssueDeviceCode,
    )
    .await?;
    let (scope, actor) = (access.scope, access.actor.account_id);
    conn.transaction(async move |conn| {
        model::revoke_device_code(conn, &scope, code)
            .await?
            .into_result("already redeemed: the person is signed in on that phone")?;
        audit::record(
            conn,
            AuditEvent {
                organisation: Some(scope.id().organisation),
                person: Some(scope.id().person),
                actor: Some(actor),
                action: crate::trust::audit::Action::PersonDeviceCodeRevoked,
                subject_type: "person",
                subject_id: Some(person),
                details: serde_json::json!({ "device_code_id": code }),
            },
        )
        .await?;
        Ok::<_, ApiError>(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
