//! `POST /v1/organisations/{organisation_id}/contracts`: record that a commissioning body funds
//! a provider.

use actix_web::{HttpResponse, post, web};

use crate::auth::access::{self, PlatformAction};
use crate::auth::{CurrentUser, OrganisationKind};
use crate::error::{ApiError, ApiResult, ErrorCode, Problem, Validator};
use crate::identity::contracts::model;
use crate::identity::contracts::types::{Contract, CreateContract};
use crate::identity::organisations::model as organisations;
use crate::ids::OrganisationId;
use crate::state::AppState;

/// Create a contract
///
/// Platform administrators only. `organisation_id` is the commissioning body.
#[utoipa::path(
    operation_id = "createContract",
    tag = "organisations",
    security(("bearer" = [])),
    params(("organisation_id" = uuid::Uuid, Path, description = "The commissioning body")),
    request_body = CreateContract,
    responses(
        (status = 201, description = "Created", body = Contract),
        (status = 400, description = "Not a commissioning body and a provider, or dates out of order", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a platform administrator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The same contract exists", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organisations/{organisation_id}/contracts")]
pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<OrganisationId>,
    body: web::Json<CreateContract>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let user = user.check(&mut conn).await?;
    let platform = access::platform(&user, PlatformAction::ManageContracts)?;
    let body = body.into_inner();
    let body_id = path.into_inner();
    let commissioner = organisations::own(&mut conn, body_id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let provider = organisations::own(&mut conn, OrganisationId(body.provider_id)).await?;
    let mut v = Validator::new();
    if commissioner.kind() != OrganisationKind::CommissioningBody {
        v.add(
            "/organisation_id",
            "not_a_commissioning_body",
            "must be a commissioning body",
        );
    }
    if provider.map(|p| p.kind()) != Some(OrganisationKind::Provider) {
        v.add(
            "/provider_id",
            "not_a_provider",
            "must be a provider organisation",
        );
    }
    if body.ends_on.is_some_and(|end| end < body.starts_on) {
        v.add("/ends_on", "before_start", "must not be before starts_on");
    }
    v.finish()?;
    let row = model::insert(
        &mut conn,
        &platform,
        body_id,
        OrganisationId(body.provider_id),
        body.starts_on,
        body.ends_on,
    )
    .await
    .map_err(|e| {
        if model::is_duplicate(&e) {
            ApiError::new(ErrorCode::Conflict).with_detail("this contract exists already")
        } else {
            e.into()
        }
    })?;
    Ok(HttpResponse::Created().json(Contract::from(row)))
}
