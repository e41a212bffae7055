//! `GET /console/kpis`: what each figure counts (the API's `GET /v1/kpis`), one click from
//! every report; each figure has its own anchor.

use actix_web::http::StatusCode;
use actix_web::{get, web};
use maud::html;

use crate::console::page::{self, Desk, PageResult};
use crate::console::words::Words;
use crate::outcomes::reports::types::Figures;
use crate::state::AppState;

/// A figure's label in the console's language: the report's figures have both; the
/// dashboard's own keep their English name.
pub fn figure_name(w: &Words, id: &str) -> Option<&'static str> {
    Figures::COLUMNS
        .iter()
        .position(|c| *c == id)
        .map(|i| w.figures[i])
}

#[get("/kpis")]
pub async fn kpis(state: web::Data<AppState>, desk: Desk) -> PageResult {
    let list = crate::outcomes::kpis::list::load(&state, &desk.signed.user).await?;
    let w = desk.ctx.w;
    let body = html! {
        p { (w.kpi_intro) " " (w.in_english) }
        div.table-wrap {
            table {
                thead { tr {
                    th scope="col" { (w.figure) }
                    th scope="col" { (w.counts) }
                    th scope="col" { (w.out_of) }
                } }
                tbody {
                    @for k in &list.items {
                        tr id=(k.id) {
                            th scope="row" {
                                @if let Some(name) = figure_name(w, k.id) { (name) } @else { span lang="en" { (k.name) } }
                                br; code { (k.id) }
                            }
                            td lang="en" { (k.counts) }
                            td lang="en" { (k.out_of.unwrap_or("")) }
                        }
                    }
                }
            }
        }
        h2 #disclosure { (w.disclosure_title) }
        p lang="en" { (list.disclosure.rules) }
    };
    Ok(page::html(
        StatusCode::OK,
        page::shell(&desk.ctx, w.kpis, body),
        desk.ctx.lang,
    ))
}
