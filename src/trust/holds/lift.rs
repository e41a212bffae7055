//! `DELETE /v1/people/{person_id}/holds/{hold_id}`: lifts a hold (kept as history).

use actix_web::{delete, web};
use diesel_async::AsyncConnection;

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::error::{ApiError, ApiResult, Problem};
use crate::ids::PersonId;
use crate::plan::people::authorize;
use crate::state::AppState;
use crate::trust::holds::model;
use crate::trust::holds::types::Hold;

/// Lift a hold
///
/// Admins. The hold stays in the list with who lifted it and when; lifting it again answers
/// the same.
#[utoipa::path(
    operation_id = "liftHold",
    tag = "data rights",
    security(("bearer" = [])),
    params(("person_id" = uuid::Uuid, Path), ("hold_id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Lifted", body = Hold),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person or hold, or not one you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/people/{person_id}/holds/{hold_id}")]
pub async fn lift(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(uuid::Uuid, uuid::Uuid)>,
) -> ApiResult<web::Json<Hold>> {
    let (person, hold) = path.into_inner();
    let mut conn = state.conn().await?;
    let access = authorize(
        &mut conn,
        &user,
        PersonId(person),
        PersonAction::ManageHolds,
    )
    .await?;
    let (scope, by) = (access.scope, access.actor.account_id);
    let row = conn
        .transaction(async |conn| {
            let (row, lifted) = model::lift(conn, &scope, hold, by).await?;
            if lifted {
                crate::trust::audit::model::changed(
                    conn,
                    &scope,
                    by,
                    crate::trust::audit::Action::HoldLifted,
                    "legal_hold",
                    hold,
                )
                .await?;
            }
            row.ok_or_else(ApiError::not_found)
        })
        .await?;
    Ok(web::Json(Hold::from(row)))
}
