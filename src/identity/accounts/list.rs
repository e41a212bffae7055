//! `GET /v1/organisations/{organisation_id}/staff`.

use actix_web::{get, web};

use crate::auth::CurrentUser;
use crate::auth::access::{self, OrgAction};
use crate::error::{ApiResult, Problem};
use crate::http::pagination::PageQuery;
use crate::identity::accounts::model;
use crate::identity::accounts::types::{StaffList, StaffMember};
use crate::ids::OrganisationId;
use crate::state::AppState;

/// List staff
///
/// Every member of the organisation may list it; mentors and commissioners see names only.
#[utoipa::path(
    operation_id = "listStaff",
    tag = "staff",
    security(("bearer" = [])),
    params(("organisation_id" = uuid::Uuid, Path), PageQuery),
    responses(
        (status = 200, description = "A page of staff, oldest first", body = StaffList),
        (status = 400, description = "Malformed id, limit or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organisations/{organisation_id}/staff")]
pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<OrganisationId>,
    query: web::Query<PageQuery>,
) -> ApiResult<web::Json<StaffList>> {
    load(&state, &user, path.into_inner(), &query)
        .await
        .map(web::Json)
}

/// A page of them, for the API and the console alike.
pub async fn load(
    state: &AppState,
    user: &CurrentUser,
    organisation: OrganisationId,
    query: &PageQuery,
) -> ApiResult<StaffList> {
    let mut conn = state.conn().await?;
    let user = user.check(&mut conn).await?;
    let org = access::organisation(&user, organisation, OrgAction::ViewStaff)?;
    let page = query.page()?;
    let rows = model::list(&mut conn, &org, page).await?;
    let (rows, next_cursor) = page.finish(rows, |r| r.id);
    let full = access::sees_staff_details(&user);
    Ok(StaffList {
        items: rows
            .into_iter()
            .map(|r| StaffMember::shown(r, full))
            .collect(),
        next_cursor,
    })
}
