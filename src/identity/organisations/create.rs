//! `POST /v1/organisations`: the platform operator creates an organisation and invites its
//! first admin.

use actix_web::{HttpResponse, post, web};
use diesel_async::AsyncConnection;

use crate::auth::CurrentUser;
use crate::auth::access::{self, PlatformAction};
use crate::error::{ApiResult, Problem};
use crate::identity::accounts::model::normalise_email;
use crate::identity::invitations::model as invitations;
use crate::identity::organisations::model::{self, NewOrganisation};
use crate::identity::organisations::types::{CreateOrganisation, CreatedOrganisation};
use crate::ids::OrganisationId;
use crate::state::AppState;
use crate::trust::audit::model::{self as audit, AuditEvent};

/// Create an organisation
///
/// Platform administrators only. Returns the organisation and a single-use invitation code for
/// its first admin, valid for the configured time (72 hours by default).
#[utoipa::path(
    operation_id = "createOrganisation",
    tag = "organisations",
    security(("bearer" = [])),
    request_body = CreateOrganisation,
    responses(
        (status = 201, description = "Created", body = CreatedOrganisation),
        (status = 400, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a platform administrator", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The first admin's email already has an account", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organisations")]
pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<CreateOrganisation>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let user = user.check(&mut conn).await?;
    access::platform(&user, PlatformAction::CreateOrganisation)?;
    body.validate()?;
    let body = body.into_inner();
    let email = normalise_email(&body.first_admin_email);
    let ttl = state.config.invitation_ttl;
    let sealer = &state.sealer;
    let created = conn
        .transaction(async move |conn| {
            let org = model::insert(
                conn,
                NewOrganisation {
                    id: OrganisationId::new().0,
                    name: &body.name,
                    kind: body.kind,
                },
            )
            .await?;
            let org_id = OrganisationId(org.id);
            let invitation = invitations::create(
                conn,
                invitations::NewInvitationFor {
                    organisation: org_id,
                    organisation_name: &org.name,
                    email: &email,
                    role: body.kind.first_role(),
                    invited_by: Some(user.account_id),
                    ttl,
                    language: body.first_admin_language,
                    sealer,
                },
            )
            .await?;
            audit::record(
                conn,
                AuditEvent {
                    organisation: Some(org_id),
                    person: None,
                    actor: Some(user.account_id),
                    action: crate::trust::audit::Action::OrganisationCreated,
                    subject_type: "organisation",
                    subject_id: Some(org.id),
                    details: serde_json::json!({ "kind": body.kind.as_str() }),
                },
            )
            .await?;
            Ok::<_, crate::error::ApiError>(CreatedOrganisation {
                organisation: org.into(),
                invitation,
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(created))
}
