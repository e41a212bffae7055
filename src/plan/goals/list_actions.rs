//! `GET /v1/goals/{goal_id}/actions`.

use actix_web::{get, web};

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::error::{ApiResult, Problem};
use crate::http::pagination::PageQuery;
use crate::ids::GoalId;
use crate::plan::goals::types::{Action, ActionList};
use crate::plan::goals::{authorize_goal, model};
use crate::state::AppState;

/// List a goal's actions
#[utoipa::path(
    operation_id = "listActions",
    tag = "goals",
    security(("bearer" = [])),
    params(("goal_id" = uuid::Uuid, Path), PageQuery),
    responses(
        (status = 200, description = "A page of actions, oldest first", body = ActionList),
        (status = 400, description = "Bad limit or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A supporter without the goals grant", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/goals/{goal_id}/actions")]
pub async fn list_actions(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<GoalId>,
    query: web::Query<PageQuery>,
) -> ApiResult<web::Json<ActionList>> {
    let goal = path.into_inner();
    let mut conn = state.conn().await?;
    let access = authorize_goal(&mut conn, &user, goal, PersonAction::ViewGoals).await?;
    let page = query.page()?;
    let rows = model::actions(&mut conn, &access.scope, goal, page).await?;
    let (rows, next_cursor) = page.finish(rows, |r| r.id);
    Ok(web::Json(ActionList {
        items: rows.into_iter().map(Action::from).collect(),
        next_cursor,
    }))
}
