//! Field types shared by several slices' request and response bodies.

use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

/// The language a piece of text is written in, or a person prefers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    En,
    Cy,
}

impl Lang {
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Cy => "cy",
        }
    }

    pub fn parse(s: &str) -> Self {
        if s == "cy" { Lang::Cy } else { Lang::En }
    }

    /// From `Accept-Language`: Welsh when it is preferred over English, else English.
    pub fn from_request(req: &actix_web::HttpRequest) -> Self {
        let header = req
            .headers()
            .get(actix_web::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let first = header
            .split(',')
            .map(|part| {
                part.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            })
            .find(|tag| tag.starts_with("cy") || tag.starts_with("en"));
        match first.as_deref() {
            Some(tag) if tag.starts_with("cy") => Lang::Cy,
            _ => Lang::En,
        }
    }
}

time::serde::format_description!(pub iso_date, Date, "[year]-[month]-[day]");

/// For PATCH bodies: absent → `None` (leave as is), `null` → `Some(None)` (clear), a value →
/// `Some(Some(v))`. Use with `#[serde(default, deserialize_with = "double_option")]`.
pub fn double_option<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// For PATCH bodies of dates: like [`double_option`], in `YYYY-MM-DD`.
pub fn double_option_date<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<time::Date>>, D::Error> {
    iso_date::option::deserialize(d).map(Some)
}
