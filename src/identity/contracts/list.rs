//! `GET /v1/organisations/{organisation_id}/contracts`.

use actix_web::{get, web};

use crate::auth::CurrentUser;
use crate::auth::access::{self, OrgAction};
use crate::error::{ApiResult, Problem};
use crate::http::pagination::PageQuery;
use crate::identity::contracts::model;
use crate::identity::contracts::types::ContractList;
use crate::ids::OrganisationId;
use crate::state::AppState;

/// List an organisation's contracts
///
/// The organisation's admins and platform administrators; contracts where it is either party.
#[utoipa::path(
    operation_id = "listContracts",
    tag = "organisations",
    security(("bearer" = [])),
    params(("organisation_id" = uuid::Uuid, Path), PageQuery),
    responses(
        (status = 200, description = "A page of contracts", body = ContractList),
        (status = 400, description = "Malformed id, limit or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin of this organisation", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organisations/{organisation_id}/contracts")]
pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<OrganisationId>,
    query: web::Query<PageQuery>,
) -> ApiResult<web::Json<ContractList>> {
    let mut conn = state.conn().await?;
    let user = user.check(&mut conn).await?;
    let org = access::organisation(&user, path.into_inner(), OrgAction::ViewContracts)?;
    let page = query.page()?;
    let rows = model::list(&mut conn, &org, page).await?;
    let (rows, next_cursor) = page.finish(rows, |r| r.id);
    Ok(web::Json(ContractList {
        items: rows.into_iter().map(Into::into).collect(),
        next_cursor,
    }))
}
