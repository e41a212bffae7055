//! The console's sign-in: an opaque cookie naming a row of `console_sessions` (a `sessions`
//! row, so every way the API ends a session ends this one), the idle timeout, and the CSRF
//! token every form carries. The cookies are `HttpOnly`, `SameSite=Strict`, `Secure` and
//! `__Host-` (no other host, not even a sibling subdomain, can set them), except to a browser
//! on the same machine over plain HTTP (development), where a browser would drop them. The
//! session cookie's value is stored only as a hash; the CSRF token is a hash of it, so it needs
//! no storage and dies with the session.

use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use diesel::sql_types::{Bytea, Integer, Uuid as SqlUuid};
use diesel::{ExpressionMethods, QueryableByName};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::auth::tokens::{new_refresh_token, secret_hash};
use crate::db::schema::{console_sessions, sessions};
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::ids::{AccountId, SessionId};
use crate::state::AppState;

/// A cookie's name: `__Host-` prefixed wherever it is `Secure`.
pub struct Name {
    secure: &'static str,
    plain: &'static str,
}

impl Name {
    /// The name this request's cookie has.
    pub fn on(&self, req: &HttpRequest) -> &'static str {
        if local_plain_http(req) {
            self.plain
        } else {
            self.secure
        }
    }

    /// This request's cookie of this name, if it has a value.
    pub fn read(&self, req: &HttpRequest) -> Option<String> {
        req.cookie(self.on(req))
            .map(|c| c.value().to_owned())
            .filter(|v| !v.is_empty())
    }
}

pub const SESSION_COOKIE: Name = Name {
    secure: "__Host-camau_console",
    plain: "camau_console",
};
/// Before sign-in: the value the sign-in form's CSRF token is derived from.
pub const FORM_COOKIE: Name = Name {
    secure: "__Host-camau_form",
    plain: "camau_form",
};
pub const LANG_COOKIE: Name = Name {
    secure: "__Host-camau_lang",
    plain: "camau_lang",
};
/// However active, a console session ends this long after sign-in (or sooner, with the
/// app's `session_max_age`).
const MAX_AGE: time::Duration = time::Duration::hours(12);

/// A request whose cookie names a live console session.
pub struct Signed {
    pub user: CurrentUser,
    token: String,
}

impl Signed {
    /// The token this session's forms carry.
    pub fn csrf(&self) -> String {
        csrf_for(&self.token)
    }
}

fn csrf_for(secret: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"camau console csrf\0");
    h.update(secret.as_bytes());
    URL_SAFE_NO_PAD.encode(h.finalize())
}

/// The CSRF token of the sign-in form: from the form cookie, which the response sets when the
/// request had none (`set` is then `Some`).
pub fn form_csrf(req: &HttpRequest) -> (String, Option<Cookie<'static>>) {
    match FORM_COOKIE.read(req) {
        Some(value) => (csrf_for(&value), None),
        None => {
            let secret = new_refresh_token();
            let token = csrf_for(&secret);
            (token, Some(cookie(req, &FORM_COOKIE, secret, None)))
        }
    }
}

/// A console cookie as this request's connection allows it.
pub fn cookie(
    req: &HttpRequest,
    name: &Name,
    value: String,
    max_age: Option<CookieDuration>,
) -> Cookie<'static> {
    // `__Host-` asks for path `/`; the API ignores cookies (bearer tokens only).
    let mut c = Cookie::build(name.on(req), value)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(!local_plain_http(req))
        .finish();
    if let Some(age) = max_age {
        c.set_max_age(age);
    }
    c
}

/// The same cookie, expired.
pub fn removal(req: &HttpRequest, name: &Name) -> Cookie<'static> {
    let mut c = cookie(req, name, String::new(), None);
    c.make_removal();
    c
}

/// A browser on this machine talking plain HTTP to a loopback address (development): the one
/// case where the cookies go without `Secure`, since the browser would drop them otherwise.
/// Read from the connection and the request's own `Host`, never from forwarding headers any
/// client can send; anything that came through a proxy is taken as remote.
fn local_plain_http(req: &HttpRequest) -> bool {
    let peer_local = req.peer_addr().is_some_and(|a| a.ip().is_loopback());
    let proxied = [
        "forwarded",
        "x-forwarded-for",
        "x-forwarded-host",
        "x-forwarded-proto",
    ]
    .iter()
    .any(|h| req.headers().contains_key(*h));
    let host = req
        .headers()
        .get(actix_web::http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let name = match host.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
        _ => host.as_str(),
    };
    let host_local = matches!(name, "localhost" | "127.0.0.1" | "[::1]");
    peer_local && !proxied && host_local && !req.app_config().secure()
}

/// Refuses a request a browser sent from another site: its `Sec-Fetch-Site`, when sent, must
/// be `same-origin` or `none`, and its `Origin`, when sent, this host.
pub fn check_origin(req: &HttpRequest) -> ApiResult<()> {
    let refused = || ApiError::new(ErrorCode::Forbidden).with_detail("form refused (CSRF)");
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site")
        && !matches!(site.to_str(), Ok("same-origin") | Ok("none"))
    {
        return Err(refused());
    }
    if let Some(origin) = headers.get(actix_web::http::header::ORIGIN) {
        let origin = origin.to_str().map_err(|_| refused())?;
        let host = req.connection_info().host().to_owned();
        let same = origin
            .split_once("://")
            .is_some_and(|(scheme, rest)| matches!(scheme, "http" | "https") && rest == host);
        if !same {
            return Err(refused());
        }
    }
    Ok(())
}

/// Refuses a form that did not come from a console page: the token must match the session's
/// (or, before sign-in, the form cookie's), and a browser's `Origin` or `Sec-Fetch-Site`, when
/// sent, must say this origin.
pub fn check_form(
    req: &HttpRequest,
    signed: Option<&Signed>,
    token: Option<&str>,
) -> ApiResult<()> {
    let refused = || ApiError::new(ErrorCode::Forbidden).with_detail("form refused (CSRF)");
    check_origin(req)?;
    let expected = match signed {
        Some(s) => s.csrf(),
        None => match FORM_COOKIE.read(req) {
            Some(value) => csrf_for(&value),
            None => return Err(refused()),
        },
    };
    let given = token.unwrap_or("");
    let equal =
        aws_lc_rs::constant_time::verify_slices_are_equal(expected.as_bytes(), given.as_bytes())
            .is_ok();
    if equal { Ok(()) } else { Err(refused()) }
}

#[derive(QueryableByName)]
struct Live {
    #[diesel(sql_type = SqlUuid)]
    session_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    account_id: Uuid,
}

/// The session this request's cookie names, if it is live and was used within the idle
/// timeout (then marked used now). A session found idle is ended.
pub async fn signed(state: &AppState, req: &HttpRequest) -> ApiResult<Option<Signed>> {
    let Some(token) = SESSION_COOKIE.read(req).filter(|v| v.len() <= 64) else {
        return Ok(None);
    };
    let hash = secret_hash(&token);
    let idle = state.config.console_idle.as_secs().min(i32::MAX as u64) as i32;
    let mut conn = state.conn().await?;
    let live: Option<Live> = diesel::sql_query(
        "UPDATE console_sessions cs SET last_seen_at = now() FROM sessions s \
         WHERE cs.token_hash = $1 AND s.id = cs.session_id AND s.revoked_at IS NULL \
           AND s.expires_at > now() AND cs.last_seen_at > now() - make_interval(secs => $2) \
         RETURNING cs.session_id, s.account_id",
    )
    .bind::<Bytea, _>(&hash)
    .bind::<Integer, _>(idle)
    .get_result(&mut conn)
    .await
    .map(Some)
    .or_else(|e| match e {
        diesel::result::Error::NotFound => Ok(None),
        e => Err(e),
    })?;
    match live {
        Some(live) => Ok(Some(Signed {
            user: CurrentUser::for_console_session(
                AccountId(live.account_id),
                SessionId(live.session_id),
            ),
            token,
        })),
        None => {
            // Idle (or already ended): end it for good, so an old cookie never comes back.
            diesel::sql_query(
                "UPDATE sessions SET revoked_at = now(), revoked_reason = 'idle' \
                 WHERE revoked_at IS NULL AND id IN \
                   (SELECT session_id FROM console_sessions WHERE token_hash = $1)",
            )
            .bind::<Bytea, _>(&hash)
            .execute(&mut conn)
            .await?;
            Ok(None)
        }
    }
}

/// Starts a console session for `account`; the cookie's value.
pub async fn start(
    conn: &mut AsyncPgConnection,
    state: &AppState,
    account: AccountId,
) -> ApiResult<String> {
    let token = new_refresh_token();
    let hash = secret_hash(&token);
    let max_age = time::Duration::try_from(state.config.tokens.session_max_age)
        .unwrap_or(MAX_AGE)
        .min(MAX_AGE);
    let session = SessionId::new();
    let expires = OffsetDateTime::now_utc() + max_age;
    conn.transaction(async move |conn| {
        diesel::insert_into(sessions::table)
            .values((
                sessions::id.eq(session),
                sessions::account_id.eq(account),
                sessions::expires_at.eq(expires),
            ))
            .execute(conn)
            .await?;
        diesel::insert_into(console_sessions::table)
            .values((
                console_sessions::session_id.eq(session),
                console_sessions::token_hash.eq(hash),
            ))
            .execute(conn)
            .await?;
        Ok::<_, diesel::result::Error>(())
    })
    .await?;
    Ok(token)
}

/// Ends the session `signed` names.
pub async fn end(conn: &mut AsyncPgConnection, signed: &Signed) -> ApiResult<()> {
    let (_, session) = signed.user.claims();
    crate::auth::session::revoke(conn, session, crate::auth::session::RevokeReason::Logout).await?;
    Ok(())
}
