//! `GET /console/`: where each caller starts (the dashboard, or a commissioner's report), or
//! the sign-in page.

use actix_web::{HttpRequest, get, web};

use crate::console::page::{Desk, PageResult, see_other};
use crate::state::AppState;

#[get("/")]
pub async fn home(state: web::Data<AppState>, req: HttpRequest) -> PageResult {
    let desk = Desk::of(&state, &req).await?;
    Ok(see_other(if desk.is_commissioner() {
        "/console/reports"
    } else {
        "/console/dashboard"
    }))
}
