//! `GET /v1/people/{person_id}/goals`.

use actix_web::{get, web};

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::error::{ApiResult, Problem};
use crate::http::pagination::PageQuery;
use crate::ids::PersonId;
use crate::plan::goals::model;
use crate::plan::goals::types::{Goal, GoalList};
use crate::plan::people::authorize;
use crate::state::AppState;

/// List a person's goals
///
/// Staff who work with the person, the person, and supporters with the `goals` grant.
#[utoipa::path(
    operation_id = "listGoals",
    tag = "goals",
    security(("bearer" = [])),
    params(("person_id" = uuid::Uuid, Path), PageQuery),
    responses(
        (status = 200, description = "A page of goals, oldest first", body = GoalList),
        (status = 400, description = "Bad limit or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A supporter without the goals grant", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/people/{person_id}/goals")]
pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<PersonId>,
    query: web::Query<PageQuery>,
) -> ApiResult<web::Json<GoalList>> {
    load(&state, &user, path.into_inner(), &query)
        .await
        .map(web::Json)
}

/// A page of them, for the API and the console alike.
pub async fn load(
    state: &AppState,
    user: &CurrentUser,
    person: PersonId,
    query: &PageQuery,
) -> ApiResult<GoalList> {
    let mut conn = state.conn().await?;
    let access = authorize(&mut conn, user, person, PersonAction::ViewGoals).await?;
    let page = query.page()?;
    let rows = model::list(&mut conn, &access.scope, page).await?;
    let (rows, next_cursor) = page.finish(rows, |r| r.id);
    Ok(GoalList {
        items: rows.into_iter().map(|r| Goal::from_row(r, None)).collect(),
        next_cursor,
    })
}
