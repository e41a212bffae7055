//! `PATCH /v1/organisations/{organisation_id}`.

use actix_web::{patch, web};

use crate::auth::CurrentUser;
use crate::auth::access::{self, OrgAction};
use crate::error::{ApiError, ApiResult, ErrorCode, Problem};
use crate::identity::organisations::model;
use crate::identity::organisations::types::{Organisation, RetentionDue, UpdateOrganisation};
use crate::ids::OrganisationId;
use crate::state::AppState;
use crate::trust::audit::model::{self as audit, AuditEvent};
use diesel_async::AsyncConnection;

/// Change an organisation's settings
///
/// Its admins: the default framework of its dashboard and reports (Wales's National Outcomes
/// Framework until changed), the smallest count its outcome reports show, and how long a
/// person's record is kept after their support ends. A shorter retention period takes effect
/// only 30 days later (the one it replaces holds until then), and the answer lists who it
/// would erase then (`retention_would_erase`): time to check, place holds or change it back.
/// A longer one, or none, applies at once. Setting the same values again changes nothing.
#[utoipa::path(
    operation_id = "updateOrganisation",
    tag = "organisations",
    security(("bearer" = [])),
    params(("organisation_id" = uuid::Uuid, Path)),
    request_body = UpdateOrganisation,
    responses(
        (status = 200, description = "The organisation as it is now", body = Organisation),
        (status = 400, description = "Malformed body, a threshold out of range, or nothing to change", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin of this organisation", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A framework the organisation may not use (`invalid_reference`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/organisations/{organisation_id}")]
pub async fn update(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<OrganisationId>,
    body: web::Json<UpdateOrganisation>,
) -> ApiResult<web::Json<Organisation>> {
    let mut conn = state.conn().await?;
    let actor = user.check(&mut conn).await?;
    let org = access::organisation(&actor, path.into_inner(), OrgAction::ManageFrameworks)?;
    body.validate()?;
    let framework = body.default_framework_id.flatten();
    let threshold = body.report_threshold;
    let retention = body.retention_months;
    if let Some(framework) = framework
        && crate::outcomes::frameworks::model::find_visible(&mut conn, framework, Some(org.id().0))
            .await?
            .is_none()
    {
        return Err(ApiError::new(ErrorCode::InvalidReference)
            .with_detail("no such framework among those this organisation may use"));
    }
    let by = actor.account_id;
    let row = conn
        .transaction(async |conn| {
            let row = model::update_settings(conn, &org, framework, threshold, retention).await?;
            audit::record(
                conn,
                AuditEvent {
                    organisation: Some(org.id()),
                    person: None,
                    actor: Some(by),
                    action: crate::trust::audit::Action::OrganisationUpdated,
                    subject_type: "organisation",
                    subject_id: Some(org.id().0),
                    details: serde_json::json!({
                        "default_framework_id": framework,
                        "report_threshold": threshold,
                        "retention_months": retention,
                    }),
                },
            )
            .await?;
            Ok::<_, ApiError>(row)
        })
        .await?;
    // A shortening waits out its grace period: the answer says who it would erase then.
    let would_erase = match (row.retention_months, row.retention_effective_at) {
        (Some(months), Some(at)) if retention.is_some() && at > time::OffsetDateTime::now_utc() => {
            let due = crate::trust::retention::would_erase(&mut conn, &org, months, at).await?;
            Some(
                due.into_iter()
                    .map(|d| RetentionDue {
                        person_id: d.person_id,
                        support_ended_on: d.support_ended_on,
                        held: d.held,
                    })
                    .collect(),
            )
        }
        _ => None,
    };
    let mut answer = Organisation::from(row);
    answer.retention_would_erase = would_erase;
    Ok(web::Json(answer))
}
