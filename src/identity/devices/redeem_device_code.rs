//! `POST /v1/device-codes/redeem`: a supported person signs in on their own phone.

use actix_web::{HttpRequest, HttpResponse, post, web};
use diesel_async::AsyncConnection;
use secrecy::ExposeSecret;

use crate::auth::codes;
use crate::auth::password::Policy;
use crate::auth::roles::Role;
use crate::error::{ApiError, ApiResult, ErrorCode, Problem};
use crate::identity::accounts::model::{self as accounts, NewAccount};
use crate::identity::devices::keys as devices;
use crate::identity::devices::types::RedeemDeviceCode;
use crate::identity::sessions::model::{self as sessions, RevokeReason};
use crate::identity::sessions::throttle;
use crate::identity::sessions::types::SignedIn;
use crate::ids::AccountId;
use crate::plan::people::model as people;
use crate::state::AppState;
use crate::trust::audit::model::{self as audit, AuditEvent};

/// Redeem a device code
///
/// No sign-in needed: the code a mentor issued is the credential. The person chooses a PIN
/// (6–12 digits, not a run or repeat) or a password. The first redemption creates the
/// person's own login; a later one (a new phone) sets a new secret, ends the sessions on other
/// devices and revokes their device keys. Keep `device_key` in the phone's secure storage:
/// with the PIN it signs in again at `/v1/auth/person-login`. Every attempt counts against
/// the address before the code is checked, and the code is checked before any PIN work.
#[utoipa::path(
    operation_id = "redeemDeviceCode",
    tag = "sessions",
    request_body = RedeemDeviceCode,
    responses(
        (status = 201, description = "Signed in", body = SignedIn),
        (status = 400, description = "The PIN or password is too short, too long or too easy to guess", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Unknown, used or expired code (`device_code_invalid`), or support has ended", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts from this address", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "Too busy to hash PINs now", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/device-codes/redeem")]
pub async fn redeem_device_code(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<RedeemDeviceCode>,
) -> ApiResult<HttpResponse> {
    let RedeemDeviceCode { code, secret } = body.into_inner();
    let address_key = throttle::caller(&req, &state.config);
    let code_hash = codes::code_hash(code.expose_secret());
    let code_hash_for_refund = code_hash.clone();
    {
        let mut conn = state.conn().await?;
        if let Some(key) = &address_key {
            throttle::attempt(&mut conn, state.config.login_throttle.window, &[key]).await?;
        }
        // The cheap check first: no PIN work for a wrong code.
        if !people::device_code_open(&mut conn, &code_hash).await? {
            return Err(ApiError::new(ErrorCode::DeviceCodeInvalid));
        }
    }
    let hash = state
        .passwords
        .hash(&secret, Policy::PinOrPassword, &[])
        .await?;
    let mut conn = state.conn().await?;
    let (account, person, device_key) = conn
        .transaction(async move |conn| {
            // Spent here, atomically: of two redemptions of one code only one gets a row.
            let Some((person, _org)) = people::redeem_device_code(conn, &code_hash).await? else {
                return Err(ApiError::new(ErrorCode::DeviceCodeInvalid));
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
                            role: Role::Person,
                            password_hash: &hash,
                        },
                    )
                    .await?;
                    people::set_account(conn, person, AccountId(created.id)).await?;
                    AccountId(created.id)
                }
            };
            let device_key = devices::register(conn, account).await?;
            audit::record(
                conn,
                AuditEvent {
                    organisation: Some(crate::ids::OrganisationId(row.organisation_id)),
                    person: Some(person),
                    actor: Some(account),
                    action: crate::trust::audit::Action::PersonDeviceCodeRedeemed,
                    subject_type: "person",
                    subject_id: Some(row.id),
                    details: serde_json::json!({}),
                },
            )
            .await?;
            Ok((account, row.id, device_key))
        })
        .await?;
    let limits = &state.config.login_throttle;
    throttle::succeeded(
        &mut conn,
        limits.window,
        &throttle::code(&code_hash_for_refund, limits),
        address_key.as_ref(),
    )
    .await?;
    let signed_in = crate::identity::sessions::sign_in(&state, &mut conn, account).await?;
    debug_assert_eq!(signed_in.person_id, Some(person));
    Ok(HttpResponse::Created().json(SignedIn {
        device_key: Some(device_key),
        ..signed_in
    }))
}
