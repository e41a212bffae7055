//! The definition of every figure the dashboard and the reports show: what `GET /v1/kpis`
//! answers and what docs/KPIS.md lists (its table is generated from this, and a test keeps the
//! two the same). The SQL in `kpis::figures` and `dashboard::model` is what these say.

use serde::Serialize;
use utoipa::ToSchema;

/// One figure.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct Kpi {
    /// The field name it has in reports and dashboards.
    #[schema(example = "people_improved")]
    pub id: &'static str,
    pub name: &'static str,
    /// `report` (per outcome area, disclosure-controlled), `dashboard`, or both.
    pub shown_in: &'static [&'static str],
    /// `people`, `goals`, `reviews`, `stories`, `encouragements`, `percent`, `points` or `rate`.
    pub unit: &'static str,
    /// What is counted (for a share, the numerator).
    pub counts: &'static str,
    /// For a share or rate: what it is out of.
    pub out_of: Option<&'static str>,
}

const R: &[&str] = &["report", "dashboard"];
const D: &[&str] = &["dashboard"];

pub const KPIS: &[Kpi] = &[
    Kpi {
        id: "people_supported",
        name: "People supported",
        shown_in: R,
        unit: "people",
        counts: "People supported at some time in the period (support started on or before its last day, not ended before its first) with at least one goal currently coded to the area. Dashboard: `distance_travelled[].people`.",
        out_of: None,
    },
    Kpi {
        id: "goals_set",
        name: "Goals set",
        shown_in: R,
        unit: "goals",
        counts: "Goals coded to the area, of people supported, created in the period.",
        out_of: None,
    },
    Kpi {
        id: "goals_achieved",
        name: "Goals achieved",
        shown_in: R,
        unit: "goals",
        counts: "Goals coded to the area whose status was set to achieved in the period (a goal achieved, reopened and achieved again counts once). Dashboard top level: every goal of people supported today achieved in the period, coded or not.",
        out_of: None,
    },
    Kpi {
        id: "people_measured",
        name: "People with distance travelled",
        shown_in: R,
        unit: "people",
        counts: "People with at least one goal coded to the area that has a baseline (its first rating on or before the period's last day) and a later rating held in the period. Dashboard: `measured`.",
        out_of: None,
    },
    Kpi {
        id: "people_improved",
        name: "People who travelled towards their goals",
        shown_in: R,
        unit: "people",
        counts: "Measured people whose change is above zero. A goal's change is (latest - baseline) / (scale maximum - scale minimum), so every scale counts alike; a person's change in an area is the mean over their measured goals in it. Dashboard: `improved` (and `same`, `worse`).",
        out_of: None,
    },
    Kpi {
        id: "people_improved_pct",
        name: "Share who travelled towards their goals",
        shown_in: R,
        unit: "percent",
        counts: "people_improved",
        out_of: Some(
            "people_measured; in reports, of the shown (rounded) counts, withheld when either is suppressed. Dashboard: `improved_pct`, `same_pct`, `worse_pct` of the true counts, to 0.1.",
        ),
    },
    Kpi {
        id: "median_change_pct",
        name: "Median distance travelled",
        shown_in: R,
        unit: "points",
        counts: "The median of measured people's change, in percentage points of the scale (change x 100). Reports round it to the nearest 5 and show it only over at least 20 (shown) measured people.",
        out_of: None,
    },
    Kpi {
        id: "reviews_held",
        name: "Reviews held",
        shown_in: R,
        unit: "reviews",
        counts: "Reviews held in the period of people with a goal coded to the area (a person's review counts in each area they have goals in). Dashboard: `reviews.held`, every review of people supported today.",
        out_of: None,
    },
    Kpi {
        id: "reviews_on_time",
        name: "Reviews held on time",
        shown_in: &["report"],
        unit: "reviews",
        counts: "Of reviews_held, those held on or before the date the previous review set for the next one (a first review, or one after a review that set no date, is on time).",
        out_of: None,
    },
    Kpi {
        id: "reviews_on_time_pct",
        name: "Share of reviews held on time",
        shown_in: &["report"],
        unit: "percent",
        counts: "reviews_on_time",
        out_of: Some("reviews_held, of the shown counts; withheld when either is suppressed"),
    },
    Kpi {
        id: "stories_told",
        name: "Achievement stories",
        shown_in: R,
        unit: "stories",
        counts: "Published stories about a goal coded to the area, told in the period: a story inherits its goal's codes. Dashboard: `distance_travelled[].stories`.",
        out_of: None,
    },
    Kpi {
        id: "active_people",
        name: "People supported today",
        shown_in: D,
        unit: "people",
        counts: "People whose support has started and not ended (a mentor: their caseload). Also each mentor's `caseloads[].people`.",
        out_of: None,
    },
    Kpi {
        id: "goals_by_area",
        name: "Goals by outcome area and status",
        shown_in: D,
        unit: "goals",
        counts: "Goals of people supported today, by their current status and the area of the framework each is coded to (a goal in two areas counts in each; `code: null` for goals with no code from this framework).",
        out_of: None,
    },
    Kpi {
        id: "reviews_due",
        name: "Reviews due",
        shown_in: D,
        unit: "people",
        counts: "People supported today whose latest review set a next review date in the coming 30 days (`reviews.due`); `reviews.overdue`: that date has passed.",
        out_of: None,
    },
    Kpi {
        id: "stories_per_person_per_month",
        name: "Stories per person per month",
        shown_in: D,
        unit: "rate",
        counts: "Published stories told in the period by or about people supported today",
        out_of: Some("people supported today, per 30 days of the period, to 0.01"),
    },
    Kpi {
        id: "encouragements",
        name: "Encouragement",
        shown_in: D,
        unit: "encouragements",
        counts: "Reactions and comments (not hidden) in the period on the records of people supported today (`engagement.reactions`, `engagement.comments`).",
        out_of: None,
    },
    Kpi {
        id: "welsh_active_offer",
        name: "Welsh Active Offer",
        shown_in: D,
        unit: "people",
        counts: "Among people supported today: offered a service in Welsh, accepted it, accepted it and have a mentor recorded as speaking Welsh, and prefer Welsh (`welsh.*`).",
        out_of: None,
    },
    Kpi {
        id: "data_quality",
        name: "Data quality",
        shown_in: D,
        unit: "people",
        counts: "Among people supported today: active goals with no outcome code, people with no review in the last 90 days, active goals never rated (no baseline), people with nobody in their circle (`data_quality.*`; goals or people as named).",
        out_of: None,
    },
];

/// The generated table of docs/KPIS.md.
pub fn markdown() -> String {
    let mut out =
        String::from("| id | name | in | unit | counts | out of |\n|---|---|---|---|---|---|\n");
    for k in KPIS {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            k.id,
            k.name,
            k.shown_in.join(", "),
            k.unit,
            k.counts,
            k.out_of.unwrap_or("—"),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    /// docs/KPIS.md carries the table these definitions make: regenerate it with
    /// `CAMAU_WRITE_KPIS=1 cargo test --lib kpis_md`.
    #[test]
    fn every_report_figure_is_defined() {
        for column in crate::outcomes::reports::types::Figures::COLUMNS {
            assert!(super::KPIS.iter().any(|k| k.id == column), "{column}");
        }
    }

    #[test]
    fn kpis_md_lists_every_definition() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/KPIS.md");
        let doc = std::fs::read_to_string(path).unwrap();
        let (begin, end) = ("<!-- kpis:begin -->\n", "<!-- kpis:end -->");
        let start = doc.find(begin).expect("begin marker") + begin.len();
        let stop = doc.find(end).expect("end marker");
        let table = super::markdown();
        if doc[start..stop] != table {
            if std::env::var_os("CAMAU_WRITE_KPIS").is_some() {
                std::fs::write(path, format!("{}{table}{}", &doc[..start], &doc[stop..])).unwrap();
            } else {
                panic!("docs/KPIS.md is out of date: CAMAU_WRITE_KPIS=1 cargo test --lib kpis_md");
            }
        }
    }
}
