//! `GET /v1/me/notification-settings`.

use actix_web::{get, web};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl};
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::db::schema::{muted_people, notification_settings};
use crate::error::ApiResult;
use crate::social::notifications::types::{NotificationSettings, format_time};
use crate::state::AppState;

/// My notification settings
#[utoipa::path(
    operation_id = "getNotificationSettings",
    tag = "notifications",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The settings", body = NotificationSettings),
    )
)]
#[get("/me/notification-settings")]
pub async fn get_settings(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> ApiResult<web::Json<NotificationSettings>> {
    let mut conn = state.conn().await?;
    let actor = user.check(&mut conn).await?;
    let quiet = notification_settings::table
        .find(actor.account_id.0)
        .select((
            notification_settings::quiet_from,
            notification_settings::quiet_until,
        ))
        .first::<(Option<time::Time>, Option<time::Time>)>(&mut conn)
        .await
        .optional()?
        .unwrap_or_default();
    let muted: Vec<Uuid> = muted_people::table
        .filter(muted_people::account_id.eq(actor.account_id))
        .order(muted_people::person_id)
        .select(muted_people::person_id)
        .load(&mut conn)
        .await?;
    Ok(web::Json(NotificationSettings {
        quiet_from: quiet.0.map(format_time),
        quiet_until: quiet.1.map(format_time),
        muted_people: muted,
    }))
}
