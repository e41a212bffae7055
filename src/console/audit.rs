//! `GET /console/audit` and `/console/audit.csv`: the organisation's audit trail (its admins),
//! a page at a time, and the same CSV the API gives, recorded as an export as the API's is.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, get, web};
use maud::html;
use serde::Deserialize;

use crate::console::dashboard::PeriodForm;
use crate::console::page::{self, Desk, PageError, PageResult};
use crate::error::ApiError;
use crate::state::AppState;
use crate::trust::audit_log::organisation::{self, Audit};
use crate::trust::audit_log::types::AuditQuery;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Filter {
    from: Option<String>,
    to: Option<String>,
    cursor: Option<String>,
}

impl Filter {
    /// The days chosen, as the API's instants: from the start of `from` to the end of `to`.
    fn query(&self) -> Result<AuditQuery, PageError> {
        let from = PeriodForm::date(&self.from, "from")?;
        let to = PeriodForm::date(&self.to, "to")?;
        // Days in the UK, as the dashboard's: from the start of `from` to the end of `to`.
        let start = |d: time::Date| {
            let utc = d.midnight().assume_utc();
            d.midnight()
                .assume_offset(crate::fields::london_offset(utc))
        };
        Ok(AuditQuery {
            from: from.map(start),
            to: to.map(|d| start(d.next_day().unwrap_or(d))),
            limit: Some(50),
            cursor: self.cursor.clone().filter(|c| !c.is_empty()),
            ..AuditQuery::default()
        })
    }
}

async fn load(
    state: &AppState,
    req: &HttpRequest,
    desk: Desk,
    csv: bool,
) -> Result<(Desk, Filter, Audit), PageError> {
    let filter: Filter = crate::console::parse(req.query_string().as_bytes())?;
    let org = desk
        .actor
        .organisation_id()
        .ok_or_else(ApiError::not_found)?;
    let answer = organisation::load(state, &desk.signed.user, org, filter.query()?, csv).await?;
    Ok((desk, filter, answer))
}

#[get("/audit")]
pub async fn audit(state: web::Data<AppState>, req: HttpRequest, desk: Desk) -> PageResult {
    let (desk, filter, answer) = load(&state, &req, desk, false).await?;
    let Audit::Page(log) = answer else {
        return Err(ApiError::internal("a page was asked for").into());
    };
    let w = desk.ctx.w;
    let (from, to) = (
        filter.from.unwrap_or_default(),
        filter.to.unwrap_or_default(),
    );
    let csv = format!(
        "/console/audit.csv?{}",
        serde_urlencoded::to_string([("from", from.as_str()), ("to", to.as_str())])
            .unwrap_or_default()
    );
    let body = html! {
        form.inline-form method="get" action="/console/audit" {
            div.field { label for="from" { (w.from) } input #from type="date" name="from" value=(from); }
            div.field { label for="to" { (w.to) } input #to type="date" name="to" value=(to); }
            button type="submit" { (w.show) }
        }
        p { a.button href=(csv) download { (w.download_csv) } }
        @if log.items.is_empty() { p { (w.nothing_yet) } } @else {
            div.table-wrap {
                table {
                    thead { tr {
                        th scope="col" { (w.when) }
                        th scope="col" { (w.who) }
                        th scope="col" { (w.action) }
                        th scope="col" { (w.subject) }
                    } }
                    tbody {
                        @for e in &log.items {
                            tr {
                                td { (e.at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()) }
                                td { (e.actor.name.as_deref().unwrap_or("–")) " (" (e.actor.role) ")" }
                                td { code { (e.action) } }
                                td { (e.subject_type) @if let Some(id) = e.subject_id { " " code { (id) } } }
                            }
                        }
                    }
                }
            }
        }
        @if let Some(next) = &log.next_cursor {
            nav.pager aria-label=(w.audit) {
                a rel="next" href={ "/console/audit?" (serde_urlencoded::to_string([("from", from.as_str()), ("to", to.as_str()), ("cursor", next.as_str())]).unwrap_or_default()) } { (w.next_page) }
            }
        }
    };
    Ok(page::html(
        StatusCode::OK,
        page::shell(&desk.ctx, w.audit, body),
        desk.ctx.lang,
    ))
}

#[get("/audit.csv")]
pub async fn audit_csv(state: web::Data<AppState>, req: HttpRequest, desk: Desk) -> PageResult {
    let (_, _, answer) = load(&state, &req, desk, true).await?;
    let Audit::Csv(text) = answer else {
        return Err(ApiError::internal("CSV was asked for").into());
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"audit.csv\"",
        ))
        .body(text))
}
