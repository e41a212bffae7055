//! `GET /console/dashboard`: the API's dashboard (`dashboard::get::load`, the same proof and
//! figures) as charts with their tables, for the whole organisation (admins, coordinators) or
//! a mentor's own caseload.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, get, web};
use maud::{Markup, html};

use crate::console::charts::{self, Series};
use crate::console::page::{self, Desk, PageError, PageResult};
use crate::console::words::Words;
use crate::error::{ApiError, ErrorCode};
use crate::fields::Lang;
use crate::outcomes::dashboard::types::{Dashboard, DashboardQuery};
use crate::outcomes::frameworks::types::FrameworkSummary;
use crate::state::AppState;

/// The period and framework chosen in a form (empty fields mean the default).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodForm {
    pub from: Option<String>,
    pub to: Option<String>,
    pub framework: Option<String>,
}

impl PeriodForm {
    pub fn date(value: &Option<String>, name: &str) -> Result<Option<time::Date>, PageError> {
        match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(v) => {
                use serde::de::IntoDeserializer;
                let d: Result<time::Date, serde::de::value::Error> =
                    crate::fields::iso_date::deserialize(v.into_deserializer());
                d.map(Some).map_err(|_| {
                    PageError::Api(
                        ApiError::new(ErrorCode::InvalidQueryParameter)
                            .with_detail(format!("{name} must be a date, YYYY-MM-DD")),
                    )
                })
            }
        }
    }

    pub fn framework(&self) -> Result<Option<uuid::Uuid>, PageError> {
        match self
            .framework
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
        {
            None => Ok(None),
            Some(v) => v.parse().map(Some).map_err(|_| {
                PageError::Api(
                    ApiError::new(ErrorCode::InvalidQueryParameter)
                        .with_detail("framework must be a framework's id"),
                )
            }),
        }
    }
}

/// A `<select>` of the frameworks the caller's organisation may use.
pub fn framework_field(w: &Words, frameworks: &[FrameworkSummary], chosen: uuid::Uuid) -> Markup {
    html! {
        div.field {
            label for="framework" { (w.framework) }
            select #framework name="framework" {
                @for f in frameworks {
                    option value=(f.id) selected[f.id == chosen] { (f.name.text) }
                }
            }
        }
    }
}

pub fn num_cell(n: i64) -> Markup {
    html! { td.num { (n) } }
}

#[get("/dashboard")]
pub async fn dashboard(state: web::Data<AppState>, req: HttpRequest, desk: Desk) -> PageResult {
    if desk.is_commissioner() {
        return Err(ApiError::not_found().into());
    }
    let form: PeriodForm = crate::console::parse(req.query_string().as_bytes())?;
    let query = DashboardQuery {
        framework: form.framework()?,
        from: PeriodForm::date(&form.from, "from")?,
        to: PeriodForm::date(&form.to, "to")?,
    };
    let org = desk
        .actor
        .organisation_id()
        .ok_or_else(ApiError::not_found)?;
    let lang = desk.ctx.lang;
    let user = &desk.signed.user;
    let d = crate::outcomes::dashboard::get::load(&state, user, lang, org, &query).await?;
    let frameworks = crate::outcomes::frameworks::list::load(&state, user, lang).await?;
    let w = desk.ctx.w;
    let title = if d.scope == "caseload" {
        w.caseload_dashboard
    } else {
        w.dashboard
    };
    let body = view(w, lang, &d, &frameworks.items);
    Ok(page::html(
        StatusCode::OK,
        page::shell(&desk.ctx, title, body),
        lang,
    ))
}

fn view(w: &Words, _lang: Lang, d: &Dashboard, frameworks: &[FrameworkSummary]) -> Markup {
    let areas: Vec<String> = d
        .distance_travelled
        .iter()
        .map(|a| a.label.text.clone())
        .collect();
    let goal_areas: Vec<String> = d
        .goals_by_area
        .iter()
        .map(|g| {
            g.label
                .as_ref()
                .map_or_else(|| w.no_code.to_owned(), |l| l.text.clone())
        })
        .collect();
    let f = |v: i64| v as f64;
    html! {
        form.inline-form method="get" action="/console/dashboard" {
            div.field {
                label for="from" { (w.from) }
                input #from type="date" name="from" value=(d.from);
            }
            div.field {
                label for="to" { (w.to) }
                input #to type="date" name="to" value=(d.to);
            }
            (framework_field(w, frameworks, d.framework.id))
            button type="submit" { (w.show) }
        }
        p { (w.period) ": " (d.from) " – " (d.to) ". " (w.framework) ": " (d.framework.name.text) "." }
        ul.tiles {
            li { span.value { (d.active_people) } (w.people_supported_today) }
            li { span.value { (d.goals_achieved) } (w.goals_achieved) }
            li { span.value { (d.reviews.held) } (w.reviews) ": " (w.held) }
            li { span.value { (d.reviews.overdue) } (w.reviews) ": " (w.overdue) }
        }

        section aria-labelledby="distance" {
            h2 #distance { (w.distance) }
            (charts::bars("chart-distance", w.distance, &areas, &[
                Series { name: w.improved, values: d.distance_travelled.iter().map(|a| f(a.improved)).collect() },
                Series { name: w.same, values: d.distance_travelled.iter().map(|a| f(a.same)).collect() },
                Series { name: w.worse, values: d.distance_travelled.iter().map(|a| f(a.worse)).collect() },
            ]))
            div.table-wrap {
                table {
                    caption { (w.chart_table) }
                    thead { tr {
                        th scope="col" { (w.area) }
                        th.num scope="col" { (w.people_col) }
                        th.num scope="col" { (w.goals_set) }
                        th.num scope="col" { (w.goals_achieved) }
                        th.num scope="col" { (w.measured) }
                        th.num scope="col" { (w.improved) }
                        th.num scope="col" { (w.same) }
                        th.num scope="col" { (w.worse) }
                        th.num scope="col" { (w.improved_pct) }
                        th.num scope="col" { (w.median_change) }
                    } }
                    tbody {
                        @for a in &d.distance_travelled {
                            tr {
                                th scope="row" { (a.label.text) }
                                (num_cell(a.people)) (num_cell(a.goals_set)) (num_cell(a.goals_achieved))
                                (num_cell(a.measured)) (num_cell(a.improved)) (num_cell(a.same)) (num_cell(a.worse))
                                td.num { @if let Some(p) = a.improved_pct { (p) } @else { "–" } }
                                td.num { @if let Some(m) = a.median_change_pct { (m) } @else { "–" } }
                            }
                        }
                    }
                }
            }
        }

        section aria-labelledby="goals" {
            h2 #goals { (w.goals_by_area) }
            (charts::bars("chart-goals", w.goals_by_area, &goal_areas, &[
                Series { name: w.active, values: d.goals_by_area.iter().map(|g| f(g.active)).collect() },
                Series { name: w.achieved, values: d.goals_by_area.iter().map(|g| f(g.achieved)).collect() },
                Series { name: w.paused, values: d.goals_by_area.iter().map(|g| f(g.paused)).collect() },
                Series { name: w.stopped, values: d.goals_by_area.iter().map(|g| f(g.stopped)).collect() },
            ]))
            div.table-wrap {
                table {
                    caption { (w.chart_table) }
                    thead { tr {
                        th scope="col" { (w.area) }
                        th.num scope="col" { (w.active) }
                        th.num scope="col" { (w.achieved) }
                        th.num scope="col" { (w.paused) }
                        th.num scope="col" { (w.stopped) }
                    } }
                    tbody {
                        @for (g, label) in d.goals_by_area.iter().zip(&goal_areas) {
                            tr {
                                th scope="row" { (label) }
                                (num_cell(g.active)) (num_cell(g.achieved)) (num_cell(g.paused)) (num_cell(g.stopped))
                            }
                        }
                    }
                }
            }
        }

        (counts("reviews", w.reviews, w, &[
            (w.held, d.reviews.held), (w.due, d.reviews.due), (w.overdue, d.reviews.overdue),
        ]))
        (counts("engagement", w.engagement, w, &[
            (w.stories, d.engagement.stories),
            (w.reactions, d.engagement.reactions),
            (w.comments, d.engagement.comments),
        ]))
        p { (w.per_person_month) ": " (d.engagement.stories_per_person_per_month) }
        (counts("welsh", w.welsh_offer, w, &[
            (w.offered, d.welsh.offered),
            (w.accepted, d.welsh.accepted),
            (w.accepted_welsh_mentor, d.welsh.accepted_with_welsh_speaking_mentor),
            (w.preferring_welsh, d.welsh.preferring_welsh),
        ]))

        section aria-labelledby="quality" {
            h2 #quality { (w.data_quality) }
            div.table-wrap {
                table {
                    thead { tr {
                        th scope="col" { (w.figure) }
                        th.num scope="col" { (w.count) }
                        th scope="col" { span.visually-hidden { (w.show_people) } }
                    } }
                    tbody {
                        @for (label, n, need) in [
                            (w.goals_without_codes, d.data_quality.goals_without_codes, "codes"),
                            (w.goals_without_baseline, d.data_quality.goals_without_baseline, "baseline"),
                            (w.people_without_review, d.data_quality.people_without_recent_review, "review"),
                            (w.people_without_circle, d.data_quality.people_without_circle, "circle"),
                        ] {
                            tr {
                                th scope="row" { (label) }
                                (num_cell(n))
                                td {
                                    @if n > 0 {
                                        a href={ "/console/people?needs=" (need) } { (w.show_people) span.visually-hidden { ": " (label) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        section aria-labelledby="caseloads" {
            h2 #caseloads { (w.caseloads) }
            div.table-wrap {
                table {
                    thead { tr {
                        th scope="col" { (w.mentor) }
                        th scope="col" { (w.speaks_welsh) }
                        th.num scope="col" { (w.people_col) }
                    } }
                    tbody {
                        @for c in &d.caseloads {
                            tr {
                                th scope="row" { (c.name) }
                                td { @if c.speaks_welsh { (w.yes) } @else { (w.no) } }
                                (num_cell(c.people))
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A section of a few counts: a bar chart and its table.
fn counts(id: &str, title: &str, w: &Words, rows: &[(&str, i64)]) -> Markup {
    let labels: Vec<String> = rows.iter().map(|(l, _)| (*l).to_owned()).collect();
    html! {
        section aria-labelledby=(id) {
            h2 id=(id) { (title) }
            (charts::bars(&format!("chart-{id}"), title, &labels, &[Series {
                name: title,
                values: rows.iter().map(|(_, n)| *n as f64).collect(),
            }]))
            div.table-wrap {
                table {
                    caption { (w.chart_table) }
                    tbody {
                        @for (label, n) in rows {
                            tr { th scope="row" { (label) } (num_cell(*n)) }
                        }
                    }
                }
            }
        }
    }
}
