//! `POST /v1/auth/logout-all`: ends every session of the account, on every device.

use actix_web::{HttpResponse, post, web};

use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::identity::sessions::model::{self, RevokeReason};
use crate::state::AppState;

/// Sign out everywhere
///
/// Ends every session of this account, this one included (for a lost phone).
#[utoipa::path(
    operation_id = "signOutEverywhere",
    tag = "sessions",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "All sessions ended"),
    )
)]
#[post("/auth/logout-all")]
pub async fn logout_all(state: web::Data<AppState>, user: CurrentUser) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let user = user.check(&mut conn).await?;
    model::revoke_all(&mut conn, user.account_id, None, RevokeReason::LogoutAll).await?;
    Ok(HttpResponse::NoContent().finish())
}
