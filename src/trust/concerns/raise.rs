//! `POST /v1/concerns`: "I'm worried" about a story or a comment.

use actix_web::{HttpResponse, post, web};
use diesel_async::AsyncConnection;

use crate::auth::CurrentUser;
use crate::auth::access::{PersonAction, Relation};
use crate::auth::session::{PersonOf, authorize};
use crate::error::{ApiError, ApiResult, Problem};
use crate::ids::{CommentId, StoryId};
use crate::social::stories::authorize_story;
use crate::state::AppState;
use crate::trust::audit::model::{self as audit, AuditEvent};
use crate::trust::concerns::model;
use crate::trust::concerns::types::{ConcernItem, ConcernReceipt, ConcernStatus, RaiseConcern};

/// Raise a concern
///
/// Anyone who can see the story or comment. It is hidden from the person's circle at once
/// and sent privately to the organisation's safeguarding leads; the answer says only that it
/// was received. Raising one about an item already under concern joins that concern.
#[utoipa::path(
    operation_id = "raiseConcern",
    tag = "safeguarding",
    security(("bearer" = [])),
    request_body = RaiseConcern,
    responses(
        (status = 201, description = "Received", body = ConcernReceipt),
        (status = 400, description = "Neither or both of story_id and comment_id", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such story or comment, or not one you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/concerns")]
pub async fn raise(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<RaiseConcern>,
) -> ApiResult<HttpResponse> {
    body.validate()?;
    let mut conn = state.conn().await?;
    let (access, item, item_id) = match (body.story_id, body.comment_id) {
        (Some(story), _) => {
            let (access, _) =
                authorize_story(&mut conn, &user, StoryId(story), PersonAction::RaiseConcern)
                    .await?;
            (access, ConcernItem::Story, story)
        }
        (None, Some(comment)) => {
            let id = CommentId(comment);
            let access = authorize(
                &mut conn,
                &user,
                PersonOf::Comment(id),
                PersonAction::RaiseConcern,
            )
            .await?;
            // The comment must be one the caller can see: on a story they see or a goal or
            // action (a supporter: with `goals`), and (for a supporter) not hidden.
            let (row, _) =
                crate::social::encouragement::model::find_comment(&mut conn, &access.scope, id)
                    .await?
                    .ok_or_else(ApiError::not_found)?;
            match row.story_id {
                Some(story) => {
                    crate::social::stories::model::find_visible(&mut conn, &access, StoryId(story))
                        .await?
                        .ok_or_else(ApiError::not_found)?;
                }
                None if matches!(access.relation, Relation::Supporter(g) if !g.goals) => {
                    return Err(ApiError::not_found());
                }
                None => {}
            }
            if row.hidden_at.is_some() && matches!(access.relation, Relation::Supporter(_)) {
                return Err(ApiError::not_found());
            }
            (access, ConcernItem::Comment, comment)
        }
        (None, None) => return Err(ApiError::not_found()),
    };
    let scope = access.scope;
    let by = access.actor.account_id;
    let reason = body.reason.as_deref();
    let id = conn
        .transaction(async |conn| {
            let id = model::raise(conn, &scope, item, item_id, by, reason).await?;
            audit::record(
                conn,
                AuditEvent {
                    organisation: Some(scope.id().organisation),
                    person: Some(scope.id().person),
                    actor: Some(by),
                    action: crate::trust::audit::Action::ConcernRaised,
                    subject_type: "concern",
                    subject_id: Some(id),
                    details: serde_json::json!({ "item": item.as_str(), "item_id": item_id }),
                },
            )
            .await?;
            Ok::<_, ApiError>(id)
        })
        .await?;
    Ok(HttpResponse::Created().json(ConcernReceipt {
        id,
        status: ConcernStatus::Open,
    }))
}
