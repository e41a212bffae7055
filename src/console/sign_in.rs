//! `GET|POST /console/sign-in`: the API's password check (same throttle, same answer for
//! every failure), then a console session for staff and commissioners only. The form carries
//! a CSRF token tied to a cookie, so no other site can sign a browser in to its own account.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, get, post, web};
use maud::{Markup, html};
use secrecy::SecretString;
use serde::Deserialize;

use crate::console::page::{self, Ctx, PageResult, see_other};
use crate::console::session;
use crate::console::words::{Words, words};
use crate::error::ErrorCode;
use crate::state::AppState;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignInForm {
    csrf: Option<String>,
    email: Option<String>,
    password: Option<String>,
}

fn form(ctx: &Ctx, email: &str, problem: Option<&str>) -> Markup {
    let w: &Words = ctx.w;
    let body = html! {
        p { (w.sign_in_intro) }
        @if let Some(problem) = problem {
            div.error role="alert" { p { (problem) } }
        }
        form method="post" action="/console/sign-in" {
            input type="hidden" name="csrf" value=(ctx.csrf);
            div.field {
                label for="email" { (w.email) }
                input #email type="email" name="email" value=(email) autocomplete="username" required;
            }
            div.field {
                label for="password" { (w.password) }
                input #password type="password" name="password" autocomplete="current-password" required;
            }
            button.primary type="submit" { (w.sign_in) }
        }
    };
    page::shell(ctx, w.sign_in, body)
}

fn context(req: &HttpRequest, csrf: String) -> Ctx {
    let lang = page::lang(req);
    Ctx {
        lang,
        w: words(lang),
        csrf,
        here: "/console/sign-in".into(),
        nav: Vec::new(),
        signed_in: false,
    }
}

#[get("/sign-in")]
pub async fn show(state: web::Data<AppState>, req: HttpRequest) -> PageResult {
    if session::signed(&state, &req).await?.is_some() {
        return Ok(see_other("/console/"));
    }
    let (csrf, set) = session::form_csrf(&req);
    let ctx = context(&req, csrf);
    let mut res = page::html(StatusCode::OK, form(&ctx, "", None), ctx.lang);
    if let Some(cookie) = set {
        res.add_cookie(&cookie)
            .map_err(crate::error::ApiError::internal)?;
    }
    Ok(res)
}

#[post("/sign-in")]
pub async fn submit(state: web::Data<AppState>, req: HttpRequest, body: web::Bytes) -> PageResult {
    let f: SignInForm = crate::console::parse(&body)?;
    session::check_form(&req, None, f.csrf.as_deref())?;
    let (csrf, _) = session::form_csrf(&req);
    let ctx = context(&req, csrf);
    let email = f.email.unwrap_or_default();
    let password = SecretString::from(f.password.unwrap_or_default());
    let refused = |status: StatusCode, text: &str| {
        page::html(status, form(&ctx, &email, Some(text)), ctx.lang)
    };
    let account =
        match crate::identity::sessions::login::verify(&state, &req, &email, &password).await {
            Ok(account) => account,
            Err(e) if e.code == ErrorCode::InvalidCredentials => {
                return Ok(refused(StatusCode::UNAUTHORIZED, ctx.w.wrong_credentials));
            }
            Err(e) if e.code == ErrorCode::TooManyAttempts => {
                let mut res = refused(StatusCode::TOO_MANY_REQUESTS, ctx.w.too_many_attempts);
                if let Some(secs) = e.retry_after_secs {
                    res.headers_mut().insert(
                        actix_web::http::header::RETRY_AFTER,
                        actix_web::http::header::HeaderValue::from(secs),
                    );
                }
                return Ok(res);
            }
            Err(e) => return Err(e.into()),
        };
    // A browser signed in already (as anyone) leaves that session ended, not orphaned.
    let previous = session::signed(&state, &req).await?;
    let mut conn = state.conn().await?;
    let (role, kind) = crate::identity::accounts::model::role_and_kind(&mut conn, account).await?;
    if !page::for_console(role, kind) {
        return Ok(refused(StatusCode::FORBIDDEN, ctx.w.not_for_you));
    }
    if let Some(previous) = &previous {
        session::end(&mut conn, previous).await?;
    }
    let token = session::start(&mut conn, &state, account).await?;
    tracing::info!(account_id = %account.0, "signed in to the console");
    let mut res = see_other("/console/");
    let add = |res: &mut actix_web::HttpResponse, c| {
        res.add_cookie(&c).map_err(crate::error::ApiError::internal)
    };
    add(
        &mut res,
        session::cookie(&req, &session::SESSION_COOKIE, token, None),
    )?;
    add(&mut res, session::removal(&req, &session::FORM_COOKIE))?;
    Ok(res)
}
