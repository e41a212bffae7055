//! `GET /v1/organisations/{organisation_id}/invitations`: who has been invited and not joined.

use actix_web::{get, web};

use crate::auth::CurrentUser;
use crate::auth::access::{self, OrgAction};
use crate::error::{ApiResult, Problem};
use crate::http::pagination::PageQuery;
use crate::identity::invitations::model;
use crate::identity::invitations::types::{PendingInvitation, PendingInvitationList};
use crate::ids::OrganisationId;
use crate::state::AppState;

/// List open staff invitations
///
/// Admins of the organisation. Unaccepted and unexpired invitations; withdraw one with
/// `DELETE /v1/invitations/{invitation_id}`.
#[utoipa::path(
    operation_id = "listInvitations",
    tag = "staff",
    security(("bearer" = [])),
    params(("organisation_id" = uuid::Uuid, Path), PageQuery),
    responses(
        (status = 200, description = "A page of open invitations, oldest first", body = PendingInvitationList),
        (status = 400, description = "Bad limit or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin of the organisation", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organisations/{organisation_id}/invitations")]
pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<OrganisationId>,
    query: web::Query<PageQuery>,
) -> ApiResult<web::Json<PendingInvitationList>> {
    load(&state, &user, path.into_inner(), &query)
        .await
        .map(web::Json)
}

/// A page of them, for the API and the console alike.
pub async fn load(
    state: &AppState,
    user: &CurrentUser,
    organisation: OrganisationId,
    query: &PageQuery,
) -> ApiResult<PendingInvitationList> {
    let mut conn = state.conn().await?;
    let user = user.check(&mut conn).await?;
    let org = access::organisation(&user, organisation, OrgAction::ManageStaff)?;
    let page = query.page()?;
    let rows = model::pending(&mut conn, &org, page).await?;
    let (rows, next_cursor) = page.finish(rows, |r| r.0);
    Ok(PendingInvitationList {
        items: rows
            .into_iter()
            .map(
                |(id, email, role, expires_at, created_at)| PendingInvitation {
                    id,
                    email,
                    role,
                    expires_at,
                    created_at,
                },
            )
            .collect(),
        next_cursor,
    })
}
