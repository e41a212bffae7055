//! `POST /v1/me/devices`: a phone that wants push notifications.

use actix_web::{HttpResponse, post, web};
use diesel::ExpressionMethods;
use diesel::upsert::excluded;
use diesel_async::{AsyncConnection, RunQueryDsl};
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::db::schema::push_devices;
use crate::error::{ApiError, ApiResult, Problem};
use crate::social::notifications::TOKEN_PURPOSE;
use crate::social::notifications::types::{Device, Platform, RegisterDevice};
use crate::state::AppState;

/// Register a device for notifications
///
/// Any signed-in account; notifications come for the people the caller follows (as in
/// `GET /v1/me/feed`). The token is kept sealed. Registering the same token again returns
/// the same device (safe to retry), now the caller's, without the previous account's
/// notifications still queued for it.
#[utoipa::path(
    operation_id = "registerDevice",
    tag = "notifications",
    security(("bearer" = [])),
    request_body = RegisterDevice,
    responses(
        (status = 201, description = "Registered", body = Device),
        (status = 400, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/devices")]
pub async fn register(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<RegisterDevice>,
) -> ApiResult<HttpResponse> {
    body.validate()?;
    let mut conn = state.conn().await?;
    let actor = user.check(&mut conn).await?;
    let token = body.token.as_bytes();
    let hash = state
        .sealer
        .fingerprints(TOKEN_PURPOSE, &[token])
        .swap_remove(0);
    let sealed = state
        .sealer
        .seal(TOKEN_PURPOSE, b"", token)
        .ok_or_else(|| ApiError::internal("no server secret to seal with"))?;
    let account = actor.account_id.0;
    let (id, platform, created_at) = conn
        .transaction(async |conn| {
            // A token registered again under another account (a shared or handed-on phone)
            // takes none of the previous account's queued notifications with it.
            diesel::sql_query(
                "DELETE FROM notifications WHERE sent_at IS NULL AND device_id IN \
                   (SELECT id FROM push_devices WHERE token_hash = $1 AND account_id <> $2 \
                    FOR UPDATE)",
            )
            .bind::<diesel::sql_types::Bytea, _>(&hash)
            .bind::<diesel::sql_types::Uuid, _>(account)
            .execute(conn)
            .await?;
            diesel::insert_into(push_devices::table)
                .values((
                    push_devices::id.eq(Uuid::now_v7()),
                    push_devices::account_id.eq(actor.account_id),
                    push_devices::platform.eq(body.platform),
                    push_devices::token_hash.eq(&hash),
                    push_devices::token_sealed.eq(&sealed),
                ))
                .on_conflict(push_devices::token_hash)
                .do_update()
                .set((
                    push_devices::account_id.eq(excluded(push_devices::account_id)),
                    push_devices::platform.eq(excluded(push_devices::platform)),
                    push_devices::token_sealed.eq(excluded(push_devices::token_sealed)),
                ))
                .returning((
                    push_devices::id,
                    push_devices::platform,
                    push_devices::created_at,
                ))
                .get_result::<(Uuid, Platform, time::OffsetDateTime)>(conn)
                .await
        })
        .await?;
    Ok(HttpResponse::Created().json(Device {
        id,
        platform,
        created_at,
    }))
}
