//! `POST /v1/device-codes/redeem`: a supported person signs in on their own phone.

use actix_web::{HttpRequest, HttpResponse, post, web};
use diesel_async::AsyncConnection;
use secrecy::ExposeSecret;

use crate::accounts::model::{self as accounts, NewAccount};
use crate::app::AppState;
use crate::audit::model::{self as audit, AuditEvent};
use crate::auth::codes;
use crate::auth::password::check_pin_or_password;
use crate::auth::roles::Role;
use crate::error::{ApiError, ApiResult, ErrorCode, Problem};
use crate::ids::AccountId;
use crate::people::model as people;
use crate::sessions::model::{self as sessions, RevokeReason};
use crate::sessions::throttle;
use crate::sessions::types::{PersonSignedIn, RedeemDeviceCode};

/// Redeem a device code
///
/// No sign-in needed: the code a mentor issued is the credential. The person chooses a PIN
/// (6–12 digits, not a run or repeat) or a password. The first redemption creates the
/// person's own login; a later one (a new phone) sets a new secret and ends the sessions on
/// other devices. Keep `account_id`: it signs in again at `/v1/auth/person-login`.
#[utoipa::path(
    tag = "sessions",
    request_body = RedeemDeviceCode,
    responses(
        (status = 201, description = "Signed in", body = PersonSignedIn),
        (status = 400, description = "The PIN or password is too short, too long or too easy to guess", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Unknown, used or expired code (`device_code_invalid`), or support has ended", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts from this address", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/device-codes/redeem")]
pub async fn redeem_device_code(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<RedeemDeviceCode>,
) -> ApiResult<HttpResponse> {
    let RedeemDeviceCode { code, secret } = body.into_inner();
    let address_key = crate::http::client::address(&req, &state.config.trusted_proxies)
        .map(throttle::address_key);
    if let Some(key) = &address_key {
        let mut conn = state.conn().await?;
        if let Some(secs) = throttle::blocked_for(&mut conn, std::slice::from_ref(key)).await? {
            return Err(ApiError::too_many(secs));
        }
    }
    check_pin_or_password(&secret, &[])?;
    let hash = state.passwords.hash(&secret).await?;
    let code_hash = codes::code_hash(code.expose_secret());
    let mut conn = state.conn().await?;
    let redeemed = conn
        .transaction(async move |conn| {
            let Some((person, _org)) = people::redeem_device_code(conn, &code_hash).await? else {
                return Ok::<_, ApiError>(None);
            };
            let row = people::by_id_for_redemption(conn, person)
                .await?
                .ok_or_else(ApiError::not_found)?;
            if row.support_ended_on.is_some() {
                return Err(ApiError::new(ErrorCode::SupportEnded));
            }
            let account = match row.account_id {
                Some(existing) => {
                    let existing = AccountId(existing);
                    accounts::set_password_hash(conn, existing, &hash).await?;
                    sessions::revoke_all(conn, existing, None, RevokeReason::PasswordChanged)
                        .await?;
                    existing
                }
                None => {
                    let created = accounts::insert(
                        conn,
                        NewAccount {
                            id: AccountId::new().0,
                            organisation_id: Some(row.organisation_id),
                            email: None,
                            name: &row.preferred_name,
                            role: Role::Person.as_str(),
                            password_hash: &hash,
                        },
                    )
                    .await?;
                    people::set_account(conn, person, AccountId(created.id)).await?;
                    AccountId(created.id)
                }
            };
            audit::record(
                conn,
                AuditEvent {
                    organisation: Some(crate::ids::OrganisationId(row.organisation_id)),
                    actor: Some(account),
                    action: "person.device_code_redeemed",
                    subject_type: "person",
                    subject_id: Some(row.id),
                    details: serde_json::json!({}),
                },
            )
            .await?;
            Ok(Some(account))
        })
        .await?;
    let Some(account) = redeemed else {
        throttle::record_sign_in_failure(
            &mut conn,
            &state.config.login_throttle,
            None,
            address_key.as_deref(),
        )
        .await?;
        return Err(ApiError::new(ErrorCode::DeviceCodeInvalid));
    };
    let tokens = crate::sessions::sign_in(&state, &mut conn, account).await?;
    Ok(HttpResponse::Created().json(PersonSignedIn {
        account_id: account.0,
        tokens,
    }))
}
