//! `POST /v1/auth/logout`: ends the current session.

use actix_web::{HttpResponse, post, web};

use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::identity::sessions::model::{self, RevokeReason};
use crate::state::AppState;

/// Sign out
///
/// Ends this session: its access token stops working at once and its refresh token is void.
#[utoipa::path(
    operation_id = "signOut",
    tag = "sessions",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Signed out"),
    )
)]
#[post("/auth/logout")]
pub async fn logout(state: web::Data<AppState>, user: CurrentUser) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let user = user.check(&mut conn).await?;
    model::revoke(&mut conn, user.session_id, RevokeReason::Logout).await?;
    Ok(HttpResponse::NoContent().finish())
}
