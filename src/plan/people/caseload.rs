//! `GET /v1/me/caseload`: the people assigned to the signed-in member of staff.

use actix_web::{get, web};

use crate::auth::CurrentUser;
use crate::auth::access::{self, Relation};
use crate::error::{ApiResult, Problem};
use crate::http::pagination::PageQuery;
use crate::plan::people::model;
use crate::plan::people::types::{Person, PersonList};
use crate::state::AppState;

/// My caseload
///
/// The people the caller is assigned to as mentor (for any staff role).
#[utoipa::path(
    operation_id = "listCaseload",
    tag = "people",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of people, oldest first", body = PersonList),
        (status = 400, description = "Bad limit or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff of a provider", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Commissioners never reach person-level data", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/caseload")]
pub async fn caseload(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<PageQuery>,
) -> ApiResult<web::Json<PersonList>> {
    let mut conn = state.conn().await?;
    let user = user.check(&mut conn).await?;
    let org = access::people_of_organisation(&user, false)?;
    let page = query.page()?;
    let rows = model::list(&mut conn, &org, Some(user.account_id), None, None, page).await?;
    let (rows, next_cursor) = page.finish(rows, |r| r.id);
    Ok(web::Json(PersonList {
        items: rows
            .into_iter()
            .map(|r| Person::shown(r, Relation::Staff(user.role)))
            .collect(),
        next_cursor,
    }))
}
