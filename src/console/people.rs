//! `GET /console/people`: the API's people list (`people::list::load`: the organisation for
//! admins and coordinators, the caseload for a mentor), searched by name, narrowed to what a
//! dashboard data-quality link names, in pages.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, get, web};
use maud::html;
use serde::Deserialize;

use crate::console::page::{self, Desk, PageResult};
use crate::error::ApiError;
use crate::outcomes::kpis::figures::Dimension;
use crate::outcomes::reports::types::value_label;
use crate::plan::people::types::{DataNeed, PeopleQuery};
use crate::state::AppState;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Search {
    q: Option<String>,
    needs: Option<String>,
    cursor: Option<String>,
}

#[get("/people")]
pub async fn people(state: web::Data<AppState>, req: HttpRequest, desk: Desk) -> PageResult {
    if desk.is_commissioner() {
        return Err(ApiError::not_found().into());
    }
    let s: Search = crate::console::parse(req.query_string().as_bytes())?;
    let needs = match s.needs.as_deref().filter(|n| !n.is_empty()) {
        None => None,
        Some(n) => Some(
            serde_json::from_value::<DataNeed>(serde_json::Value::String(n.to_owned())).map_err(
                |_| {
                    ApiError::new(crate::error::ErrorCode::InvalidQueryParameter)
                        .with_detail("needs must be codes, baseline, review or circle")
                },
            )?,
        ),
    };
    let q = s.q.clone().filter(|q| !q.trim().is_empty());
    let query = PeopleQuery {
        limit: Some(25),
        cursor: s.cursor.filter(|c| !c.is_empty()),
        q: q.clone(),
        needs,
    };
    let list = crate::plan::people::list::load(&state, &desk.signed.user, &query).await?;
    let (w, lang) = (desk.ctx.w, desk.ctx.lang);
    let need_label = needs.map(|n| match n {
        DataNeed::Codes => w.goals_without_codes,
        DataNeed::Baseline => w.goals_without_baseline,
        DataNeed::Review => w.people_without_review,
        DataNeed::Circle => w.people_without_circle,
    });
    let need_value = s.needs.clone().unwrap_or_default();
    let next = list.next_cursor.as_ref().map(|c| {
        let mut pairs = vec![("cursor", c.as_str())];
        if let Some(q) = &q {
            pairs.push(("q", q.as_str()));
        }
        if needs.is_some() {
            pairs.push(("needs", need_value.as_str()));
        }
        format!(
            "/console/people?{}",
            serde_urlencoded::to_string(pairs).unwrap_or_default()
        )
    });
    let first = {
        let mut pairs = Vec::new();
        if let Some(q) = &q {
            pairs.push(("q", q.as_str()));
        }
        if needs.is_some() {
            pairs.push(("needs", need_value.as_str()));
        }
        format!(
            "/console/people?{}",
            serde_urlencoded::to_string(pairs).unwrap_or_default()
        )
    };
    let body = html! {
        form.inline-form method="get" action="/console/people" role="search" {
            div.field {
                label for="q" { (w.search_label) }
                input #q type="search" name="q" value=(q.as_deref().unwrap_or("")) maxlength="100";
            }
            @if needs.is_some() { input type="hidden" name="needs" value=(need_value); }
            button type="submit" { (w.search) }
        }
        @if let Some(label) = need_label {
            div.notice { p { (w.needing) " " strong { (label) } ". " a href="/console/people" { (w.clear_filter) } } }
        }
        @if list.items.is_empty() {
            p { (w.none_found) }
        } @else {
            div.table-wrap {
                table {
                    thead { tr {
                        th scope="col" { (w.name) }
                        th scope="col" { (w.service_type) }
                        th scope="col" { (w.support_started) }
                    } }
                    tbody {
                        @for p in &list.items {
                            tr {
                                td { a href={ "/console/people/" (p.id) } { (p.preferred_name) } }
                                td { @if let Some(d) = &p.details { (value_label(Dimension::ServiceType, d.service_type.as_str(), lang).text) } }
                                td { @if let Some(d) = &p.details { (d.support_started_on) } }
                            }
                        }
                    }
                }
            }
        }
        nav.pager aria-label=(w.people) {
            @if query.cursor.is_some() {
                a href=(first) { (w.first_page) }
            }
            @if let Some(next) = &next { a href=(next) rel="next" { (w.next_page) } }
        }
    };
    Ok(page::html(
        StatusCode::OK,
        page::shell(&desk.ctx, w.people, body),
        lang,
    ))
}
