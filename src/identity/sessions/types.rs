//! Request and response bodies of the session endpoints.

use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::roles::{OrganisationKind, Role};
use crate::fields::Lang;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "email": "ceri@example.org", "password": "Bore-da-o-Gaerdydd-2026" }))]
pub struct LoginRequest {
    #[schema(example = "ceri@example.org", max_length = 254)]
    pub email: String,
    #[schema(value_type = String, format = Password)]
    pub password: SecretString,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "refresh_token": "joGXPgvs17A4mNGQ-evazAyx4pxljNoUleYK9ZO9BM8" }))]
pub struct RefreshRequest {
    #[schema(value_type = String)]
    pub refresh_token: SecretString,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "current_password": "Bore-da-o-Gaerdydd-2026",
    "new_password": "Paned-o-de-a-bara-brith"
}))]
pub struct ChangePasswordRequest {
    #[schema(value_type = String, format = Password)]
    pub current_password: SecretString,
    /// 12 to 128 characters, not easy to guess.
    #[schema(value_type = String, format = Password, min_length = 12, max_length = 128)]
    pub new_password: SecretString,
}

/// A token pair. Send `access_token` as `Authorization: Bearer ...`; when it expires, trade
/// `refresh_token` at `/v1/auth/refresh` for a new pair (the old refresh token is then spent).
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenPair {
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    pub refresh_token: String,
    /// Seconds until the refresh token expires if unused.
    pub refresh_expires_in: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub account: MeAccount,
    /// The organisation of staff and of people; `null` for supporters and the platform operator.
    pub organisation: Option<MeOrganisation>,
    /// For a person's own login: the person it belongs to. Start here for their goals,
    /// profile and circle.
    pub person: Option<MePerson>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MePerson {
    pub id: Uuid,
    pub preferred_name: String,
    pub preferred_language: Lang,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeAccount {
    pub id: Uuid,
    pub email: Option<String>,
    /// Whether the account proved it reads mail at `email`: password resets go only to a
    /// verified address (`POST /v1/me/email/verification`).
    pub email_verified: bool,
    pub name: String,
    pub role: Role,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeOrganisation {
    pub id: Uuid,
    pub name: String,
    pub kind: OrganisationKind,
}

/// What every sign-in answers (password, PIN, device code, invitation acceptance, refresh):
/// the token pair, and who signed in.
#[derive(Debug, Serialize, ToSchema)]
pub struct SignedIn {
    pub account_id: Uuid,
    pub role: Role,
    /// For a person's own login, the person it belongs to (else `null`).
    pub person_id: Option<Uuid>,
    /// Only from redeeming a device code: keep it in the device's secure storage; with the PIN
    /// it signs in again at `/v1/auth/person-login`. A later redemption (a new phone) revokes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Password)]
    pub device_key: Option<String>,
    pub tokens: TokenPair,
}
