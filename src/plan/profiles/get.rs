//! `GET /v1/people/{person_id}/profile`.

use actix_web::{HttpRequest, HttpResponse, get, web};

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::error::{ApiResult, Problem};
use crate::http::etag::read;
use crate::ids::PersonId;
use crate::plan::people::authorize;
use crate::plan::profiles::model;
use crate::plan::profiles::types::{Profile, ProfileSection};
use crate::state::AppState;

/// Get the strengths profile
///
/// Staff who work with the person, the person, and supporters with the `profile` grant.
#[utoipa::path(
    operation_id = "getProfile",
    tag = "profiles",
    security(("bearer" = [])),
    params(("person_id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "The profile", body = Profile, headers(("ETag" = String))),
        (status = 403, description = "A supporter without the profile grant", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/people/{person_id}/profile")]
pub async fn get(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    path: web::Path<PersonId>,
) -> ApiResult<HttpResponse> {
    let (version, profile) = load(&state, &user, path.into_inner()).await?;
    Ok(read(&req, version, || profile))
}

/// The current profile with its version, for the API and the console alike.
pub async fn load(
    state: &AppState,
    user: &CurrentUser,
    person: PersonId,
) -> ApiResult<(i32, Profile)> {
    let mut conn = state.conn().await?;
    let access = authorize(&mut conn, user, person, PersonAction::ViewProfile).await?;
    let rows = model::current(&mut conn, &access.scope).await?;
    let version = model::version(&mut conn, &access.scope).await?;
    let mut sections: Vec<ProfileSection> = rows
        .into_iter()
        .map(|(row, name)| ProfileSection::from_row(row, name))
        .collect();
    sections.sort_by_key(|s| s.section);
    Ok((
        version,
        Profile {
            person_id: access.scope.id().person.0,
            sections,
        },
    ))
}
