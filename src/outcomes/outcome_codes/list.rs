//! `GET /v1/goals/{goal_id}/codes`.

use actix_web::{HttpRequest, get, web};

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::error::{ApiResult, Problem};
use crate::fields::Lang;
use crate::ids::GoalId;
use crate::outcomes::outcome_codes::model;
use crate::outcomes::outcome_codes::types::{GoalCode, GoalCodeList};
use crate::plan::goals::authorize_goal;
use crate::state::AppState;

/// A goal's outcome codes
///
/// Staff and the person. Labels follow `Accept-Language`.
#[utoipa::path(
    operation_id = "listGoalCodes",
    tag = "frameworks",
    security(("bearer" = [])),
    params(("goal_id" = uuid::Uuid, Path), ("Accept-Language" = Option<String>, Header, example = "cy")),
    responses(
        (status = 200, description = "The current codes", body = GoalCodeList),
        (status = 403, description = "Supporters do not see outcome codes", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/goals/{goal_id}/codes")]
pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    path: web::Path<GoalId>,
) -> ApiResult<web::Json<GoalCodeList>> {
    let lang = Lang::from_request(&req);
    let goal = path.into_inner();
    let mut conn = state.conn().await?;
    let access = authorize_goal(&mut conn, &user, goal, PersonAction::ViewOutcomeCodes).await?;
    let rows = model::codes(&mut conn, &access.scope, goal, None).await?;
    Ok(web::Json(GoalCodeList {
        items: rows
            .into_iter()
            .map(|r| GoalCode::localised(r, lang))
            .collect(),
    }))
}
