//! Request bodies of password reset and email verification.

use secrecy::SecretString;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::error::{ApiResult, Validator};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "email": "ceri@example.org" }))]
pub struct PasswordResetRequest {
    #[schema(example = "ceri@example.org", max_length = 254)]
    pub email: String,
}

impl PasswordResetRequest {
    pub fn validate(&self) -> ApiResult<()> {
        let mut v = Validator::new();
        v.email("/email", &self.email);
        v.finish()
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "code": "K7QD-M2XW-9RTA-HB4N",
    "new_password": "Niwl-dros-Fannau-Brycheiniog"
}))]
pub struct ConfirmPasswordReset {
    /// The code from the email. Case, spaces and dashes do not matter.
    #[schema(value_type = String, example = "K7QD-M2XW-9RTA-HB4N")]
    pub code: SecretString,
    /// 12 to 128 characters, not easy to guess.
    #[schema(value_type = String, format = Password, min_length = 12, max_length = 128)]
    pub new_password: SecretString,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "code": "K7QD-M2XW-9RTA-HB4N" }))]
pub struct ConfirmEmailVerification {
    /// The code from the email. Case, spaces and dashes do not matter.
    #[schema(value_type = String, example = "K7QD-M2XW-9RTA-HB4N")]
    pub code: SecretString,
}
