//! The report's query, its JSON shape and its CSV rendering.

use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::error::{ApiResult, Validator};
use crate::fields::{Lang, iso_date};
use crate::http::csv::field;
use crate::outcomes::kpis::figures::Dimension;
use crate::plan::scales::types::Label;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// The framework (its id); by default the organisation's default framework.
    pub framework: Option<Uuid>,
    /// First day of the period (UK time), `YYYY-MM-DD`. A report covers one whole period that
    /// has ended: a calendar month, a calendar quarter (from 1 January, April, July or October),
    /// a calendar year or a UK financial year (1 April to 31 March).
    #[param(value_type = String, format = Date, example = "2026-04-01")]
    #[serde(with = "iso_date")]
    pub from: Date,
    /// Last day of the period, inclusive: the last day of the month, quarter or year that
    /// `from` starts, and before today (UK time).
    #[param(value_type = String, format = Date, example = "2026-06-30")]
    #[serde(with = "iso_date")]
    pub to: Date,
    /// Comma-separated: `provider`, `service_type`, `age_band`, `gender`, `language`.
    #[param(
        example = "age_band,gender",
        pattern = "^ *(provider|service_type|age_band|gender|language)? *(, *(provider|service_type|age_band|gender|language)? *)*$"
    )]
    pub breakdown: Option<String>,
}

impl ReportQuery {
    /// The breakdowns asked for, each once, in the order given.
    pub fn validate(&self) -> ApiResult<Vec<Dimension>> {
        let mut v = Validator::new();
        check_report_period(&mut v, self.from, self.to, crate::fields::today());
        let mut dims = Vec::new();
        for part in self.breakdown.as_deref().unwrap_or("").split(',') {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            match Dimension::parse(part) {
                Some(d) if !dims.contains(&d) => dims.push(d),
                Some(_) => {}
                None => v.add(
                    "/breakdown",
                    "unknown_breakdown",
                    "provider, service_type, age_band, gender or language",
                ),
            }
        }
        v.finish()?;
        Ok(dims)
    }
}

/// What a report may cover: one whole calendar month, calendar quarter, calendar year or UK
/// financial year that has ended. Any other period would let a caller difference reports day by day (the day
/// a lone person's support starts, a goal is achieved, a birthday crosses an age band).
pub fn check_report_period(v: &mut Validator, from: Date, to: Date, today: Date) {
    use time::Month;
    let last_day =
        |year: i32, month: Month| Date::from_calendar_date(year, month, month.length(year)).ok();
    let months_on = |months: u8| {
        let index = from.month() as u8 - 1 + months - 1;
        let year = from.year() + i32::from(index / 12);
        Month::try_from(index % 12 + 1)
            .ok()
            .and_then(|m| last_day(year, m))
    };
    let starts_quarter = matches!(
        from.month(),
        Month::January | Month::April | Month::July | Month::October
    );
    let whole = from.day() == 1
        && (Some(to) == months_on(1)
            || (starts_quarter && Some(to) == months_on(3))
            || (matches!(from.month(), Month::January | Month::April)
                && Some(to) == months_on(12)));
    if !whole {
        v.add(
            "/to",
            "period_not_whole",
            "a report covers one whole calendar month, calendar quarter, calendar year or \
             financial year (1 April to 31 March): `from` its first day, `to` its last",
        );
    } else if to >= today {
        v.add(
            "/to",
            "period_not_ended",
            "a report covers a period that has ended: ask again after its last day",
        );
    }
}

/// A period of a dashboard: it ends on or after its start, within five years.
pub fn check_period(v: &mut Validator, from: Date, to: Date) {
    if to < from {
        v.add("/to", "before_from", "the period ends before it starts");
    } else if (to - from).whole_days() > 5 * 366 {
        v.add("/to", "too_long", "a period is at most five years");
    }
}

/// An aggregate report: counts per outcome area, disclosure-controlled. A suppressed count or
/// a withheld percentage is `null`; a true zero is `0`.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutcomeReport {
    pub framework: ReportFramework,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub from: Date,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub to: Date,
    /// The providers whose figures are included, each over the part of the period its
    /// contract covers.
    pub providers: Vec<ReportProvider>,
    pub disclosure: DisclosureRules,
    pub areas: Vec<AreaReport>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportFramework {
    pub id: Uuid,
    pub key: String,
    pub name: Label,
    /// `to_confirm`: wording not yet checked against its source.
    pub status: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportProvider {
    pub id: Uuid,
    pub name: String,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub from: Date,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub to: Date,
}

/// How the counts were protected (docs/KPIS.md §Disclosure).
#[derive(Debug, Serialize, ToSchema)]
pub struct DisclosureRules {
    /// The smallest count shown; smaller non-zero counts are `null`.
    pub threshold: i64,
    /// Shown counts are multiples of this.
    pub rounding_base: i64,
    /// Where the definitions of every figure are: `GET /v1/kpis`.
    #[schema(example = "/v1/kpis")]
    pub definitions: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AreaReport {
    pub code: String,
    pub label: Label,
    /// `all`, `children` or `adults`.
    pub applies_to: crate::outcomes::frameworks::types::AppliesTo,
    pub total: Figures,
    pub breakdowns: Vec<Breakdown>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Breakdown {
    pub dimension: Dimension,
    pub cells: Vec<Cell>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Cell {
    /// The value: a provider's id, `learning_disability`, `18-24`, `female`, `cy`...
    pub value: String,
    pub label: Label,
    pub figures: Figures,
}

/// The figures of `GET /v1/kpis`, by their ids. `null`: suppressed or withheld.
#[derive(Debug, Default, Clone, PartialEq, Serialize, ToSchema)]
pub struct Figures {
    pub people_supported: Option<i64>,
    pub goals_set: Option<i64>,
    pub goals_achieved: Option<i64>,
    pub people_measured: Option<i64>,
    pub people_improved: Option<i64>,
    pub people_improved_pct: Option<i64>,
    /// Median change in percentage points of the scale, to the nearest 5.
    pub median_change_pct: Option<i64>,
    pub reviews_held: Option<i64>,
    pub reviews_on_time: Option<i64>,
    pub reviews_on_time_pct: Option<i64>,
    pub stories_told: Option<i64>,
}

impl Figures {
    pub const COLUMNS: [&'static str; 11] = [
        "people_supported",
        "goals_set",
        "goals_achieved",
        "people_measured",
        "people_improved",
        "people_improved_pct",
        "median_change_pct",
        "reviews_held",
        "reviews_on_time",
        "reviews_on_time_pct",
        "stories_told",
    ];

    fn values(&self) -> [Option<i64>; 11] {
        [
            self.people_supported,
            self.goals_set,
            self.goals_achieved,
            self.people_measured,
            self.people_improved,
            self.people_improved_pct,
            self.median_change_pct,
            self.reviews_held,
            self.reviews_on_time,
            self.reviews_on_time_pct,
            self.stories_told,
        ]
    }
}

impl OutcomeReport {
    /// One row per area total and per breakdown cell; the header names the figures by their
    /// `GET /v1/kpis` ids, labels follow the report's language.
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        let header = [
            "area_code",
            "area_label",
            "breakdown",
            "value",
            "value_label",
        ];
        let mut first = true;
        for h in header.iter().chain(Figures::COLUMNS.iter()) {
            if !first {
                out.push(',');
            }
            first = false;
            out.push_str(h);
        }
        out.push_str("\r\n");
        let mut row = |area: &AreaReport, dim: &str, value: &str, label: &str, f: &Figures| {
            for (i, text) in [
                area.code.as_str(),
                area.label.text.as_str(),
                dim,
                value,
                label,
            ]
            .into_iter()
            .enumerate()
            {
                if i > 0 {
                    out.push(',');
                }
                field(&mut out, text);
            }
            for v in f.values() {
                out.push(',');
                match v {
                    Some(n) => out.push_str(&n.to_string()),
                    None => out.push('*'),
                }
            }
            out.push_str("\r\n");
        };
        for area in &self.areas {
            row(area, "total", "", "", &area.total);
            for b in &area.breakdowns {
                for c in &b.cells {
                    row(
                        area,
                        b.dimension.as_str(),
                        &c.value,
                        &c.label.text,
                        &c.figures,
                    );
                }
            }
        }
        out
    }
}

/// The label of a breakdown value (a provider's is its name, given by the caller).
pub fn value_label(dimension: Dimension, value: &str, lang: Lang) -> Label {
    let (en, cy) = match (dimension, value) {
        (Dimension::ServiceType, "learning_disability") => {
            ("Learning disability", "Anabledd dysgu")
        }
        (Dimension::ServiceType, "childrens_services") => {
            ("Children's services", "Gwasanaethau plant")
        }
        (Dimension::ServiceType, "work_support") => ("Work support", "Cymorth gwaith"),
        (Dimension::ServiceType, "mental_health") => ("Mental health", "Iechyd meddwl"),
        (Dimension::ServiceType, "other") | (Dimension::Gender, "other") => ("Other", "Arall"),
        (Dimension::Gender, "female") => ("Female", "Benyw"),
        (Dimension::Gender, "male") => ("Male", "Gwryw"),
        (Dimension::Gender, "non_binary") => ("Non-binary", "Anneuaidd"),
        (Dimension::Gender, "not_stated") => {
            ("Prefers not to say", "Gwell ganddynt beidio â dweud")
        }
        (Dimension::Gender, "not_recorded") => ("Not recorded", "Heb ei gofnodi"),
        (Dimension::Language, "cy") => ("Welsh", "Cymraeg"),
        (Dimension::Language, "en") => ("English", "Saesneg"),
        (Dimension::AgeBand, "unknown") => ("Age not recorded", "Oed heb ei gofnodi"),
        (_, v) => (v, v),
    };
    crate::plan::scales::types::pick(en, Some(cy), lang)
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::check_report_period;
    use crate::error::Validator;

    fn allowed(from: time::Date, to: time::Date) -> bool {
        let mut v = Validator::new();
        check_report_period(&mut v, from, to, date!(2026 - 12 - 06));
        v.finish().is_ok()
    }

    #[test]
    fn only_whole_months_quarters_and_financial_years_that_have_ended() {
        assert!(allowed(date!(2026 - 11 - 01), date!(2026 - 11 - 30)));
        assert!(allowed(date!(2024 - 02 - 01), date!(2024 - 02 - 29)));
        assert!(allowed(date!(2026 - 07 - 01), date!(2026 - 09 - 30)));
        assert!(allowed(date!(2025 - 10 - 01), date!(2025 - 12 - 31)));
        assert!(allowed(date!(2025 - 04 - 01), date!(2026 - 03 - 31)));
        assert!(allowed(date!(2025 - 01 - 01), date!(2025 - 12 - 31)));
        // A day, a week, a month not from its first day, a quarter not on a quarter's start,
        // a year from another month.
        assert!(!allowed(date!(2026 - 03 - 05), date!(2026 - 03 - 05)));
        assert!(!allowed(date!(2026 - 03 - 01), date!(2026 - 03 - 07)));
        assert!(!allowed(date!(2026 - 03 - 02), date!(2026 - 04 - 01)));
        assert!(!allowed(date!(2026 - 02 - 01), date!(2026 - 04 - 30)));
        assert!(!allowed(date!(2025 - 05 - 01), date!(2026 - 04 - 30)));
        // Not yet ended: this month, this quarter, this financial year.
        assert!(!allowed(date!(2026 - 12 - 01), date!(2026 - 12 - 31)));
        assert!(!allowed(date!(2026 - 10 - 01), date!(2026 - 12 - 31)));
        assert!(!allowed(date!(2026 - 04 - 01), date!(2027 - 03 - 31)));
    }
}
