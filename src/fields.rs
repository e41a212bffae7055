//! Field types shared by several slices' request and response bodies.

use serde::{Deserialize, Deserializer};

crate::text_enum! {
    /// The language a piece of text is written in, or a person prefers.
    #[derive(Default)]
    pub enum Lang {
        #[default]
        En = "en",
        Cy = "cy",
    }
}

impl Lang {
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

time::serde::format_description!(iso_date_any, Date, "[year]-[month]-[day]");

/// The dates the API accepts: none before 1900 (no one supported today was born earlier) and
/// none after 2200 (no plan runs that long). Outside them a date is a typo or an attack on a
/// date library, not a fact.
pub const EARLIEST_DATE: time::Date = time::macros::date!(1900 - 01 - 01);
pub const LATEST_DATE: time::Date = time::macros::date!(2200 - 12 - 31);

fn bounded<E: serde::de::Error>(date: time::Date) -> Result<time::Date, E> {
    if (EARLIEST_DATE..=LATEST_DATE).contains(&date) {
        Ok(date)
    } else {
        Err(E::custom(format!(
            "a date must be between {EARLIEST_DATE} and {LATEST_DATE}"
        )))
    }
}

/// `YYYY-MM-DD` dates within [`EARLIEST_DATE`]..=[`LATEST_DATE`], for `#[serde(with = ...)]`.
pub mod iso_date {
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(date: &time::Date, s: S) -> Result<S::Ok, S::Error> {
        super::iso_date_any::serialize(date, s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<time::Date, D::Error> {
        super::bounded(super::iso_date_any::deserialize(d)?)
    }

    pub mod option {
        use serde::{Deserializer, Serializer};

        pub fn serialize<S: Serializer>(
            date: &Option<time::Date>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            super::super::iso_date_any::option::serialize(date, s)
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<time::Date>, D::Error> {
            super::super::iso_date_any::option::deserialize(d)?
                .map(super::super::bounded)
                .transpose()
        }
    }
}

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

/// Today's date where Camau's people live (Europe/London), the one "today" for every rule that
/// depends on the date: support end dates, overdue reviews, dates of birth. Between midnight
/// and 01:00 in summer UTC still says yesterday; this does not.
pub fn today() -> time::Date {
    london_date(time::OffsetDateTime::now_utc())
}

/// The Europe/London calendar date at `at`.
pub fn london_date(at: time::OffsetDateTime) -> time::Date {
    at.to_offset(london_offset(at)).date()
}

/// Europe/London's rules, from the IANA time zone database (embedded when the binary is built,
/// so a server without zoneinfo still knows them). PostgreSQL's `AT TIME ZONE 'Europe/London'`
/// reads its own copy; tests/api/london.rs holds the two to the same dates.
static LONDON: jiff::tz::TimeZone = jiff::tz::get!("Europe/London");

/// Europe/London's offset from UTC at `at`.
pub fn london_offset(at: time::OffsetDateTime) -> time::UtcOffset {
    let offset = jiff::Timestamp::from_second(at.unix_timestamp())
        .map(|t| LONDON.to_offset(t))
        .unwrap_or(jiff::tz::Offset::UTC);
    time::UtcOffset::from_whole_seconds(offset.seconds()).unwrap_or(time::UtcOffset::UTC)
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::london_date;

    #[test]
    fn london_dates_follow_british_summer_time() {
        // BST 2026 starts 01:00 UTC on 29 March and ends 01:00 UTC on 25 October.
        for (utc, london) in [
            (datetime!(2026-07-14 23:30 UTC), date!(2026 - 07 - 15)), // summer: already tomorrow
            (datetime!(2026-12-31 23:30 UTC), date!(2026 - 12 - 31)), // winter: UTC
            (datetime!(2026-03-28 23:30 UTC), date!(2026 - 03 - 28)),
            (datetime!(2026-03-29 23:30 UTC), date!(2026 - 03 - 30)),
            (datetime!(2026-10-24 23:30 UTC), date!(2026 - 10 - 25)),
            (datetime!(2026-10-25 23:30 UTC), date!(2026 - 10 - 25)),
        ] {
            assert_eq!(london_date(utc), london, "{utc}");
        }
    }
}
