//! `DELETE /v1/people/{person_id}`: erasure in two steps.

use actix_web::{HttpResponse, delete, web};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::error::{ApiResult, Problem};
use crate::ids::PersonId;
use crate::plan::people::authorize;
use crate::state::AppState;
use crate::trust::erasure::model::{self, Reason};

/// How long the confirmation of step one works.
const CONFIRM_WITHIN_MINUTES: i64 = 15;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EraseQuery {
    /// The `confirmation` step one gave. Without it, this is step one.
    pub confirmation: Option<String>,
}

/// Step one's answer: what would go, and the code that confirms it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErasureRequest {
    pub id: Uuid,
    /// Send as `?confirmation=` within 15 minutes to erase.
    pub confirmation: String,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    /// Rows about the person, by table: what the erasure removes.
    #[schema(value_type = Object)]
    pub rows: serde_json::Map<String, serde_json::Value>,
}

/// Erase a person
///
/// Admins, in two steps. Step one (no `confirmation`) answers 202 with what would go and a
/// confirmation code; step two, with `?confirmation=<code>` within 15 minutes, removes every
/// row about the person, their own sign-in and every stored photo and export, keeping only
/// de-identified counts, and answers 204. A standing hold refuses either step with 409
/// `legal_hold`, its reason in `errors[0].code`. The audit trail keeps its events (ids only).
#[utoipa::path(
    operation_id = "erasePerson",
    tag = "data rights",
    security(("bearer" = [])),
    params(("person_id" = uuid::Uuid, Path), EraseQuery),
    responses(
        (status = 202, description = "Step one: confirm to erase", body = ErasureRequest),
        (status = 204, description = "Erased"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A hold stands (`legal_hold`), or the confirmation is wrong, used or expired", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/people/{person_id}")]
pub async fn erase(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<PersonId>,
    query: web::Query<EraseQuery>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let person = path.into_inner();
    let access = authorize(&mut conn, &user, person, PersonAction::Erase).await?;
    let by = access.actor.account_id;
    match &query.confirmation {
        None => {
            let ttl = time::Duration::minutes(CONFIRM_WITHIN_MINUTES);
            let (id, confirmation, expires_at) =
                model::request(&mut conn, &access.scope, by, ttl).await?;
            let rows = model::counts(&mut conn, &access.scope).await?;
            Ok(HttpResponse::Accepted().json(ErasureRequest {
                id,
                confirmation,
                expires_at,
                rows,
            }))
        }
        Some(code) => {
            model::erase(
                &mut conn,
                &state.storage,
                &access.scope,
                Some(by),
                Reason::Request,
                Some(code),
            )
            .await?;
            Ok(HttpResponse::NoContent().finish())
        }
    }
}
