//! `POST /v1/organisations/{organisation_id}/frameworks`.

use actix_web::{HttpRequest, HttpResponse, post, web};
use diesel_async::AsyncConnection;

use crate::auth::CurrentUser;
use crate::auth::access::{self, OrgAction};
use crate::error::{ApiError, ApiResult, Problem};
use crate::fields::Lang;
use crate::ids::OrganisationId;
use crate::outcomes::frameworks::model;
use crate::outcomes::frameworks::types::{
    CreateFramework, Framework, FrameworkSummary, FrameworkVersion, OutcomeArea,
};
use crate::state::AppState;
use crate::trust::audit::model::{self as audit, AuditEvent};

/// Add the organisation's own framework
///
/// The organisation's admins: a framework of its own (a commissioner's contract outcomes, say)
/// with one version, its areas and their statements. It is the organisation's to use (and,
/// for a commissioning body, its contracted providers'); the seeded frameworks stay read-only.
#[utoipa::path(
    operation_id = "createFramework",
    tag = "frameworks",
    security(("bearer" = [])),
    params(("organisation_id" = uuid::Uuid, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = CreateFramework,
    responses(
        (status = 201, description = "Added", body = Framework, headers(("Location" = String))),
        (status = 400, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin of this organisation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The organisation has a framework with this key", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organisations/{organisation_id}/frameworks")]
pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    path: web::Path<OrganisationId>,
    body: web::Json<CreateFramework>,
) -> ApiResult<HttpResponse> {
    let lang = Lang::from_request(&req);
    let mut conn = state.conn().await?;
    let actor = user.check(&mut conn).await?;
    let org = access::organisation(&actor, path.into_inner(), OrgAction::ManageFrameworks)?;
    body.validate()?;
    let by = actor.account_id;
    let id = conn
        .transaction(async |conn| {
            let id = model::insert_own(conn, &org, &body).await?;
            audit::record(
                conn,
                AuditEvent {
                    organisation: Some(org.id()),
                    person: None,
                    actor: Some(by),
                    action: crate::trust::audit::Action::FrameworkCreated,
                    subject_type: "framework",
                    subject_id: Some(id),
                    details: serde_json::json!({ "key": body.key, "areas": body.areas.len() }),
                },
            )
            .await?;
            Ok::<_, ApiError>(id)
        })
        .await?;
    let row = model::find_visible(&mut conn, id, Some(org.id().0))
        .await?
        .ok_or_else(ApiError::not_found)?;
    let versions = model::versions_of(&mut conn, &[id]).await?;
    let version = versions.first().cloned().ok_or_else(ApiError::not_found)?;
    let (areas, statements) = model::contents(&mut conn, version.id).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/v1/frameworks/{id}")))
        .json(Framework {
            summary: FrameworkSummary::localised(row, versions, lang),
            version: FrameworkVersion::from(version),
            areas: areas
                .into_iter()
                .map(|a| OutcomeArea::localised(a, &statements, lang))
                .collect(),
        }))
}
