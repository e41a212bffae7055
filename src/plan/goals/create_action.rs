//! `POST /v1/goals/{goal_id}/actions`: a step toward a goal, or a supporter's suggestion.

use actix_web::http::header;
use actix_web::{HttpResponse, post, web};
use diesel_async::AsyncConnection;

use crate::auth::access::{self, PersonAction};
use crate::auth::session::{self, PersonOf};
use crate::auth::{CurrentUser, Role};
use crate::error::{ApiError, ApiResult, Problem, Validator};
use crate::http::etag::etag;
use crate::ids::{CircleMemberId, GoalId};
use crate::plan::circles::model as circles;
use crate::plan::goals::model::{self, NewAction};
use crate::plan::goals::types::{Action, ActionState, CreateAction};
use crate::state::AppState;

/// Add an action
///
/// Staff who work with the person and the person add actions to the plan. A supporter with
/// the `contribute` grant may suggest one: it is stored as `suggested` until the person
/// accepts or declines it.
#[utoipa::path(
    operation_id = "createAction",
    tag = "goals",
    security(("bearer" = [])),
    params(("goal_id" = uuid::Uuid, Path)),
    request_body = CreateAction,
    responses(
        (status = 201, description = "Created", body = Action, headers(("ETag" = String))),
        (status = 400, description = "Invalid fields, or an owner not in the circle", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A supporter without the contribute grant", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Support has ended", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/goals/{goal_id}/actions")]
pub async fn create_action(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<GoalId>,
    body: web::Json<CreateAction>,
) -> ApiResult<HttpResponse> {
    let goal = path.into_inner();
    let mut conn = state.conn().await?;
    let (actor, facts) = session::facts(&mut conn, &user, PersonOf::Goal(goal)).await?;
    let (permission, state_) = if actor.role == Role::Supporter {
        (PersonAction::SuggestAction, ActionState::Suggested)
    } else {
        (PersonAction::EditGoals, ActionState::Accepted)
    };
    let access = access::person(actor, facts, permission)?;
    body.validate()?;
    model::find(&mut conn, &access.scope, goal)
        .await?
        .ok_or_else(ApiError::not_found)?;
    if let Some(member) = body.owner_member_id
        && circles::find(&mut conn, &access.scope, CircleMemberId(member))
            .await?
            .is_none()
    {
        let mut v = Validator::new();
        v.add(
            "/owner_member_id",
            "not_in_circle",
            "must be a member of this person's circle",
        );
        v.finish()?;
    }
    let scope = access.scope;
    let by = access.actor.account_id;
    let row = conn
        .transaction(async |conn| {
            let row = model::insert_action(
                conn,
                &scope,
                by,
                &NewAction {
                    goal,
                    description: &body.description,
                    owner: body.owner.as_str(),
                    owner_member_id: body.owner_member_id,
                    due_on: body.due_on,
                    state: state_.as_str(),
                },
            )
            .await?;
            let action = match state_ {
                ActionState::Suggested => crate::trust::audit::Action::GoalActionSuggested,
                _ => crate::trust::audit::Action::GoalActionCreated,
            };
            crate::trust::audit::model::changed(conn, &scope, by, action, "goal_action", row.id)
                .await?;
            Ok::<_, ApiError>(row)
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::ETAG, etag(row.version)))
        .json(Action::from(row)))
}
