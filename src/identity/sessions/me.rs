//! `GET /v1/me`: who the caller is. A person learns their own person id here (the start of
//! everything they can see), staff their organisation and role; supporters list the circles
//! they belong to at `/v1/me/circles`. One statement, the session check included.

use actix_web::{get, web};

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::identity::sessions::model;
use crate::identity::sessions::types::{Me, MeAccount, MeOrganisation, MePerson};
use crate::state::AppState;

/// Who am I
///
/// The signed-in account; its organisation (staff, people); and, for a person's own login, the
/// person it belongs to.
#[utoipa::path(
    operation_id = "getMe",
    tag = "sessions",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The signed-in account", body = Me),
    )
)]
#[get("/me")]
pub async fn me(state: web::Data<AppState>, user: CurrentUser) -> ApiResult<web::Json<Me>> {
    let mut conn = state.conn().await?;
    let ((id, email, name, role, email_verified), organisation, person) =
        model::me(&mut conn, &user)
            .await?
            .ok_or_else(ApiError::unauthenticated)?;
    Ok(web::Json(Me {
        account: MeAccount {
            id,
            role,
            email,
            email_verified,
            name,
        },
        organisation: organisation.map(|(id, name, kind)| MeOrganisation { id, name, kind }),
        person: person.map(|(id, preferred_name, preferred_language)| MePerson {
            id,
            preferred_name,
            preferred_language,
        }),
    }))
}
