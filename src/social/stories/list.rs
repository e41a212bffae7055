//! `GET /v1/people/{person_id}/stories`.

use actix_web::{get, web};

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::error::{ApiResult, Problem};
use crate::http::pagination::PageQuery;
use crate::ids::PersonId;
use crate::plan::people::authorize;
use crate::social::stories::types::StoryList;
use crate::social::stories::{model, present};
use crate::state::AppState;

/// List a person's stories
///
/// Newest first. The person and staff see every story; a supporter sees those in their
/// audience (with the `stories` grant) and the ones they wrote.
#[utoipa::path(
    operation_id = "listStories",
    tag = "stories",
    security(("bearer" = [])),
    params(("person_id" = uuid::Uuid, Path), PageQuery),
    responses(
        (status = 200, description = "A page of stories", body = StoryList),
        (status = 400, description = "Bad cursor or limit", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A supporter without `stories` or `contribute`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/people/{person_id}/stories")]
pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<PersonId>,
    query: web::Query<PageQuery>,
) -> ApiResult<web::Json<StoryList>> {
    load(&state, &user, path.into_inner(), &query)
        .await
        .map(web::Json)
}

/// A page of them, for the API and the console alike.
pub async fn load(
    state: &AppState,
    user: &CurrentUser,
    person: PersonId,
    query: &PageQuery,
) -> ApiResult<StoryList> {
    let mut conn = state.conn().await?;
    let access = authorize(&mut conn, user, person, PersonAction::ViewStories).await?;
    let page = query.page()?;
    let views = model::list_visible(&mut conn, &access, None, page).await?;
    let (views, next_cursor) = page.finish(views, |(r, _)| r.id);
    Ok(StoryList {
        items: present(&mut conn, &access, views).await?,
        next_cursor,
    })
}
