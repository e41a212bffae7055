//! `POST /v1/goals/{goal_id}/codes`.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, post, web};

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::error::{ApiError, ApiResult, ErrorCode, Problem};
use crate::fields::Lang;
use crate::ids::GoalId;
use crate::outcomes::outcome_codes::model;
use crate::outcomes::outcome_codes::types::{AddCode, GoalCode};
use crate::plan::goals::authorize_goal;
use crate::state::AppState;

/// Code a goal to an outcome
///
/// Staff. The goal's own words are untouched. Adding a code the goal has already answers it
/// again (200), so a retry is harmless.
#[utoipa::path(
    operation_id = "addGoalCode",
    tag = "frameworks",
    security(("bearer" = [])),
    params(("goal_id" = uuid::Uuid, Path), ("Accept-Language" = Option<String>, Header, example = "cy")),
    request_body = AddCode,
    responses(
        (status = 200, description = "The goal had this code already", body = GoalCode),
        (status = 201, description = "Coded", body = GoalCode, headers(("Location" = String))),
        (status = 400, description = "Invalid body", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only staff code goals", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Support has ended, or the goal's codes changed meanwhile (retry)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No such area (or statement of it) in a framework you may use", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/goals/{goal_id}/codes")]
pub async fn add(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    path: web::Path<GoalId>,
    body: web::Json<AddCode>,
) -> ApiResult<HttpResponse> {
    let lang = Lang::from_request(&req);
    let goal = path.into_inner();
    let mut conn = state.conn().await?;
    let access = authorize_goal(&mut conn, &user, goal, PersonAction::EditOutcomeCodes).await?;
    if !model::usable(&mut conn, &access.scope, body.area_id, body.statement_id).await? {
        return Err(ApiError::new(ErrorCode::InvalidReference).with_detail(
            "no such outcome area (or statement of it) in a framework this organisation may use",
        ));
    }
    let by = access.actor.account_id;
    let added = model::add(
        &mut conn,
        &access.scope,
        goal,
        body.area_id,
        body.statement_id,
        by,
    );
    // The code changed under this request (added and removed again by others): nothing was
    // done here, and the caller may simply retry.
    let changed = || {
        ApiError::new(ErrorCode::Conflict).with_detail("the goal's codes changed meanwhile; retry")
    };
    let (id, new) = match added.await {
        // A concurrent request added the same code between this one's snapshot and its
        // insert: the second look sees it.
        Err(diesel::result::Error::NotFound) => model::add(
            &mut conn,
            &access.scope,
            goal,
            body.area_id,
            body.statement_id,
            by,
        )
        .await
        .map_err(|e| match e {
            diesel::result::Error::NotFound => changed(),
            e => e.into(),
        })?,
        other => other?,
    };
    let row = model::codes(&mut conn, &access.scope, goal, Some(id))
        .await?
        .pop()
        .ok_or_else(changed)?;
    let code = GoalCode::localised(row, lang);
    Ok(if new {
        HttpResponse::Created()
            .insert_header((header::LOCATION, format!("/v1/goals/{goal}/codes/{id}")))
            .json(code)
    } else {
        HttpResponse::Ok().json(code)
    })
}
