//! `GET /v1/organisations/{organisation_id}`.

use actix_web::{get, web};

use crate::auth::CurrentUser;
use crate::auth::access::{self, OrgAction};
use crate::error::{ApiError, ApiResult, Problem};
use crate::identity::organisations::model;
use crate::identity::organisations::types::Organisation;
use crate::ids::OrganisationId;
use crate::state::AppState;

/// Get an organisation
///
/// Its own members and platform administrators; anyone else gets 404.
#[utoipa::path(
    operation_id = "getOrganisation",
    tag = "organisations",
    security(("bearer" = [])),
    params(("organisation_id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "The organisation", body = Organisation),
        (status = 400, description = "Malformed id", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organisations/{organisation_id}")]
pub async fn get(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<OrganisationId>,
) -> ApiResult<web::Json<Organisation>> {
    let mut conn = state.conn().await?;
    let user = user.check(&mut conn).await?;
    let org = access::organisation(&user, path.into_inner(), OrgAction::View)?;
    let row = model::find(&mut conn, &org)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(web::Json(row.into()))
}
