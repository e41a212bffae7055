//! `CurrentUser`: the caller's access token, verified, as an extractor named in the handler's
//! signature. It fails closed (no token, a forged or expired one: 401) and touches no database.
//! It says nothing about who the caller is until its session is checked: the only ways to an
//! [`Actor`] are [`CurrentUser::check`] and the person-scoped authorization, which fold the
//! session check into the request's one authorization query (`auth::session`), so revocation,
//! deactivation and role changes apply to the very next request.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use diesel_async::AsyncPgConnection;

use crate::auth::session::{self, Actor};
use crate::auth::tokens::TokenKeys;
use crate::error::{ApiError, ApiResult};
use crate::ids::{AccountId, SessionId};

#[derive(Debug, Clone, Copy)]
pub struct CurrentUser {
    account: AccountId,
    session: SessionId,
}

impl CurrentUser {
    /// The caller as the database knows them now: 401 when the session has been revoked or has
    /// expired, or the account deactivated.
    pub async fn check(&self, conn: &mut AsyncPgConnection) -> ApiResult<Actor> {
        session::check(conn, self).await
    }

    /// The account and session the token names (signed by us, not yet checked against the
    /// session table). For `auth::session`'s queries, and for keying data that is checked
    /// before it is used (the idempotency layer).
    pub(crate) fn claims(&self) -> (AccountId, SessionId) {
        (self.account, self.session)
    }

    /// The caller of a console request, whose session cookie `console::session` has matched
    /// to a live console session. Like a verified token, it is checked again with the
    /// authorization facts.
    pub(crate) fn for_console_session(account: AccountId, session: SessionId) -> Self {
        CurrentUser { account, session }
    }

    /// Verifies `token` (signature, algorithm, issuer, audience, times, type).
    pub(crate) fn from_token(keys: &TokenKeys, token: Option<String>) -> ApiResult<Self> {
        let token = token.ok_or_else(ApiError::unauthenticated)?;
        let claims = keys.verify(&token).map_err(|e| {
            tracing::debug!(reason = %e, "access token refused");
            ApiError::unauthenticated()
        })?;
        Ok(CurrentUser {
            account: AccountId(claims.sub),
            session: SessionId(claims.sid),
        })
    }
}

pub(crate) fn bearer(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
        .filter(|t| !t.is_empty())
}

impl FromRequest for CurrentUser {
    type Error = ApiError;
    type Future = Ready<ApiResult<Self>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(match req.app_data::<web::Data<TokenKeys>>() {
            Some(keys) => CurrentUser::from_token(keys, bearer(req)),
            None => Err(ApiError::internal("token keys missing")),
        })
    }
}
