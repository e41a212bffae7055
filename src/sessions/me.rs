//! `GET /v1/me`: who the caller is, their organisation and role.

use actix_web::{get, web};

use crate::accounts::model as accounts;
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, Problem};
use crate::organisations::model as organisations;
use crate::sessions::types::{Me, MeAccount, MeOrganisation};

/// Who am I
#[utoipa::path(
    operation_id = "getMe",
    tag = "sessions",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The signed-in account", body = Me),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me")]
pub async fn me(state: web::Data<AppState>, user: CurrentUser) -> ApiResult<web::Json<Me>> {
    let mut conn = state.conn().await?;
    let account = accounts::own(&mut conn, user.account_id)
        .await?
        .ok_or_else(ApiError::unauthenticated)?;
    let organisation = match user.organisation_id() {
        Some(id) => organisations::own(&mut conn, id).await?,
        None => None,
    };
    Ok(web::Json(Me {
        account: MeAccount {
            id: account.id,
            role: account.role(),
            email: account.email,
            name: account.name,
        },
        organisation: organisation.map(|o| MeOrganisation {
            id: o.id,
            kind: o.kind(),
            name: o.name,
        }),
    }))
}
