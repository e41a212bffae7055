//! What every console page shares: the language, the signed-in caller and their navigation,
//! the page shell, the response headers (a Content-Security-Policy with no inline script or
//! style) and the one way errors are shown. Errors are the API's `ApiError`, rendered as a
//! page in both languages; 401 is a redirect to sign-in.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use maud::{DOCTYPE, Markup, html};

use crate::auth::{Actor, OrganisationKind, Role};
use crate::console::session::{self, Signed};
use crate::console::words::{CY, EN, Words, words};
use crate::error::{ApiError, ErrorCode};
use crate::fields::Lang;
use crate::state::AppState;

/// No script at all, styles and images from the console only, forms only to the console,
/// never framed.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; \
                       form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The language: the one chosen in the console (remembered in a cookie), else the browser's.
pub fn lang(req: &HttpRequest) -> Lang {
    match session::LANG_COOKIE.read(req).as_deref() {
        Some("cy") => Lang::Cy,
        Some("en") => Lang::En,
        _ => Lang::from_request(req),
    }
}

/// One page's context: language, words, the CSRF token its forms carry, where it is.
pub struct Ctx {
    pub lang: Lang,
    pub w: &'static Words,
    pub csrf: String,
    /// This page's path and query, for the language switch to come back to.
    pub here: String,
    pub nav: Vec<(&'static str, &'static str)>,
    pub signed_in: bool,
}

/// A signed-in page: the caller's session, who they are now, and the page context. Anyone
/// else is sent to sign in; an account the console is not for is signed out.
pub struct Desk {
    pub signed: Signed,
    pub actor: Actor,
    pub ctx: Ctx,
}

/// Named in a page handler's signature, as `CurrentUser` is in the API's: a page cannot be
/// written that forgets to check its caller.
impl actix_web::FromRequest for Desk {
    type Error = PageError;
    type Future = futures_util::future::LocalBoxFuture<'static, Result<Desk, PageError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<actix_web::web::Data<AppState>>()
                .cloned()
                .ok_or_else(|| PageError::Api(ApiError::internal("no application state")))?;
            Desk::of(&state, &req).await
        })
    }
}

impl Desk {
    async fn of(state: &AppState, req: &HttpRequest) -> Result<Desk, PageError> {
        let signed = session::signed(state, req)
            .await?
            .ok_or(PageError::SignIn)?;
        let actor = {
            let mut conn = state.conn().await?;
            signed.user.check(&mut conn).await?
        };
        let kind = actor.organisation.map(|(_, kind)| kind);
        if !for_console(actor.role, kind) {
            let mut conn = state.conn().await?;
            session::end(&mut conn, &signed).await?;
            return Err(PageError::SignIn);
        }
        let lang = lang(req);
        let w = words(lang);
        let nav = navigation(w, &actor);
        let ctx = Ctx {
            lang,
            w,
            csrf: signed.csrf(),
            here: here(req),
            nav,
            signed_in: true,
        };
        Ok(Desk { signed, actor, ctx })
    }

    pub fn is_commissioner(&self) -> bool {
        matches!(
            self.actor.organisation,
            Some((_, OrganisationKind::CommissioningBody))
        )
    }
}

/// Staff of a provider and members of a commissioning body; people, supporters and the
/// platform operator use the app and the API.
pub fn for_console(role: Role, kind: Option<OrganisationKind>) -> bool {
    match kind {
        Some(kind) => role.fits(kind),
        None => false,
    }
}

fn navigation(w: &'static Words, actor: &Actor) -> Vec<(&'static str, &'static str)> {
    match (actor.organisation.map(|(_, k)| k), actor.role) {
        (Some(OrganisationKind::CommissioningBody), _) => {
            vec![("/console/reports", w.report), ("/console/kpis", w.kpis)]
        }
        (_, Role::Admin) => vec![
            ("/console/dashboard", w.dashboard),
            ("/console/people", w.people),
            ("/console/staff", w.staff),
            ("/console/audit", w.audit),
        ],
        (_, Role::Mentor) => vec![
            ("/console/dashboard", w.caseload_dashboard),
            ("/console/people", w.people),
            ("/console/staff", w.staff),
        ],
        _ => vec![
            ("/console/dashboard", w.dashboard),
            ("/console/people", w.people),
            ("/console/staff", w.staff),
        ],
    }
}

/// The path and query of this request, as a place to come back to.
pub fn here(req: &HttpRequest) -> String {
    let uri = req.uri();
    uri.path_and_query()
        .map_or_else(|| uri.path().to_owned(), |p| p.as_str().to_owned())
}

/// A place in the console to go back to: anything else (another site, `//host`, a
/// backslash trick) is the console's front page.
pub fn safe_return(next: Option<&str>) -> &str {
    match next {
        Some(n)
            if n.starts_with("/console/")
                && !n.contains('\\')
                && !n.contains("//")
                && n.chars().all(|c| c.is_ascii_graphic()) =>
        {
            n
        }
        _ => "/console/",
    }
}

pub fn shell(ctx: &Ctx, title: &str, body: Markup) -> Markup {
    let w = ctx.w;
    html! {
        (DOCTYPE)
        html lang=(ctx.lang.as_str()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · " (w.console) }
                link rel="stylesheet" href="/console/assets/console.css";
            }
            body {
                a.skip href="#main" { (w.skip) }
                header.top {
                    p.brand { a href="/console/" { "Camau" } }
                    @if !ctx.nav.is_empty() {
                        nav aria-label=(w.main_nav) {
                            ul {
                                @for (href, label) in &ctx.nav {
                                    li {
                                        a href=(href)
                                            aria-current=[ctx.here.split('?').next().is_some_and(|p| p.starts_with(href)).then_some("page")]
                                            { (label) }
                                    }
                                }
                            }
                        }
                    }
                    div.actions {
                        form method="post" action="/console/language" {
                            input type="hidden" name="csrf" value=(ctx.csrf);
                            input type="hidden" name="next" value=(ctx.here);
                            button type="submit" name="lang" value=(w.other_lang.as_str())
                                lang=(w.other_lang.as_str()) title=(w.switch_to) {
                                (w.other_lang_name)
                            }
                        }
                        @if ctx.signed_in {
                            form method="post" action="/console/sign-out" {
                                input type="hidden" name="csrf" value=(ctx.csrf);
                                button type="submit" { (w.sign_out) }
                            }
                        }
                    }
                }
                main #main {
                    h1 { (title) }
                    (body)
                }
            }
        }
    }
}

/// A page, with the console's headers.
pub fn html(status: StatusCode, page: Markup, lang: Lang) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
        .insert_header((header::CONTENT_LANGUAGE, lang.as_str()))
        .insert_header(("Content-Security-Policy", CSP))
        .insert_header(("X-Frame-Options", "DENY"))
        // `same-origin`, not `no-referrer`: with no referrer a browser sends `Origin: null` on
        // the console's own form posts, and the CSRF check refuses those.
        .insert_header(("Referrer-Policy", "same-origin"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(page.into_string())
}

pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish()
}

/// How a console page fails.
#[derive(Debug)]
pub enum PageError {
    /// Not signed in (or no longer): to the sign-in page.
    SignIn,
    Api(ApiError),
}

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        if e.code == ErrorCode::Unauthenticated {
            PageError::SignIn
        } else {
            PageError::Api(e)
        }
    }
}

impl From<diesel::result::Error> for PageError {
    fn from(e: diesel::result::Error) -> Self {
        PageError::Api(ApiError::from(e))
    }
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PageError::SignIn => f.write_str("not signed in"),
            PageError::Api(e) => std::fmt::Display::fmt(e, f),
        }
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            PageError::SignIn => StatusCode::SEE_OTHER,
            PageError::Api(e) => e.code.status(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        let e = match self {
            PageError::SignIn => return see_other("/console/sign-in"),
            PageError::Api(e) => e,
        };
        let status = e.code.status();
        if status.is_server_error() && status != StatusCode::SERVICE_UNAVAILABLE {
            // The cause goes to the log, as the API's opaque 500 does.
            let _ = e.error_response();
        }
        let say = |w: &Words| match status.as_u16() {
            404 => w.not_found,
            403 => w.forbidden,
            429 | 503 => w.busy,
            400..=499 => w.bad_request,
            _ => w.error_title,
        };
        let detail = (status.is_client_error() && status.as_u16() != 404)
            .then(|| e.detail.clone())
            .flatten();
        let page = html! {
            (DOCTYPE)
            html lang="en" {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (EN.error_title) " · " (EN.console) }
                    link rel="stylesheet" href="/console/assets/console.css";
                }
                body {
                    main #main {
                        h1 { (EN.error_title) " (" (status.as_u16()) ")" }
                        p { (say(&EN)) }
                        @if let Some(d) = &detail { p { (d) } }
                        p lang="cy" { (say(&CY)) }
                        p { a href="/console/" { (EN.back) } " · " span lang="cy" { a href="/console/" { (CY.back) } } }
                    }
                }
            }
        };
        let mut res = html(status, page, Lang::En);
        if let Some(secs) = e.retry_after_secs {
            res.headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(secs));
        }
        res
    }
}

pub type PageResult = Result<HttpResponse, PageError>;
