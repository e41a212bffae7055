//! `GET /console/reports` and `/console/reports.csv`: a commissioner's outcome report
//! (`reports::commissioner::load`: the same proof, the same disclosure control) for a chosen
//! framework, period and breakdowns; suppressed cells are marked in words, not only by a sign;
//! the CSV is the API's own (`OutcomeReport::to_csv`).

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, get, web};
use maud::{Markup, html};
use time::{Date, Month};

use crate::console::charts::{self, Series};
use crate::console::dashboard::{PeriodForm, framework_field};
use crate::console::kpis::figure_name;
use crate::console::page::{self, Desk, PageError, PageResult};
use crate::console::words::Words;
use crate::error::{ApiError, ErrorCode};
use crate::outcomes::kpis::figures::Dimension;
use crate::outcomes::reports::types::{Figures, OutcomeReport, ReportQuery};
use crate::state::AppState;

/// The report asked for in the query string; every breakdown when none is named.
struct Asked {
    form: PeriodForm,
    breakdowns: Vec<Dimension>,
}

fn asked(req: &HttpRequest) -> Result<Asked, PageError> {
    let pairs: Vec<(String, String)> = crate::console::parse(req.query_string().as_bytes())?;
    let mut form = PeriodForm::default();
    let mut breakdowns = Vec::new();
    let bad = |detail: String| {
        PageError::Api(ApiError::new(ErrorCode::InvalidQueryParameter).with_detail(detail))
    };
    for (k, v) in pairs {
        match k.as_str() {
            "from" => form.from = Some(v),
            "to" => form.to = Some(v),
            "framework" => form.framework = Some(v),
            "breakdown" => {
                let d = Dimension::parse(&v).ok_or_else(|| bad(format!("no breakdown {v:?}")))?;
                if !breakdowns.contains(&d) {
                    breakdowns.push(d);
                }
            }
            other => return Err(bad(format!("unknown field {other:?}"))),
        }
    }
    if breakdowns.is_empty() {
        breakdowns = Dimension::ALL.to_vec();
    }
    Ok(Asked { form, breakdowns })
}

/// The last whole quarter, calendar year and financial year before `today`.
fn presets(today: Date) -> [(Date, Date); 3] {
    let date = |y: i32, m: Month, d: u8| Date::from_calendar_date(y, m, d).unwrap_or(today);
    let y = today.year();
    let quarter_start =
        Month::try_from(((u8::from(today.month()) - 1) / 3) * 3 + 1).unwrap_or(Month::January);
    let this_quarter = date(y, quarter_start, 1);
    let last_quarter_end = this_quarter.previous_day().unwrap_or(today);
    let lq_start_month = Month::try_from(((u8::from(last_quarter_end.month()) - 1) / 3) * 3 + 1)
        .unwrap_or(Month::January);
    let last_quarter = (
        date(last_quarter_end.year(), lq_start_month, 1),
        last_quarter_end,
    );
    let last_year = (
        date(y - 1, Month::January, 1),
        date(y - 1, Month::December, 31),
    );
    let fy_end_year = if today.month() >= Month::April {
        y
    } else {
        y - 1
    };
    let last_fy = (
        date(fy_end_year - 1, Month::April, 1),
        date(fy_end_year, Month::March, 31),
    );
    [last_quarter, last_year, last_fy]
}

async fn report(
    state: &web::Data<AppState>,
    req: &HttpRequest,
    desk: Desk,
) -> Result<(Desk, Asked, OutcomeReport), PageError> {
    if !desk.is_commissioner() {
        return Err(ApiError::not_found().into());
    }
    let asked = asked(req)?;
    let [default, ..] = presets(crate::fields::today());
    let query = ReportQuery {
        framework: asked.form.framework()?,
        from: PeriodForm::date(&asked.form.from, "from")?.unwrap_or(default.0),
        to: PeriodForm::date(&asked.form.to, "to")?.unwrap_or(default.1),
        breakdown: Some(
            asked
                .breakdowns
                .iter()
                .map(|d| d.as_str())
                .collect::<Vec<_>>()
                .join(","),
        ),
    };
    let body = desk
        .actor
        .organisation_id()
        .ok_or_else(ApiError::not_found)?;
    let report = crate::outcomes::reports::commissioner::load(
        state,
        &desk.signed.user,
        desk.ctx.lang,
        body,
        &query,
    )
    .await?;
    Ok((desk, asked, report))
}

fn query_string(report: &OutcomeReport, breakdowns: &[Dimension]) -> String {
    let (from, to, framework) = (
        report.from.to_string(),
        report.to.to_string(),
        report.framework.id.to_string(),
    );
    let mut pairs = vec![
        ("framework", framework.as_str()),
        ("from", from.as_str()),
        ("to", to.as_str()),
    ];
    pairs.extend(breakdowns.iter().map(|d| ("breakdown", d.as_str())));
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

#[get("/reports")]
pub async fn reports(state: web::Data<AppState>, req: HttpRequest, desk: Desk) -> PageResult {
    let (desk, asked, report) = report(&state, &req, desk).await?;
    let frameworks =
        crate::outcomes::frameworks::list::load(&state, &desk.signed.user, desk.ctx.lang).await?;
    let w = desk.ctx.w;
    let body = view(w, &report, &asked.breakdowns, &frameworks.items);
    Ok(page::html(
        StatusCode::OK,
        page::shell(&desk.ctx, w.report, body),
        desk.ctx.lang,
    ))
}

#[get("/reports.csv")]
pub async fn reports_csv(state: web::Data<AppState>, req: HttpRequest, desk: Desk) -> PageResult {
    let (_, _, report) = report(&state, &req, desk).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"outcomes-{}-{}-{}.csv\"",
                report.framework.key, report.from, report.to
            ),
        ))
        .body(report.to_csv()))
}

fn dimension_name(w: &Words, d: Dimension) -> &'static str {
    match d {
        Dimension::Provider => w.dimensions[0],
        Dimension::ServiceType => w.dimensions[1],
        Dimension::AgeBand => w.dimensions[2],
        Dimension::Gender => w.dimensions[3],
        Dimension::Language => w.dimensions[4],
    }
}

fn values(f: &Figures) -> [Option<i64>; 11] {
    [
        f.people_supported,
        f.goals_set,
        f.goals_achieved,
        f.people_measured,
        f.people_improved,
        f.people_improved_pct,
        f.median_change_pct,
        f.reviews_held,
        f.reviews_on_time,
        f.reviews_on_time_pct,
        f.stories_told,
    ]
}

/// Each area's name for a chart of one figure, marked where that figure is suppressed.
fn chart_labels(
    w: &Words,
    report: &OutcomeReport,
    figure: fn(&Figures) -> Option<i64>,
) -> Vec<String> {
    report
        .areas
        .iter()
        .map(|a| match figure(&a.total) {
            Some(_) => a.label.text.clone(),
            None => format!("({}) {}", w.suppressed, a.label.text),
        })
        .collect()
}

/// For a share or a median, the count it is taken over (by column): a share of nothing is
/// not shown, and that is not suppression.
const BASE: [Option<usize>; 11] = [
    None,
    None,
    None,
    None,
    None,
    Some(3),
    Some(3),
    None,
    None,
    Some(7),
    None,
];

fn cells(w: &Words, f: &Figures) -> Markup {
    let v = values(f);
    html! {
        @for (i, value) in v.iter().enumerate() {
            @match value {
                Some(n) => td.num { (n) },
                None if BASE[i].is_some_and(|b| v[b] == Some(0)) => td.num { "–" span.visually-hidden { (w.nothing_to_measure) } },
                None => td.num.suppressed { (w.suppressed) sup { a href="#suppression" aria-label=(w.suppressed_reason) { "*" } } },
            }
        }
    }
}

fn view(
    w: &Words,
    report: &OutcomeReport,
    breakdowns: &[Dimension],
    frameworks: &[crate::outcomes::frameworks::types::FrameworkSummary],
) -> Markup {
    let [q, y, fy] = presets(crate::fields::today());
    let here = |from: Date, to: Date| {
        let mut pairs = vec![
            ("framework".to_owned(), report.framework.id.to_string()),
            ("from".to_owned(), from.to_string()),
            ("to".to_owned(), to.to_string()),
        ];
        pairs.extend(
            breakdowns
                .iter()
                .map(|d| ("breakdown".to_owned(), d.as_str().to_owned())),
        );
        format!(
            "/console/reports?{}",
            serde_urlencoded::to_string(pairs).unwrap_or_default()
        )
    };
    let shown = |v: Option<i64>| v.unwrap_or(0) as f64;
    html! {
        form.inline-form method="get" action="/console/reports" {
            div.field { label for="from" { (w.from) } input #from type="date" name="from" value=(report.from); }
            div.field { label for="to" { (w.to) } input #to type="date" name="to" value=(report.to); }
            (framework_field(w, frameworks, report.framework.id))
            fieldset {
                legend { (w.breakdowns) }
                @for d in Dimension::ALL {
                    label {
                        input type="checkbox" name="breakdown" value=(d.as_str()) checked[breakdowns.contains(&d)];
                        " " (dimension_name(w, d))
                    }
                }
            }
            button type="submit" { (w.show) }
        }
        p {
            (w.period) ": "
            a href=(here(q.0, q.1)) { (w.last_quarter) } " · "
            a href=(here(y.0, y.1)) { (w.last_year) } " · "
            a href=(here(fy.0, fy.1)) { (w.last_financial_year) }
        }
        p {
            strong { (report.framework.name.text) } ", " (report.from) " – " (report.to) ". "
            a href="/console/kpis" { (w.definitions_link) } ". "
            a.button href={ "/console/reports.csv?" (query_string(report, breakdowns)) } download { (w.download_csv) }
        }
        p { (w.disclosure) " " (report.disclosure.rounding_base) "; " (w.threshold) ": " (report.disclosure.threshold) "." }
        p #suppression { "* " (w.suppressed_reason) }
        h2 { (w.providers) }
        ul {
            @for p in &report.providers { li { (p.name) " (" (p.from) " – " (p.to) ")" } }
        }
        // A suppressed figure is not drawn as a zero: its area is named "suppressed" and has
        // no bar.
        h2 #supported { (w.figures[0]) }
        (charts::bars("chart-supported", w.figures[0], &chart_labels(w, report, |f| f.people_supported), &[Series {
            name: w.figures[0],
            values: report.areas.iter().map(|a| shown(a.total.people_supported)).collect(),
        }]))
        h2 #improved { (w.figures[5]) }
        (charts::percentages("chart-improved", w.figures[5], &chart_labels(w, report, |f| f.people_improved_pct), &[Series {
            name: w.figures[5],
            values: report.areas.iter().map(|a| shown(a.total.people_improved_pct)).collect(),
        }]))
        @for (i, area) in report.areas.iter().enumerate() {
            section aria-labelledby={ "area-" (i) } {
                h2 id={ "area-" (i) } { (area.label.text) }
                div.table-wrap {
                    table {
                        caption { (area.label.text) ": " (w.breakdowns) }
                        thead { tr {
                            th scope="col" { (w.breakdowns) }
                            @for (j, id) in Figures::COLUMNS.iter().enumerate() {
                                th.num scope="col" { a href={ "/console/kpis#" (id) } { (figure_name(w, id).unwrap_or(w.figures[j])) } }
                            }
                        } }
                        tbody {
                            tr { th scope="row" { strong { (w.total) } } (cells(w, &area.total)) }
                            @for b in &area.breakdowns {
                                @for c in &b.cells {
                                    tr {
                                        th scope="row" { (dimension_name(w, b.dimension)) ": " (c.label.text) }
                                        (cells(w, &c.figures))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::presets;

    #[test]
    fn presets_are_the_last_whole_periods() {
        assert_eq!(
            presets(date!(2026 - 12 - 07)),
            [
                (date!(2026 - 07 - 01), date!(2026 - 09 - 30)),
                (date!(2025 - 01 - 01), date!(2025 - 12 - 31)),
                (date!(2025 - 04 - 01), date!(2026 - 03 - 31)),
            ]
        );
        assert_eq!(
            presets(date!(2027 - 02 - 01)),
            [
                (date!(2026 - 10 - 01), date!(2026 - 12 - 31)),
                (date!(2026 - 01 - 01), date!(2026 - 12 - 31)),
                (date!(2025 - 04 - 01), date!(2026 - 03 - 31)),
            ]
        );
    }
}
