//! `POST /v1/people/{person_id}/stories`: a story in words (photos follow, one request each).

use actix_web::http::header;
use actix_web::{HttpResponse, post, web};
use diesel_async::AsyncConnection;

use crate::auth::CurrentUser;
use crate::auth::access::{PersonAction, Relation};
use crate::error::{ApiError, ApiResult, Problem};
use crate::http::etag::etag;
use crate::ids::{PersonId, StoryId};
use crate::plan::people::authorize;
use crate::social::activity::{self, ActivityKind, Subject};
use crate::social::stories::model::{self, NewStory};
use crate::social::stories::types::{Audience, AuthorKind, CreateStory, Story, StoryStatus};
use crate::social::stories::{check_references, present_one};
use crate::state::AppState;

/// Post a story
///
/// The person and their staff post at once. A supporter with the `contribute` grant may
/// write one too: it stays `pending`, seen by its author, the person and staff, until the
/// person accepts it. Add photos with `POST /v1/stories/{story_id}/photos`.
#[utoipa::path(
    operation_id = "createStory",
    tag = "stories",
    security(("bearer" = [])),
    params(("person_id" = uuid::Uuid, Path)),
    request_body = CreateStory,
    responses(
        (status = 201, description = "Created", body = Story, headers(("ETag" = String), ("Location" = String))),
        (status = 400, description = "Invalid fields or unknown members", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A supporter without `contribute`, or linking a goal without `goals`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Support has ended", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The goal or action is not the person's", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/people/{person_id}/stories")]
pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<PersonId>,
    body: web::Json<CreateStory>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let access = authorize(&mut conn, &user, path.into_inner(), PersonAction::PostStory).await?;
    body.validate()?;
    let members = (body.audience == Audience::Members).then_some(body.members.as_slice());
    check_references(
        &mut conn,
        &access,
        body.goal_id.is_some() || body.action_id.is_some(),
        members,
    )
    .await?;
    let (author_kind, status) = match access.relation {
        Relation::Person => (AuthorKind::Person, StoryStatus::Published),
        Relation::Staff(_) => (AuthorKind::Staff, StoryStatus::Published),
        Relation::Supporter(_) => (AuthorKind::Supporter, StoryStatus::Pending),
    };
    let scope = access.scope;
    let author = access.actor.account_id;
    let id = conn
        .transaction(async |conn| {
            let id = StoryId(
                model::insert(
                    conn,
                    &scope,
                    author,
                    &NewStory {
                        body: &body.body,
                        lang: body.lang,
                        audience: body.audience,
                        goal_id: body.goal_id,
                        action_id: body.action_id,
                        author_kind,
                        status,
                    },
                )
                .await?,
            );
            model::set_members(conn, &scope, id, members.unwrap_or_default()).await?;
            if status == StoryStatus::Published {
                let subject = Subject {
                    story: Some(id.0),
                    ..Subject::default()
                };
                activity::record(conn, &scope, author, ActivityKind::StoryPosted, subject).await?;
            }
            let action = if status == StoryStatus::Published {
                crate::trust::audit::Action::StoryPosted
            } else {
                crate::trust::audit::Action::StorySuggested
            };
            crate::trust::audit::model::changed(conn, &scope, author, action, "story", id.0)
                .await?;
            Ok::<_, ApiError>(id)
        })
        .await?;
    let (version, story) = present_one(&mut conn, &access, id).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::ETAG, etag(version)))
        .insert_header((header::LOCATION, format!("/v1/stories/{id}")))
        .json(story))
}
