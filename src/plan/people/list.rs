//! `GET /v1/people`: the people a member of staff works with.

use actix_web::{get, web};

use crate::auth::access::{self, Relation};
use crate::auth::{CurrentUser, Role};
use crate::error::{ApiResult, Problem};
use crate::plan::people::model;
use crate::plan::people::types::{PeopleQuery, Person, PersonList};
use crate::state::AppState;

/// List people
///
/// Admins and coordinators: everyone in their organisation. Mentors: their caseload.
#[utoipa::path(
    operation_id = "listPeople",
    tag = "people",
    security(("bearer" = [])),
    params(PeopleQuery),
    responses(
        (status = 200, description = "A page of people, oldest first", body = PersonList),
        (status = 400, description = "Bad limit, cursor, `q` or `needs`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff of a provider", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Commissioners never reach person-level data", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/people")]
pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<PeopleQuery>,
) -> ApiResult<web::Json<PersonList>> {
    load(&state, &user, &query).await.map(web::Json)
}

/// The list, for the API and the console alike.
pub async fn load(
    state: &AppState,
    user: &CurrentUser,
    query: &PeopleQuery,
) -> ApiResult<PersonList> {
    let mut conn = state.conn().await?;
    let user = user.check(&mut conn).await?;
    let org = access::people_of_organisation(&user, false)?;
    let page = query.page()?;
    let search = query.search()?;
    let mentor = (user.role == Role::Mentor).then_some(user.account_id);
    let rows = model::list(&mut conn, &org, mentor, search, query.needs, page).await?;
    let (rows, next_cursor) = page.finish(rows, |r| r.id);
    Ok(PersonList {
        items: rows
            .into_iter()
            .map(|r| Person::shown(r, Relation::Staff(user.role)))
            .collect(),
        next_cursor,
    })
}
