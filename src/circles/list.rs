//! `GET /v1/people/{person_id}/circle`.

use actix_web::{get, web};

use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::auth::access::{PersonAction, Relation};
use crate::circles::model;
use crate::circles::types::{Circle, Member};
use crate::error::{ApiResult, Problem};
use crate::ids::PersonId;
use crate::people::authorize;

/// The circle of support
///
/// Staff who work with the person and the person see every member; a supporter sees their
/// own membership only.
#[utoipa::path(
    tag = "circles",
    security(("bearer" = [])),
    params(("person_id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "The circle", body = Circle),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person, or not one you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/people/{person_id}/circle")]
pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<uuid::Uuid>,
) -> ApiResult<web::Json<Circle>> {
    let mut conn = state.conn().await?;
    let access = authorize(
        &mut conn,
        &user,
        PersonId(path.into_inner()),
        PersonAction::ViewCircle,
    )
    .await?;
    let only = match access.relation {
        Relation::Supporter(g) => Some(g.member),
        _ => None,
    };
    let rows = model::list(&mut conn, &access.scope, only).await?;
    Ok(web::Json(Circle {
        person_id: access.scope.id().person.0,
        members: rows.into_iter().map(Member::from).collect(),
    }))
}
