//! `GET /v1/organisations`: every organisation, for the platform operator.

use actix_web::{get, web};

use crate::auth::CurrentUser;
use crate::auth::access::{self, PlatformAction};
use crate::error::{ApiResult, Problem};
use crate::http::pagination::PageQuery;
use crate::identity::organisations::model;
use crate::identity::organisations::types::OrganisationList;
use crate::state::AppState;

/// List organisations
///
/// Platform administrators only.
#[utoipa::path(
    operation_id = "listOrganisations",
    tag = "organisations",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of organisations", body = OrganisationList),
        (status = 400, description = "Bad limit or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a platform administrator", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organisations")]
pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<PageQuery>,
) -> ApiResult<web::Json<OrganisationList>> {
    let mut conn = state.conn().await?;
    let user = user.check(&mut conn).await?;
    let platform = access::platform(&user, PlatformAction::ListOrganisations)?;
    let page = query.page()?;
    let rows = model::list(&mut conn, &platform, page).await?;
    let (rows, next_cursor) = page.finish(rows, |r| r.id);
    Ok(web::Json(OrganisationList {
        items: rows.into_iter().map(Into::into).collect(),
        next_cursor,
    }))
}
