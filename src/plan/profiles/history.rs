//! `GET /v1/people/{person_id}/profile/history`: who changed what and when.

use actix_web::{get, web};

use crate::auth::CurrentUser;
use crate::auth::access::{PersonAction, Relation};
use crate::error::{ApiError, ApiResult, Problem};
use crate::http::pagination::PageQuery;
use crate::ids::PersonId;
use crate::plan::people::authorize;
use crate::plan::profiles::model;
use crate::plan::profiles::types::{ProfileHistory, ProfileSection};
use crate::state::AppState;

/// Profile history
///
/// Every saved version of every section, newest first. Staff who work with the person and
/// the person only.
#[utoipa::path(
    operation_id = "listProfileHistory",
    tag = "profiles",
    security(("bearer" = [])),
    params(("person_id" = uuid::Uuid, Path), PageQuery),
    responses(
        (status = 200, description = "A page of versions", body = ProfileHistory),
        (status = 400, description = "Bad limit or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Supporters do not see the history", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/people/{person_id}/profile/history")]
pub async fn history(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<PersonId>,
    query: web::Query<PageQuery>,
) -> ApiResult<web::Json<ProfileHistory>> {
    let mut conn = state.conn().await?;
    let access = authorize(
        &mut conn,
        &user,
        path.into_inner(),
        PersonAction::ViewProfileHistory,
    )
    .await?;
    if matches!(access.relation, Relation::Supporter(_)) {
        return Err(ApiError::forbidden());
    }
    let page = query.page()?;
    let rows = model::history(&mut conn, &access.scope, page).await?;
    let (rows, next_cursor) = page.finish(rows, |(r, _)| r.id);
    Ok(web::Json(ProfileHistory {
        items: rows
            .into_iter()
            .map(|(row, name)| ProfileSection::from_row(row, name))
            .collect(),
        next_cursor,
    }))
}
