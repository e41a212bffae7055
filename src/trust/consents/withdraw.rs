//! `POST /v1/consents/{consent_id}/withdraw`.

use actix_web::{post, web};
use diesel_async::AsyncConnection;

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::auth::session::{PersonOf, authorize};
use crate::error::{ApiError, ApiResult, ErrorCode, Problem};
use crate::ids::ConsentId;
use crate::state::AppState;
use crate::trust::consents::model;
use crate::trust::consents::types::Consent;

/// Withdraw a consent
///
/// The current consent given for a purpose; it stops applying from the next request. Asking
/// again answers the same (a lost response may be retried). Withdrawal is possible after
/// support has ended too.
#[utoipa::path(
    operation_id = "withdrawConsent",
    tag = "consents",
    security(("bearer" = [])),
    params(("consent_id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Withdrawn", body = Consent),
        (status = 403, description = "Mentors and supporters do not withdraw consents", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not a current consent given (a refusal, or replaced by a later decision)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/consents/{consent_id}/withdraw")]
pub async fn withdraw(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<ConsentId>,
) -> ApiResult<web::Json<Consent>> {
    let id = path.into_inner();
    let mut conn = state.conn().await?;
    let access = authorize(
        &mut conn,
        &user,
        PersonOf::Consent(id),
        PersonAction::EditConsents,
    )
    .await?;
    let scope = access.scope;
    let by = access.actor.account_id;
    conn.transaction(async |conn| {
        if model::withdraw(conn, &scope, id, by).await? {
            crate::trust::audit::model::changed(
                conn,
                &scope,
                by,
                crate::trust::audit::Action::ConsentWithdrawn,
                "consent",
                id.0,
            )
            .await?;
        }
        Ok::<_, ApiError>(())
    })
    .await?;
    let row = model::list(&mut conn, &scope, Some(id))
        .await?
        .pop()
        .ok_or_else(ApiError::not_found)?;
    if row.withdrawn_at.is_none() {
        return Err(ApiError::new(ErrorCode::Conflict)
            .with_detail("only the current consent given for a purpose can be withdrawn"));
    }
    Ok(web::Json(Consent::from_row(row)))
}
