//! Request and response bodies for devices and notification settings.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::{ApiResult, Validator};

crate::text_enum! {
    pub enum Platform {
        Android = "android",
        Ios = "ios",
        Web = "web",
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "platform": "android", "token": "fcm-registration-token-from-the-app" }))]
pub struct RegisterDevice {
    pub platform: Platform,
    /// The FCM registration token. Registering a token again (or from another account after
    /// signing in there) moves it rather than adding a second device.
    #[schema(min_length = 1, max_length = 4096)]
    pub token: String,
}

impl RegisterDevice {
    pub fn validate(&self) -> ApiResult<()> {
        let mut v = Validator::new();
        v.text("/token", &self.token, 1, 4096);
        v.finish()
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Device {
    pub id: Uuid,
    pub platform: Platform,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// Quiet hours (Europe/London, `HH:MM`, both or neither) and the people whose news the caller
/// does not want pushed (their feed still shows it).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "quiet_from": "21:30", "quiet_until": "07:00", "muted_people": [] }))]
pub struct NotificationSettings {
    #[schema(example = "21:30", pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub quiet_from: Option<String>,
    #[schema(example = "07:00", pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub quiet_until: Option<String>,
    #[serde(default)]
    pub muted_people: Vec<Uuid>,
}

/// `HH:MM`, 00:00 to 23:59.
pub fn parse_time(text: &str) -> Option<time::Time> {
    let (h, m) = text.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    time::Time::from_hms(h.parse().ok()?, m.parse().ok()?, 0).ok()
}

pub fn format_time(t: time::Time) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

impl NotificationSettings {
    /// The quiet hours, validated.
    pub fn quiet(&self) -> ApiResult<Option<(time::Time, time::Time)>> {
        let mut v = Validator::new();
        let mut parse = |field: &str, text: &Option<String>| {
            text.as_deref().and_then(|t| {
                let parsed = parse_time(t);
                if parsed.is_none() {
                    v.add(field, "invalid_time", "a time as HH:MM");
                }
                parsed
            })
        };
        let from = parse("/quiet_from", &self.quiet_from);
        let until = parse("/quiet_until", &self.quiet_until);
        if self.quiet_from.is_some() != self.quiet_until.is_some() {
            v.add(
                "/quiet_until",
                "both_or_neither",
                "give both ends of the quiet hours, or neither",
            );
        }
        if self.muted_people.len() > 500 {
            v.add("/muted_people", "too_many", "at most 500 people");
        }
        v.finish()?;
        Ok(from.zip(until))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_hours_and_minutes() {
        assert_eq!(parse_time("07:05"), time::Time::from_hms(7, 5, 0).ok());
        assert_eq!(parse_time("24:00"), None);
        assert_eq!(parse_time("7:05"), None);
        assert_eq!(
            format_time(time::Time::from_hms(21, 30, 0).unwrap()),
            "21:30"
        );
    }
}
