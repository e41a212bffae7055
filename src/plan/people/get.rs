//! `GET /v1/people/{person_id}`.

use actix_web::{HttpRequest, HttpResponse, get, web};

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::error::{ApiError, ApiResult, Problem};
use crate::http::etag::read;
use crate::ids::PersonId;
use crate::plan::people::types::Person;
use crate::plan::people::{authorize, model};
use crate::state::AppState;

/// Get a person
///
/// Staff who may see the person and the person see the whole record; circle supporters see
/// the preferred name only.
#[utoipa::path(
    operation_id = "getPerson",
    tag = "people",
    security(("bearer" = [])),
    params(("person_id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "The person", body = Person, headers(("ETag" = String))),
        (status = 400, description = "Malformed id", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/people/{person_id}")]
pub async fn get(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    path: web::Path<PersonId>,
) -> ApiResult<HttpResponse> {
    let (version, person) = load(&state, &user, path.into_inner()).await?;
    Ok(read(&req, version, || person))
}

/// The record as this caller may see it, with its version, for the API and the console alike.
pub async fn load(
    state: &AppState,
    user: &CurrentUser,
    person: PersonId,
) -> ApiResult<(i32, Person)> {
    let mut conn = state.conn().await?;
    let access = authorize(&mut conn, user, person, PersonAction::ViewRecord).await?;
    let row = model::find(&mut conn, &access.scope)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok((row.version, Person::shown(row, access.relation)))
}
