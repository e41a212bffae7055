//! `GET /v1/people/{person_id}/device-codes`: device codes issued and not yet redeemed.

use actix_web::{get, web};

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::error::{ApiResult, Problem};
use crate::http::pagination::PageQuery;
use crate::ids::PersonId;
use crate::plan::people::types::{PendingCode, PendingCodeList};
use crate::plan::people::{authorize, model};
use crate::state::AppState;

/// List open device codes
///
/// Staff who work with the person. Withdraw one with
/// `DELETE /v1/people/{person_id}/device-codes/{device_code_id}`.
#[utoipa::path(
    operation_id = "listDeviceCodes",
    tag = "people",
    security(("bearer" = [])),
    params(("person_id" = uuid::Uuid, Path), PageQuery),
    responses(
        (status = 200, description = "A page of open device codes, oldest first", body = PendingCodeList),
        (status = 400, description = "Bad limit or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff working with this person", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/people/{person_id}/device-codes")]
pub async fn list_device_codes(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<PersonId>,
    query: web::Query<PageQuery>,
) -> ApiResult<web::Json<PendingCodeList>> {
    let person = path.into_inner();
    let mut conn = state.conn().await?;
    let access = authorize(&mut conn, &user, person, PersonAction::ViewDeviceCodes).await?;
    let page = query.page()?;
    let rows = model::pending_device_codes(&mut conn, &access.scope, page).await?;
    let (rows, next_cursor) = page.finish(rows, |r| r.0);
    Ok(web::Json(PendingCodeList {
        items: rows
            .into_iter()
            .map(|(id, issued_by, expires_at, created_at)| PendingCode {
                id,
                member_id: None,
                issued_by,
                expires_at,
                created_at,
            })
            .collect(),
        next_cursor,
    }))
}
