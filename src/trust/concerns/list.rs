//! `GET /v1/organisations/{organisation_id}/concerns`.

use actix_web::{get, web};

use crate::auth::CurrentUser;
use crate::auth::access::{self, OrgAction};
use crate::error::{ApiResult, Problem};
use crate::http::pagination::PageQuery;
use crate::ids::OrganisationId;
use crate::state::AppState;
use crate::trust::concerns::model;
use crate::trust::concerns::types::{ConcernList, ConcernQuery, ConcernStatus};

/// List safeguarding concerns
///
/// The organisation's safeguarding leads (staff whom an admin has flagged). Open concerns by
/// default, newest first, with the words of the item each is about.
#[utoipa::path(
    operation_id = "listConcerns",
    tag = "safeguarding",
    security(("bearer" = [])),
    params(("organisation_id" = uuid::Uuid, Path), ConcernQuery),
    responses(
        (status = 200, description = "A page of concerns", body = ConcernList),
        (status = 400, description = "Bad status, cursor or limit", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a safeguarding lead", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not your organisation", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organisations/{organisation_id}/concerns")]
pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<OrganisationId>,
    query: web::Query<ConcernQuery>,
) -> ApiResult<web::Json<ConcernList>> {
    let mut conn = state.conn().await?;
    let actor = user.check(&mut conn).await?;
    let org = access::organisation(&actor, path.into_inner(), OrgAction::HandleConcerns)?;
    let query = query.into_inner();
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    }
    .page()?;
    let status = Some(query.status.unwrap_or(ConcernStatus::Open));
    let rows = model::list(&mut conn, &org, status, None, page).await?;
    let (items, next_cursor) = page.finish(rows, |c| c.id);
    Ok(web::Json(ConcernList { items, next_cursor }))
}
