//! `PATCH /v1/actions/{action_id}`: mark an action done, change it, or accept a suggestion.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, patch, web};
use diesel_async::AsyncConnection;
use time::OffsetDateTime;

use crate::auth::CurrentUser;
use crate::auth::access::{PersonAction, Relation};
use crate::error::{ApiError, ApiResult, ErrorCode, Problem, Validator};
use crate::http::etag::{etag, require_if_match};
use crate::ids::{ActionId, CircleMemberId};
use crate::plan::circles::model as circles;
use crate::plan::goals::authorize_action;
use crate::plan::goals::model::{self, ActionChanges};
use crate::plan::goals::types::{Action, ActionState, Owner, UpdateAction};
use crate::social::activity::{self, ActivityKind, Subject};
use crate::state::AppState;

/// Update an action
///
/// Staff who work with the person, and the person. Only the person accepts or declines a
/// supporter's suggestion (`state`). Needs `If-Match`.
#[utoipa::path(
    operation_id = "updateAction",
    tag = "goals",
    security(("bearer" = [])),
    params(("action_id" = uuid::Uuid, Path), ("If-Match" = String, Header)),
    request_body = UpdateAction,
    responses(
        (status = 200, description = "Updated", body = Action, headers(("ETag" = String))),
        (status = 400, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to change this action, or to decide on a suggestion", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Support has ended", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since your last read", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/actions/{action_id}")]
pub async fn update_action(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    path: web::Path<ActionId>,
    body: web::Json<UpdateAction>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let mut conn = state.conn().await?;
    let access = authorize_action(&mut conn, &user, id, PersonAction::EditGoals).await?;
    if body.state.is_some() && access.relation != Relation::Person {
        return Err(
            ApiError::forbidden().with_detail("only the person accepts or declines a suggestion")
        );
    }
    let current = model::find_action(&mut conn, &access.scope, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    require_if_match(&req, current.version)?;
    let body = body.into_inner();
    let mut v = Validator::new();
    if let Some(d) = &body.description {
        v.text("/description", d, 1, 500);
    }
    let owner = body.owner.unwrap_or(current.owner);
    let member = body.owner_member_id.unwrap_or(current.owner_member_id);
    if (owner == Owner::CircleMember) != member.is_some() {
        v.add(
            "/owner_member_id",
            "owner_mismatch",
            "give owner_member_id exactly when the owner is a circle member",
        );
    }
    if body.state == Some(ActionState::Suggested) {
        v.add("/state", "invalid_state", "accept or decline a suggestion");
    }
    v.finish()?;
    if let Some(m) = member
        && circles::find(&mut conn, &access.scope, CircleMemberId(m))
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
    let changes = ActionChanges {
        description: body.description,
        owner: body.owner,
        owner_member_id: body.owner_member_id,
        due_on: body.due_on,
        done_at: body
            .done
            .map(|done| done.then(|| current.done_at.unwrap_or_else(OffsetDateTime::now_utc))),
        state: body.state,
    };
    let done_now = current.done_at.is_none() && matches!(changes.done_at, Some(Some(_)));
    let scope = access.scope;
    let actor = access.actor.account_id;
    let row = conn
        .transaction(async |conn| {
            let row = model::update_action(conn, &scope, id, current.version, &changes)
                .await?
                .ok_or_else(|| ApiError::new(ErrorCode::PreconditionFailed))?;
            if done_now {
                let subject = Subject {
                    goal: Some(row.goal_id),
                    action: Some(row.id),
                    ..Subject::default()
                };
                activity::record(conn, &scope, actor, ActivityKind::ActionDone, subject).await?;
            }
            crate::trust::audit::model::changed(
                conn,
                &scope,
                actor,
                crate::trust::audit::Action::GoalActionUpdated,
                "goal_action",
                id.0,
            )
            .await?;
            Ok::<_, ApiError>(row)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(row.version)))
        .json(Action::from(row)))
}
