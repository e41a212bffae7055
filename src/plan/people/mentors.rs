//! `GET /v1/people/{person_id}/mentors`.

use actix_web::{get, web};

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::error::{ApiResult, Problem};
use crate::ids::PersonId;
use crate::plan::people::types::{Mentor, MentorList};
use crate::plan::people::{authorize, model};
use crate::state::AppState;

/// A person's mentors
#[utoipa::path(
    operation_id = "listMentors",
    tag = "people",
    security(("bearer" = [])),
    params(("person_id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "The assigned mentors", body = MentorList),
        (status = 400, description = "Malformed id", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Supporters do not see mentor assignments", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/people/{person_id}/mentors")]
pub async fn mentors(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<PersonId>,
) -> ApiResult<web::Json<MentorList>> {
    let mut conn = state.conn().await?;
    let access = authorize(
        &mut conn,
        &user,
        path.into_inner(),
        PersonAction::ViewMentors,
    )
    .await?;
    let rows = model::mentors(&mut conn, &access.scope).await?;
    Ok(web::Json(MentorList {
        items: rows
            .into_iter()
            .map(|(id, name)| Mentor { id, name })
            .collect(),
    }))
}
