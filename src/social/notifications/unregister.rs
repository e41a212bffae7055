//! `DELETE /v1/me/devices/{device_id}`.

use actix_web::{HttpResponse, delete, web};
use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;

use crate::auth::CurrentUser;
use crate::db::schema::push_devices;
use crate::error::{ApiError, ApiResult, Problem};
use crate::state::AppState;

/// Stop notifications to a device
///
/// The caller's own devices only (any other id is 404). Its unsent notifications go with it.
#[utoipa::path(
    operation_id = "unregisterDevice",
    tag = "notifications",
    security(("bearer" = [])),
    params(("device_id" = uuid::Uuid, Path)),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "Not one of your devices", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/me/devices/{device_id}")]
pub async fn unregister(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<uuid::Uuid>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let actor = user.check(&mut conn).await?;
    let removed = diesel::delete(
        push_devices::table
            .filter(push_devices::id.eq(path.into_inner()))
            .filter(push_devices::account_id.eq(actor.account_id)),
    )
    .execute(&mut conn)
    .await?;
    if removed == 0 {
        return Err(ApiError::not_found());
    }
    Ok(HttpResponse::NoContent().finish())
}
