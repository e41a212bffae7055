//! `GET /v1/people/{person_id}/circle`.

use actix_web::{get, web};

use crate::auth::CurrentUser;
use crate::auth::access::{PersonAction, Relation};
use crate::error::{ApiResult, Problem};
use crate::http::pagination::PageQuery;
use crate::ids::PersonId;
use crate::plan::circles::model;
use crate::plan::circles::types::{Circle, Member};
use crate::plan::people::authorize;
use crate::state::AppState;

/// The circle of support
///
/// Staff who work with the person and the person see every member; a supporter sees their
/// own membership only.
#[utoipa::path(
    operation_id = "listCircleMembers",
    tag = "circles",
    security(("bearer" = [])),
    params(("person_id" = uuid::Uuid, Path), PageQuery),
    responses(
        (status = 200, description = "A page of the circle, oldest member first", body = Circle),
        (status = 400, description = "Bad limit or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/people/{person_id}/circle")]
pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<PersonId>,
    query: web::Query<PageQuery>,
) -> ApiResult<web::Json<Circle>> {
    let mut conn = state.conn().await?;
    let access = authorize(
        &mut conn,
        &user,
        path.into_inner(),
        PersonAction::ViewCircle,
    )
    .await?;
    let only = match access.relation {
        Relation::Supporter(g) => Some(g.member),
        _ => None,
    };
    let page = query.page()?;
    let rows = model::list(&mut conn, &access.scope, only, page).await?;
    let (rows, next_cursor) = page.finish(rows, |r| r.id);
    Ok(web::Json(Circle {
        person_id: access.scope.id().person.0,
        items: rows.into_iter().map(Member::from).collect(),
        next_cursor,
    }))
}
