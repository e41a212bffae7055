//! `POST /v1/auth/refresh`: a refresh token for a new token pair.

use actix_web::{post, web};
use secrecy::ExposeSecret;

use crate::error::{ApiError, ApiResult, ErrorCode, Problem};
use crate::identity::sessions::model::{self, Refreshed};
use crate::identity::sessions::types::{RefreshRequest, SignedIn};
use crate::state::AppState;

/// Refresh tokens
///
/// Each refresh token works once and is replaced by the one returned. Presenting a spent token
/// again revokes the whole session: whoever holds either copy must sign in again.
#[utoipa::path(
    operation_id = "refreshTokens",
    tag = "sessions",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new token pair", body = SignedIn),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Unknown, expired, spent or revoked refresh token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    body: web::Json<RefreshRequest>,
) -> ApiResult<web::Json<SignedIn>> {
    let mut conn = state.conn().await?;
    let presented = body.refresh_token.expose_secret();
    match model::refresh(&mut conn, presented, &state.config.tokens, &state.sealer).await? {
        Refreshed::Rotated {
            account,
            session,
            refresh_token,
        } => Ok(web::Json(
            super::signed_in(&state, &mut conn, account, session, refresh_token).await?,
        )),
        Refreshed::Reused => {
            tracing::warn!(
                request_id = crate::platform::telemetry::request_id::current(),
                "spent refresh token presented again; session revoked"
            );
            Err(ApiError::new(ErrorCode::InvalidRefreshToken))
        }
        Refreshed::Invalid => Err(ApiError::new(ErrorCode::InvalidRefreshToken)),
    }
}
