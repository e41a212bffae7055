//! `PUT /v1/me/notification-settings`.

use actix_web::{put, web};
use diesel::upsert::excluded;
use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::{AsyncConnection, RunQueryDsl};

use crate::auth::CurrentUser;
use crate::db::schema::{muted_people, notification_settings};
use crate::error::{ApiError, ApiResult, Problem, Validator};
use crate::social::notifications::types::NotificationSettings;
use crate::state::AppState;

/// Change my notification settings
///
/// Replaces them whole. Muted people must be ones the caller follows.
#[utoipa::path(
    operation_id = "putNotificationSettings",
    tag = "notifications",
    security(("bearer" = [])),
    request_body = NotificationSettings,
    responses(
        (status = 200, description = "The new settings", body = NotificationSettings),
        (status = 400, description = "Invalid times, or someone you do not follow", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/me/notification-settings")]
pub async fn put_settings(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<NotificationSettings>,
) -> ApiResult<web::Json<NotificationSettings>> {
    let quiet = body.quiet()?;
    let mut conn = state.conn().await?;
    let actor = user.check(&mut conn).await?;
    let mut muted = body.muted_people.clone();
    muted.sort_unstable();
    muted.dedup();
    let followed = crate::social::feed::model::followed(
        &mut conn,
        crate::social::feed::model::Viewer::of(&actor),
    )
    .await?;
    if muted.iter().any(|p| !followed.contains(p)) {
        let mut v = Validator::new();
        v.add(
            "/muted_people",
            "unknown_person",
            "mute only people you follow",
        );
        v.finish()?;
    }
    let account = actor.account_id.0;
    conn.transaction(async |conn| {
        diesel::insert_into(notification_settings::table)
            .values((
                notification_settings::account_id.eq(account),
                notification_settings::quiet_from.eq(quiet.map(|q| q.0)),
                notification_settings::quiet_until.eq(quiet.map(|q| q.1)),
            ))
            .on_conflict(notification_settings::account_id)
            .do_update()
            .set((
                notification_settings::quiet_from.eq(excluded(notification_settings::quiet_from)),
                notification_settings::quiet_until.eq(excluded(notification_settings::quiet_until)),
            ))
            .execute(conn)
            .await?;
        diesel::delete(muted_people::table.filter(muted_people::account_id.eq(account)))
            .execute(conn)
            .await?;
        let rows: Vec<_> = muted
            .iter()
            .map(|p| {
                (
                    muted_people::account_id.eq(account),
                    muted_people::person_id.eq(*p),
                )
            })
            .collect();
        diesel::insert_into(muted_people::table)
            .values(rows)
            .execute(conn)
            .await?;
        // The follower's own settings, not anyone's record: an event without a person.
        crate::trust::audit::model::record(
            conn,
            crate::trust::audit::model::AuditEvent {
                organisation: actor.organisation_id(),
                person: None,
                actor: Some(actor.account_id),
                action: crate::trust::audit::Action::NotificationsSettingsChanged,
                subject_type: "account",
                subject_id: Some(account),
                details: serde_json::json!({ "muted": muted.len() }),
            },
        )
        .await?;
        Ok::<_, ApiError>(())
    })
    .await?;
    Ok(web::Json(NotificationSettings {
        quiet_from: body.quiet_from.clone(),
        quiet_until: body.quiet_until.clone(),
        muted_people: muted,
    }))
}
