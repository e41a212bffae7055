//! Request and response bodies for invitations.

use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::roles::{Role, StaffRole};
use crate::error::{ApiResult, Validator};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "email": "gethin.price@example.org",
    "role": "mentor",
    "language": "cy"
}))]
pub struct CreateInvitation {
    #[schema(example = "mentor@example.org", max_length = 254)]
    pub email: String,
    pub role: StaffRole,
    /// The language the invitation mail puts first (both are always there).
    #[serde(default)]
    pub language: crate::fields::Lang,
}

impl CreateInvitation {
    pub fn validate(&self) -> ApiResult<()> {
        let mut v = Validator::new();
        v.email("/email", &self.email);
        v.finish()
    }
}

/// An invitation. `code` is shown once, to whoever created it, and never stored in clear.
#[derive(Debug, Serialize, ToSchema)]
pub struct Invitation {
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub email: String,
    pub role: Role,
    #[schema(example = "K7QD-M2XW-9RTA-HB4N")]
    pub code: String,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "code": "K7QD-M2XW-9RTA-HB4N",
    "name": "Ceri Jones",
    "password": "Llwybr-yr-arfordir-yn-Sir-Benfro"
}))]
pub struct AcceptInvitation {
    /// Case, spaces and dashes do not matter.
    #[schema(value_type = String, example = "K7QD-M2XW-9RTA-HB4N")]
    pub code: SecretString,
    #[schema(min_length = 1, max_length = 200, example = "Ceri Jones")]
    pub name: String,
    #[schema(value_type = String, format = Password, min_length = 12, max_length = 128)]
    pub password: SecretString,
}

impl AcceptInvitation {
    pub fn validate(&self) -> ApiResult<()> {
        let mut v = Validator::new();
        v.text("/name", &self.name, 1, 200);
        v.finish()
    }
}

/// An open staff invitation (its code is never shown again).
#[derive(Debug, Serialize, ToSchema)]
pub struct PendingInvitation {
    pub id: Uuid,
    pub email: String,
    pub role: Role,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PendingInvitationList {
    pub items: Vec<PendingInvitation>,
    pub next_cursor: Option<String>,
}
