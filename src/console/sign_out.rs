//! `POST /console/sign-out`: ends the session (as the API's logout does) and clears its
//! cookie.

use actix_web::{HttpRequest, post, web};
use serde::Deserialize;

use crate::console::page::{PageResult, see_other};
use crate::console::session;
use crate::state::AppState;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignOutForm {
    csrf: Option<String>,
}

#[post("/sign-out")]
pub async fn sign_out(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Bytes,
) -> PageResult {
    let f: SignOutForm = crate::console::parse(&body)?;
    // Nothing live to end (it went idle, or another tab signed out): only the cookie goes,
    // so a page left open signs out cleanly instead of failing its form.
    match session::signed(&state, &req).await? {
        Some(signed) => {
            session::check_form(&req, Some(&signed), f.csrf.as_deref())?;
            let mut conn = state.conn().await?;
            session::end(&mut conn, &signed).await?;
        }
        // No other site can clear the cookie either.
        None => session::check_origin(&req)?,
    }
    let mut res = see_other("/console/sign-in");
    res.add_cookie(&session::removal(&req, &session::SESSION_COOKIE))
        .map_err(crate::error::ApiError::internal)?;
    Ok(res)
}
