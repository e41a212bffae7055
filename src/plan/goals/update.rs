//! `PATCH /v1/goals/{goal_id}`: reword a goal or change its status.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, patch, web};
use diesel_async::AsyncConnection;

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::error::{ApiError, ApiResult, ErrorCode, Problem};
use crate::http::etag::{etag, require_if_match};
use crate::ids::GoalId;
use crate::plan::goals::authorize_goal;
use crate::plan::goals::model::{self, GoalChanges};
use crate::plan::goals::types::{Goal, GoalStatus, UpdateGoal};
use crate::social::activity::{self, ActivityKind, Subject};
use crate::state::AppState;

/// Update a goal
///
/// Staff who work with the person, and the person. A status change is recorded with its
/// date. The scale cannot change. Needs `If-Match`.
#[utoipa::path(
    operation_id = "updateGoal",
    tag = "goals",
    security(("bearer" = [])),
    params(("goal_id" = uuid::Uuid, Path), ("If-Match" = String, Header)),
    request_body = UpdateGoal,
    responses(
        (status = 200, description = "Updated", body = Goal, headers(("ETag" = String))),
        (status = 400, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Supporters cannot edit goals", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Support has ended", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since your last read", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/goals/{goal_id}")]
pub async fn update(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    path: web::Path<GoalId>,
    body: web::Json<UpdateGoal>,
) -> ApiResult<HttpResponse> {
    let goal = path.into_inner();
    let mut conn = state.conn().await?;
    let access = authorize_goal(&mut conn, &user, goal, PersonAction::EditGoals).await?;
    body.validate()?;
    let current = model::find(&mut conn, &access.scope, goal)
        .await?
        .ok_or_else(ApiError::not_found)?;
    require_if_match(&req, current.version)?;
    let body = body.into_inner();
    let new_status = body.status.filter(|s| *s != current.status);
    let changes = GoalChanges {
        title: body.title,
        why_it_matters: body.why_it_matters,
        lang: body.lang,
        target_date: body.target_date,
        status: new_status,
    };
    let scope = access.scope;
    let actor = access.actor.account_id;
    let (row, history) = conn
        .transaction(async move |conn| {
            let row = model::update(conn, &scope, goal, current.version, &changes)
                .await?
                .ok_or_else(|| ApiError::new(ErrorCode::PreconditionFailed))?;
            if let Some(status) = new_status {
                model::record_status(conn, &scope, goal, status, actor).await?;
            }
            if new_status == Some(GoalStatus::Achieved) {
                let subject = Subject {
                    goal: Some(goal.0),
                    ..Subject::default()
                };
                activity::record(conn, &scope, actor, ActivityKind::GoalAchieved, subject).await?;
            }
            crate::trust::audit::model::changed(
                conn,
                &scope,
                actor,
                crate::trust::audit::Action::GoalUpdated,
                "goal",
                goal.0,
            )
            .await?;
            let history = model::status_history(conn, &scope, goal).await?;
            Ok::<_, ApiError>((row, history))
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(row.version)))
        .json(Goal::from_row(row, Some(history))))
}
