//! `POST /v1/people/{person_id}/device-codes`: a one-time code for supported sign-in.

use actix_web::{HttpResponse, post, web};
use diesel_async::AsyncConnection;
use time::OffsetDateTime;

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::auth::codes;
use crate::error::{ApiError, ApiResult, Problem};
use crate::ids::PersonId;
use crate::plan::people::types::DeviceCode;
use crate::plan::people::{authorize, model};
use crate::state::AppState;
use crate::trust::audit::model::{self as audit, AuditEvent};

/// How long a device code lasts: long enough to hand the phone over, short enough to guess.
pub const DEVICE_CODE_TTL: time::Duration = time::Duration::minutes(15);

/// Issue a device code
///
/// Staff who work with the person. The person types the code on their own phone at
/// `POST /v1/device-codes/redeem` and chooses a PIN or password. Single use, 15 minutes.
/// Issuing is audited. Issuing changes nothing by itself: for a person who already has a login,
/// their PIN and phones keep working until the code is redeemed, which sets the new PIN and
/// signs out every other device. Withdraw an unused code with
/// `DELETE /v1/people/{person_id}/device-codes/{device_code_id}`.
#[utoipa::path(
    operation_id = "issueDeviceCode",
    tag = "people",
    security(("bearer" = [])),
    params(("person_id" = uuid::Uuid, Path)),
    responses(
        (status = 201, description = "The code; shown only here", body = DeviceCode),
        (status = 403, description = "Not staff working with this person", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Support has ended", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`rate_limited`: over the organisation's device codes for today (`CAMAU_QUOTA_DEVICE_CODES_PER_DAY`, default 200); `Retry-After` says when the window ends", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds until the quota window ends"))),
    )
)]
#[post("/people/{person_id}/device-codes")]
pub async fn issue_device_code(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<PersonId>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let access = authorize(
        &mut conn,
        &user,
        path.into_inner(),
        PersonAction::IssueDeviceCode,
    )
    .await?;
    crate::platform::quotas::take(
        &mut conn,
        &state.config.quotas,
        crate::platform::quotas::Quota::DeviceCodes(access.scope.id().organisation.0),
    )
    .await?;
    let code = codes::new_code(2);
    let expires_at = OffsetDateTime::now_utc() + DEVICE_CODE_TTL;
    let scope = access.scope;
    let actor = access.actor.account_id;
    let hash = codes::code_hash(&code);
    conn.transaction(async move |conn| {
        let id = model::insert_device_code(conn, &scope, hash, actor, expires_at).await?;
        audit::record(
            conn,
            AuditEvent {
                organisation: Some(scope.id().organisation),
                person: Some(scope.id().person),
                actor: Some(actor),
                action: crate::trust::audit::Action::PersonDeviceCodeIssued,
                subject_type: "person",
                subject_id: Some(scope.id().person.0),
                details: serde_json::json!({ "device_code_id": id }),
            },
        )
        .await?;
        Ok::<_, ApiError>(())
    })
    .await?;
    Ok(HttpResponse::Created().json(DeviceCode { code, expires_at }))
}
