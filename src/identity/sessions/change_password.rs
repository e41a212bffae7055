//! `POST /v1/auth/password`: change one's own password; every other session ends.

use actix_web::{HttpResponse, post, web};
use diesel_async::AsyncConnection;
use secrecy::SecretString;

use crate::auth::password::Policy;
use crate::auth::{CurrentUser, Role};
use crate::error::{ApiError, ApiResult, Problem, Validator};
use crate::identity::accounts::model as accounts;
use crate::identity::sessions::model::{self, RevokeReason};
use crate::identity::sessions::throttle;
use crate::identity::sessions::types::ChangePasswordRequest;
use crate::state::AppState;
use crate::trust::audit::model::{self as audit, AuditEvent};

/// Change password
///
/// Needs the current password. On success every other session of the account ends; this one
/// stays signed in. Wrong current passwords count towards the sign-in throttle.
#[utoipa::path(
    operation_id = "changePassword",
    tag = "sessions",
    security(("bearer" = [])),
    request_body = ChangePasswordRequest,
    responses(
        (status = 204, description = "Password changed"),
        (status = 400, description = "Wrong current password, or the new one is too short, too long or too easy to guess (`password_too_short`, `password_too_long`, `password_too_weak`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<ChangePasswordRequest>,
) -> ApiResult<HttpResponse> {
    let ChangePasswordRequest {
        current_password,
        new_password,
    } = body.into_inner();
    change_secret(
        &state,
        user,
        current_password,
        new_password,
        Secret::Password,
    )
    .await
}

/// Which secret is changed: the field names, the rules for the new one and the audit name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Secret {
    Password,
    /// A person's PIN (or password): only a person's own login has one.
    Pin,
}

impl Secret {
    fn field(self) -> &'static str {
        match self {
            Secret::Password => "/current_password",
            Secret::Pin => "/current_pin",
        }
    }
}

/// Proves the current secret (counted like a sign-in attempt: a stolen phone with an open
/// session cannot guess the PIN faster than at the sign-in screen), sets the new one and ends
/// every other session of the account.
pub(crate) async fn change_secret(
    state: &AppState,
    user: CurrentUser,
    current: SecretString,
    new: SecretString,
    secret: Secret,
) -> ApiResult<HttpResponse> {
    let limits = &state.config.login_throttle;
    // The connection goes back to the pool before the password work.
    let (user, account, key) = {
        let mut conn = state.conn().await?;
        let user = user.check(&mut conn).await?;
        if secret == Secret::Pin && user.role != Role::Person {
            return Err(ApiError::forbidden().with_detail("only a person's own login has a PIN"));
        }
        let account = accounts::own(&mut conn, user.account_id)
            .await?
            .ok_or_else(ApiError::unauthenticated)?;
        // The same key as sign-in, so guesses here and there share one limit.
        let key = match &account.email {
            Some(email) => throttle::email(email, limits),
            None => throttle::account_id(user.account_id, limits),
        };
        throttle::attempt(&mut conn, limits.window, &[&key]).await?;
        (user, account, key)
    };
    if !state
        .passwords
        .verify(&current, Some(&account.password_hash))
        .await?
    {
        let mut v = Validator::new();
        v.add(secret.field(), "incorrect", "is not the current one");
        return v.finish().map(|_| HttpResponse::NoContent().finish());
    }
    {
        // The current secret is proven: a weak new one is not a guess.
        let mut conn = state.conn().await?;
        throttle::succeeded(&mut conn, limits.window, &key, None).await?;
    }
    let (policy, action) = match secret {
        Secret::Password => (
            Policy::Password,
            crate::trust::audit::Action::AccountPasswordChanged,
        ),
        Secret::Pin => (
            Policy::PinOrPassword,
            crate::trust::audit::Action::AccountPinChanged,
        ),
    };
    let hash = state
        .passwords
        .hash(
            &new,
            policy,
            &[account.email.as_deref().unwrap_or_default(), &account.name],
        )
        .await?;

    let mut conn = state.conn().await?;
    conn.transaction(async move |conn| {
        accounts::set_password_hash(conn, user.account_id, &hash).await?;
        model::revoke_all(
            conn,
            user.account_id,
            Some(user.session_id),
            RevokeReason::PasswordChanged,
        )
        .await?;
        audit::record(
            conn,
            AuditEvent {
                organisation: user.organisation_id(),
                person: None,
                actor: Some(user.account_id),
                action,
                subject_type: "account",
                subject_id: Some(user.account_id.0),
                details: serde_json::json!({}),
            },
        )
        .await
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
