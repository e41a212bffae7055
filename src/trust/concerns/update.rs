//! `PATCH /v1/concerns/{concern_id}`: a safeguarding lead settles a concern.

use actix_web::{patch, web};
use diesel_async::AsyncConnection;

use crate::auth::CurrentUser;
use crate::auth::access::{self, OrgAction};
use crate::error::{ApiError, ApiResult, ErrorCode, Problem};
use crate::http::pagination::Page;
use crate::state::AppState;
use crate::trust::audit::model::{self as audit, AuditEvent};
use crate::trust::concerns::model;
use crate::trust::concerns::types::{Concern, SettleConcern};

/// Settle a concern
///
/// The organisation's safeguarding leads. `resolved` keeps the item hidden from the circle;
/// `restored` shows it again. Only an open concern can be settled (409 once it is).
#[utoipa::path(
    operation_id = "settleConcern",
    tag = "safeguarding",
    security(("bearer" = [])),
    params(("concern_id" = uuid::Uuid, Path)),
    request_body = SettleConcern,
    responses(
        (status = 200, description = "Settled", body = Concern),
        (status = 400, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a safeguarding lead", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such concern in your organisation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already settled", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/concerns/{concern_id}")]
pub async fn update(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<uuid::Uuid>,
    body: web::Json<SettleConcern>,
) -> ApiResult<web::Json<Concern>> {
    let id = path.into_inner();
    let mut conn = state.conn().await?;
    let actor = user.check(&mut conn).await?;
    let org = model::organisation_of(&mut conn, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let org = access::organisation(&actor, org, OrgAction::HandleConcerns)?;
    body.validate()?;
    let by = actor.account_id;
    let status = body.status;
    let note = body.note.as_deref();
    conn.transaction(async |conn| {
        model::settle(conn, &org, id, status, by, note)
            .await?
            .ok_or_else(|| {
                ApiError::new(ErrorCode::Conflict).with_detail("this concern is already settled")
            })?;
        audit::record(
            conn,
            AuditEvent {
                organisation: Some(org.id()),
                person: None,
                actor: Some(by),
                action: crate::trust::audit::Action::ConcernSettled,
                subject_type: "concern",
                subject_id: Some(id),
                details: serde_json::json!({ "status": status.as_str() }),
            },
        )
        .await?;
        Ok::<_, ApiError>(())
    })
    .await?;
    let page = Page {
        limit: 1,
        after: None,
    };
    let concern = model::list(&mut conn, &org, None, Some(id), page)
        .await?
        .pop()
        .ok_or_else(ApiError::not_found)?;
    Ok(web::Json(concern))
}
