//! `PATCH /v1/stories/{story_id}`: reword a story, relink it or change who sees it.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, patch, web};
use diesel_async::AsyncConnection;

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::error::{ApiError, ApiResult, ErrorCode, Problem};
use crate::http::etag::{check_if_match, etag, if_match};
use crate::ids::StoryId;
use crate::social::stories::model::{self, StoryChanges};
use crate::social::stories::types::{Audience, Story, UpdateStory};
use crate::social::stories::{authorize_story, check_references, present_one, visibility};
use crate::state::AppState;

/// Update a story
///
/// Its author or the person. Needs `If-Match`. Changing the audience applies to every
/// reader's next request, open live streams included.
#[utoipa::path(
    operation_id = "updateStory",
    tag = "stories",
    security(("bearer" = [])),
    params(("story_id" = uuid::Uuid, Path), ("If-Match" = String, Header)),
    request_body = UpdateStory,
    responses(
        (status = 200, description = "Updated", body = Story, headers(("ETag" = String))),
        (status = 400, description = "Invalid fields or unknown members", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither its author nor the person", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Support has ended", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The story changed since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The goal or action is not the person's", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match is missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/stories/{story_id}")]
pub async fn update(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    path: web::Path<StoryId>,
    body: web::Json<UpdateStory>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let mut conn = state.conn().await?;
    let (access, current) = authorize_story(&mut conn, &user, id, PersonAction::EditStory).await?;
    if !visibility::may_edit(&access, current.author_account_id, current.status) {
        return Err(ApiError::forbidden());
    }
    body.validate()?;
    let body = body.into_inner();
    let audience = body.audience.unwrap_or(current.audience);
    let members = match (audience, &body.members) {
        (Audience::Members, Some(m)) => Some(m.as_slice()),
        (Audience::Members, None) if current.audience != Audience::Members => {
            let mut v = crate::error::Validator::new();
            v.add(
                "/members",
                "required",
                "name at least one member for this audience",
            );
            v.finish()?;
            None
        }
        _ => None,
    };
    let links_goal =
        matches!(body.goal_id, Some(Some(_))) || matches!(body.action_id, Some(Some(_)));
    check_references(&mut conn, &access, links_goal, members).await?;
    let expected = if_match(&req);
    let scope = access.scope;
    let clear_members = audience != Audience::Members && current.audience == Audience::Members;
    let changes = StoryChanges {
        body: body.body,
        lang: body.lang,
        audience: body.audience,
        goal_id: body.goal_id,
        action_id: body.action_id,
        status: None,
    };
    conn.transaction(async |conn| {
        let locked = model::lock_visible(conn, &access, id)
            .await?
            .ok_or_else(ApiError::not_found)?;
        check_if_match(expected.as_deref(), locked.version)?;
        model::update(conn, &scope, id, locked.version, &changes)
            .await?
            .ok_or_else(|| ApiError::new(ErrorCode::PreconditionFailed))?;
        if let Some(members) = members {
            model::set_members(conn, &scope, id, members).await?;
        } else if clear_members {
            model::set_members(conn, &scope, id, &[]).await?;
        }
        let by = access.actor.account_id;
        crate::trust::audit::model::changed(
            conn,
            &scope,
            by,
            crate::trust::audit::Action::StoryUpdated,
            "story",
            id.0,
        )
        .await?;
        Ok::<_, ApiError>(())
    })
    .await?;
    let (version, story) = present_one(&mut conn, &access, id).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(version)))
        .json(story))
}
