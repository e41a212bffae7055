//! `POST /v1/comments/{comment_id}/hide`: the person or staff take a comment out of the
//! circle's view. It is kept (and shown to them, marked) for the record.

use actix_web::{post, web};
use diesel_async::AsyncConnection;

use crate::auth::CurrentUser;
use crate::auth::access::{PersonAction, Relation};
use crate::auth::session::{PersonOf, authorize};
use crate::error::{ApiError, ApiResult, Problem};
use crate::ids::CommentId;
use crate::social::encouragement::model;
use crate::social::encouragement::types::Comment;
use crate::state::AppState;

/// Hide a comment
///
/// The person and their staff. Hiding it again changes nothing.
#[utoipa::path(
    operation_id = "hideComment",
    tag = "encouragement",
    security(("bearer" = [])),
    params(("comment_id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Hidden", body = Comment),
        (status = 403, description = "Supporters cannot hide comments", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Support has ended", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/comments/{comment_id}/hide")]
pub async fn hide(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<CommentId>,
) -> ApiResult<web::Json<Comment>> {
    let id = path.into_inner();
    let mut conn = state.conn().await?;
    let access = authorize(
        &mut conn,
        &user,
        PersonOf::Comment(id),
        PersonAction::Moderate,
    )
    .await?;
    let by = access.actor.account_id;
    conn.transaction(async |conn| {
        model::hide(conn, &access.scope, id, by).await?;
        crate::trust::audit::model::changed(
            conn,
            &access.scope,
            by,
            crate::trust::audit::Action::CommentHidden,
            "comment",
            id.0,
        )
        .await
    })
    .await?;
    let view = model::find_comment(&mut conn, &access.scope, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(web::Json(Comment::from_view(
        view,
        access.actor.account_id.0,
        matches!(access.relation, Relation::Staff(_)) && access.actor.told_of_concerns(),
    )))
}
