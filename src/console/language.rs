//! `POST /console/language`: English or Welsh, remembered for a year in a cookie, then back
//! to the page the switch was pressed on.

use actix_web::cookie::time::Duration;
use actix_web::{HttpRequest, post, web};
use serde::Deserialize;

use crate::console::page::{self, PageResult, see_other};
use crate::console::session;
use crate::fields::Lang;
use crate::state::AppState;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LanguageForm {
    csrf: Option<String>,
    lang: Lang,
    next: Option<String>,
}

#[post("/language")]
pub async fn language(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Bytes,
) -> PageResult {
    let f: LanguageForm = crate::console::parse(&body)?;
    let signed = session::signed(&state, &req).await?;
    if signed.is_none() && session::FORM_COOKIE.read(&req).is_none() {
        // A page left open past its session: nothing to check the form against. To sign in
        // again (which sets the form cookie), the language unchanged.
        return Ok(see_other("/console/sign-in"));
    }
    session::check_form(&req, signed.as_ref(), f.csrf.as_deref())?;
    let mut res = see_other(page::safe_return(f.next.as_deref()));
    let cookie = session::cookie(
        &req,
        &session::LANG_COOKIE,
        f.lang.as_str().to_owned(),
        Some(Duration::days(365)),
    );
    res.add_cookie(&cookie)
        .map_err(crate::error::ApiError::internal)?;
    Ok(res)
}
