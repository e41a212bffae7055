//! `PUT /v1/me/pin`: a person changes their PIN with the current one; every other session ends.

use actix_web::{HttpResponse, put, web};

use crate::auth::CurrentUser;
use crate::error::{ApiResult, Problem};
use crate::identity::devices::types::ChangePinRequest;
use crate::identity::sessions::change_password::{Secret, change_secret};
use crate::state::AppState;

/// Change my PIN
///
/// A person's own login only. Needs the current PIN; wrong ones count towards the same limit
/// as PIN sign-in. On success every other session of the account ends (the phone's device key
/// keeps working, with the new PIN); this one stays signed in.
#[utoipa::path(
    operation_id = "changePin",
    tag = "sessions",
    security(("bearer" = [])),
    request_body = ChangePinRequest,
    responses(
        (status = 204, description = "PIN changed"),
        (status = 400, description = "Wrong current PIN (`incorrect` at `/current_pin`), or the new one is not 6–12 digits nor a strong password (`password_too_short`, `password_too_weak`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a person's own login", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "Too busy to check PINs now", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[put("/me/pin")]
pub async fn change_pin(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<ChangePinRequest>,
) -> ApiResult<HttpResponse> {
    let ChangePinRequest {
        current_pin,
        new_pin,
    } = body.into_inner();
    change_secret(&state, user, current_pin, new_pin, Secret::Pin).await
}
