//! `GET /v1/staff/{account_id}`.

use actix_web::{HttpRequest, HttpResponse, get, web};

use crate::auth::CurrentUser;
use crate::auth::access::{self, OrgAction};
use crate::error::{ApiError, ApiResult, Problem};
use crate::http::etag::read;
use crate::identity::accounts::types::StaffMember;
use crate::identity::accounts::{authorize_for_account, model};
use crate::ids::AccountId;
use crate::state::AppState;

/// Get a member of staff
///
/// Sends an `ETag` to quote in `If-Match` when updating.
#[utoipa::path(
    operation_id = "getStaffMember",
    tag = "staff",
    security(("bearer" = [])),
    params(("account_id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "The member of staff", body = StaffMember,
            headers(("ETag" = String, description = "Version, for If-Match"))),
        (status = 400, description = "Malformed id", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A person or supporter may not read staff accounts", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account in your organisation", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/{account_id}")]
pub async fn get(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    path: web::Path<AccountId>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let mut conn = state.conn().await?;
    let user = user.check(&mut conn).await?;
    let org = authorize_for_account(&mut conn, &user, id, OrgAction::ViewStaff).await?;
    let row = model::find(&mut conn, &org, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let full = access::sees_staff_details(&user);
    Ok(read(&req, row.version, || StaffMember::shown(row, full)))
}
