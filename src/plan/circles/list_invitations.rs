//! `GET /v1/people/{person_id}/circle-invitations`: circle invitations not yet accepted.

use actix_web::{get, web};

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::error::{ApiResult, Problem};
use crate::http::pagination::PageQuery;
use crate::ids::PersonId;
use crate::plan::circles::model;
use crate::plan::people::authorize;
use crate::plan::people::types::{PendingCode, PendingCodeList};
use crate::state::AppState;

/// List open circle invitations
///
/// Staff who work with the person, and the person. Withdraw one with
/// `DELETE /v1/people/{person_id}/circle-invitations/{invitation_id}`.
#[utoipa::path(
    operation_id = "listCircleInvitations",
    tag = "circles",
    security(("bearer" = [])),
    params(("person_id" = uuid::Uuid, Path), PageQuery),
    responses(
        (status = 200, description = "A page of open circle invitations, oldest first", body = PendingCodeList),
        (status = 400, description = "Bad limit or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A supporter", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/people/{person_id}/circle-invitations")]
pub async fn list_invitations(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<PersonId>,
    query: web::Query<PageQuery>,
) -> ApiResult<web::Json<PendingCodeList>> {
    let person = path.into_inner();
    let mut conn = state.conn().await?;
    let access = authorize(&mut conn, &user, person, PersonAction::ViewCodes).await?;
    let page = query.page()?;
    let rows = model::pending_invitations(&mut conn, &access.scope, page).await?;
    let (rows, next_cursor) = page.finish(rows, |r| r.0);
    Ok(web::Json(PendingCodeList {
        items: rows
            .into_iter()
            .map(
                |(id, member, issued_by, expires_at, created_at)| PendingCode {
                    id,
                    member_id: Some(member),
                    issued_by,
                    expires_at,
                    created_at,
                },
            )
            .collect(),
        next_cursor,
    }))
}
