//! `GET /v1/goals/{goal_id}/progress`: distance travelled toward a goal.

use actix_web::{HttpRequest, get, web};

use crate::auth::CurrentUser;
use crate::auth::access::{PersonAction, Relation};
use crate::error::{ApiError, ApiResult, Problem};
use crate::fields::Lang;
use crate::ids::GoalId;
use crate::plan::goals::types::{Progress, ProgressPoint};
use crate::plan::goals::{authorize_goal, model};
use crate::plan::scales::model as scales;
use crate::plan::scales::types::Scale;
use crate::state::AppState;

/// Goal progress
///
/// The goal's ratings review by review: baseline (the first), latest, and the change since
/// the baseline, with labels from its scale in the requested language. Supporters need both
/// the `goals` and `reviews` grants.
#[utoipa::path(
    operation_id = "getGoalProgress",
    tag = "goals",
    security(("bearer" = [])),
    params(("goal_id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "The goal's progress", body = Progress),
        (status = 403, description = "A supporter without the goals and reviews grants", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/goals/{goal_id}/progress")]
pub async fn progress(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    path: web::Path<GoalId>,
) -> ApiResult<web::Json<Progress>> {
    let goal = path.into_inner();
    let mut conn = state.conn().await?;
    let access = authorize_goal(&mut conn, &user, goal, PersonAction::ViewReviews).await?;
    if let Relation::Supporter(g) = access.relation
        && !g.goals
    {
        return Err(ApiError::forbidden());
    }
    let row = model::find(&mut conn, &access.scope, goal)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let scale = scales::by_ids(&mut conn, &[row.scale_id])
        .await?
        .pop()
        .map(|s| Scale::localised(s, Lang::from_request(&req)));
    let ratings: Vec<ProgressPoint> = model::ratings_for_goal(&mut conn, &access.scope, goal)
        .await?
        .into_iter()
        .map(|(review_id, held_on, value, comment)| ProgressPoint {
            review_id,
            held_on,
            value,
            label: scale.as_ref().and_then(|s| s.label_of(value)),
            comment,
        })
        .collect();
    let first = ratings.first();
    let last = ratings.last();
    let change = first.zip(last).map(|(a, b)| b.value - a.value);
    let point = |p: Option<&ProgressPoint>| {
        p.map(|p| ProgressPoint {
            review_id: p.review_id,
            held_on: p.held_on,
            value: p.value,
            label: p.label.clone(),
            comment: p.comment.clone(),
        })
    };
    Ok(web::Json(Progress {
        goal_id: row.id,
        scale_id: row.scale_id,
        baseline: point(first),
        latest: point(last),
        change_since_baseline: change,
        ratings,
    }))
}
