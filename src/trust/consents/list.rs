//! `GET /v1/people/{person_id}/consents`.

use actix_web::{get, web};

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::error::{ApiResult, Problem};
use crate::ids::PersonId;
use crate::plan::people::authorize;
use crate::state::AppState;
use crate::trust::consents::model;
use crate::trust::consents::types::ConsentList;

/// The person's consents
///
/// Where each purpose stands (and whether the data is used for it now), and every record,
/// newest first. Staff who work with the person, and the person.
#[utoipa::path(
    operation_id = "listConsents",
    tag = "consents",
    security(("bearer" = [])),
    params(("person_id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Purposes and records", body = ConsentList),
        (status = 403, description = "Supporters do not see consents", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/people/{person_id}/consents")]
pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<PersonId>,
) -> ApiResult<web::Json<ConsentList>> {
    let mut conn = state.conn().await?;
    let person = path.into_inner();
    let access = authorize(&mut conn, &user, person, PersonAction::ViewConsents).await?;
    let rows = model::list(&mut conn, &access.scope, None).await?;
    Ok(web::Json(ConsentList::from_rows(rows)))
}
