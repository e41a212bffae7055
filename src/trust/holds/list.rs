//! `GET /v1/people/{person_id}/holds`.

use actix_web::{get, web};

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::error::{ApiResult, Problem};
use crate::ids::PersonId;
use crate::plan::people::authorize;
use crate::state::AppState;
use crate::trust::holds::model;
use crate::trust::holds::types::{Hold, HoldList};

/// The person's holds
///
/// Admins of the person's organisation. Standing and lifted holds, newest first.
#[utoipa::path(
    operation_id = "listHolds",
    tag = "data rights",
    security(("bearer" = [])),
    params(("person_id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "The holds", body = HoldList),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/people/{person_id}/holds")]
pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<PersonId>,
) -> ApiResult<web::Json<HoldList>> {
    let mut conn = state.conn().await?;
    let person = path.into_inner();
    let access = authorize(&mut conn, &user, person, PersonAction::ViewHolds).await?;
    let rows = model::list(&mut conn, &access.scope, false).await?;
    Ok(web::Json(HoldList {
        items: rows.into_iter().map(Hold::from).collect(),
    }))
}
