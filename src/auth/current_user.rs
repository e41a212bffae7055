//! `CurrentUser`: the authenticated caller, as an extractor named in the handler's signature.
//! It fails closed: no token, a bad token, or a token whose session was revoked, expired or
//! belongs to a deactivated account all answer 401. The session and the account's role are
//! read from the database on every request, so revocation and role changes apply at once.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};

use crate::app::AppState;
use crate::auth::roles::{OrganisationKind, Role};
use crate::error::{ApiError, ApiResult};
use crate::ids::{AccountId, OrganisationId, SessionId};
use crate::sessions::model as sessions;

#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub account_id: AccountId,
    pub session_id: SessionId,
    pub role: Role,
    pub organisation: Option<(OrganisationId, OrganisationKind)>,
}

impl CurrentUser {
    pub fn organisation_id(&self) -> Option<OrganisationId> {
        self.organisation.map(|(id, _)| id)
    }

    pub fn is_platform_admin(&self) -> bool {
        self.role == Role::PlatformAdmin
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

pub(crate) async fn authenticate(
    state: web::Data<AppState>,
    token: Option<String>,
) -> ApiResult<CurrentUser> {
    let token = token.ok_or_else(ApiError::unauthenticated)?;
    let claims = state.tokens.verify(&token).map_err(|e| {
        tracing::debug!(reason = %e, "access token refused");
        ApiError::unauthenticated()
    })?;
    let mut conn = state.conn().await?;
    sessions::live(&mut conn, AccountId(claims.sub), SessionId(claims.sid))
        .await?
        .ok_or_else(|| {
            tracing::debug!(session_id = %claims.sid, "session not live");
            ApiError::unauthenticated()
        })
}

impl FromRequest for CurrentUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = ApiResult<Self>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer(req);
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::internal("application state missing"))?;
            authenticate(state, token).await
        })
    }
}
