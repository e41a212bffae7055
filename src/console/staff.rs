//! `GET /console/staff`: the organisation's staff (admins and coordinators see roles and
//! contact details, mentors names only, as the API's list decides) and, for admins, the
//! invitations waiting to be accepted.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, get, web};
use maud::html;
use serde::Deserialize;

use crate::auth::Role;
use crate::console::page::{self, Desk, PageResult};
use crate::console::words::Words;
use crate::error::ApiError;
use crate::http::pagination::PageQuery;
use crate::state::AppState;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Paging {
    cursor: Option<String>,
}

pub fn role(w: &Words, role: Role) -> &'static str {
    match role {
        Role::Admin => w.roles[0],
        Role::Coordinator => w.roles[1],
        Role::Mentor => w.roles[2],
        _ => w.roles[3],
    }
}

#[get("/staff")]
pub async fn staff(state: web::Data<AppState>, req: HttpRequest, desk: Desk) -> PageResult {
    if desk.is_commissioner() {
        return Err(ApiError::not_found().into());
    }
    let p: Paging = crate::console::parse(req.query_string().as_bytes())?;
    let org = desk
        .actor
        .organisation_id()
        .ok_or_else(ApiError::not_found)?;
    let user = &desk.signed.user;
    let page = PageQuery {
        limit: Some(100),
        cursor: p.cursor.filter(|c| !c.is_empty()),
    };
    let staff = crate::identity::accounts::list::load(&state, user, org, &page).await?;
    let invitations = if desk.actor.role == Role::Admin {
        let first = PageQuery {
            limit: Some(100),
            cursor: None,
        };
        Some(crate::identity::invitations::list::load(&state, user, org, &first).await?)
    } else {
        None
    };
    let w = desk.ctx.w;
    let body = html! {
        div.table-wrap {
            table {
                thead { tr {
                    th scope="col" { (w.name) }
                    th scope="col" { (w.role) }
                    th scope="col" { (w.email) }
                    th scope="col" { (w.speaks_welsh) }
                } }
                tbody {
                    @for s in &staff.items {
                        tr {
                            td { (s.name) }
                            td { @if let Some(r) = s.role { (role(w, r)) } }
                            td { @if let Some(e) = &s.email { (e) } }
                            td { @match s.speaks_welsh { Some(true) => (w.yes), Some(false) => (w.no), None => "" } }
                        }
                    }
                }
            }
        }
        @if let Some(next) = &staff.next_cursor {
            nav.pager aria-label=(w.staff) { a href={ "/console/staff?cursor=" (next) } rel="next" { (w.next_page) } }
        }
        @if let Some(inv) = &invitations {
            h2 { (w.invitations) }
            @if inv.items.is_empty() { p { (w.nothing_yet) } } @else {
                div.table-wrap {
                    table {
                        thead { tr {
                            th scope="col" { (w.email) }
                            th scope="col" { (w.role) }
                            th scope="col" { (w.expires) }
                        } }
                        tbody {
                            @for i in &inv.items {
                                tr { td { (i.email) } td { (role(w, i.role)) } td { (i.expires_at.date()) } }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(page::html(
        StatusCode::OK,
        page::shell(&desk.ctx, w.staff, body),
        desk.ctx.lang,
    ))
}
