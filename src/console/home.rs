//! `GET /console/`: where each caller starts (the dashboard, or a commissioner's report), or
//! the sign-in page.

use actix_web::get;

use crate::console::page::{Desk, PageResult, see_other};

#[get("/")]
pub async fn home(desk: Desk) -> PageResult {
    Ok(see_other(if desk.is_commissioner() {
        "/console/reports"
    } else {
        "/console/dashboard"
    }))
}
