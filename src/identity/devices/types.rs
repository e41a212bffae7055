//! Request bodies of a person's device sign-in and PIN change.

use secrecy::SecretString;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "current_pin": "480137", "new_pin": "725904" }))]
pub struct ChangePinRequest {
    #[schema(value_type = String, format = Password, example = "480137")]
    pub current_pin: SecretString,
    /// 6 to 12 digits, not easy to guess (or a password of 12 to 128 characters).
    #[schema(value_type = String, format = Password, example = "725904")]
    pub new_pin: SecretString,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "code": "7KQ2-M9XD", "secret": "480137" }))]
pub struct RedeemDeviceCode {
    #[schema(value_type = String, example = "7KQ2-M9XD")]
    pub code: SecretString,
    /// A PIN of 6 to 12 digits, or a password of 12 to 128 characters.
    #[schema(value_type = String, format = Password)]
    pub secret: SecretString,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "device_key": "kidmWB4nocCKamPsJO3mpGtMskJKI9WWIhe-rdvElss",
    "secret": "480137"
}))]
pub struct PersonLogin {
    /// The key this phone received when it redeemed its device code.
    #[schema(value_type = String, format = Password)]
    pub device_key: SecretString,
    #[schema(value_type = String, format = Password)]
    pub secret: SecretString,
}
