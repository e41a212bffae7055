//! The four operations of encouragement, the same for every kind of target: the handler
//! files name the path and the OpenAPI entry, and call these.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use diesel_async::AsyncConnection;

use crate::auth::CurrentUser;
use crate::auth::access::{PersonAction, Relation};
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::http::pagination::PageQuery;
use crate::ids::CommentId;
use crate::social::activity::{self, ActivityKind, Subject};
use crate::social::encouragement::types::{
    Comment, CommentList, CreateComment, CreateReaction, Reactions,
};
use crate::social::encouragement::{Target, authorize_target, model};
use crate::state::AppState;

/// How many of each reaction, and which are the caller's.
pub async fn reactions(
    state: &AppState,
    user: &CurrentUser,
    target: Target,
) -> ApiResult<web::Json<Reactions>> {
    let mut conn = state.conn().await?;
    let read = read_action(target);
    let access = authorize_target(&mut conn, user, target, read)
        .await?
        .access;
    let all = model::reactions_on(&mut conn, &access.scope, target).await?;
    Ok(web::Json(Reactions::tally(&all, access.actor.account_id.0)))
}

/// Adds a reaction once per kind and person (a retry changes nothing); the counts after.
pub async fn react(
    state: &AppState,
    user: &CurrentUser,
    target: Target,
    body: CreateReaction,
) -> ApiResult<web::Json<Reactions>> {
    let mut conn = state.conn().await?;
    let item = authorize_target(&mut conn, user, target, PersonAction::Encourage).await?;
    open(item.closed)?;
    let scope = item.access.scope;
    let me = item.access.actor.account_id;
    let kind = body.kind;
    let all = conn
        .transaction(async |conn| {
            if model::react(conn, &scope, target, me, kind).await? {
                let (kind_, id) = target.subject();
                crate::trust::audit::model::changed(
                    conn,
                    &scope,
                    me,
                    crate::trust::audit::Action::ReactionAdded,
                    kind_,
                    id,
                )
                .await?;
                let subject = Subject {
                    reaction: Some(kind.as_str()),
                    ..item.subject
                };
                activity::record(conn, &scope, me, ActivityKind::Encouraged, subject).await?;
            }
            Ok::<_, ApiError>(model::reactions_on(conn, &scope, target).await?)
        })
        .await?;
    Ok(web::Json(Reactions::tally(&all, me.0)))
}

/// A page of comments, oldest first; hidden ones (marked) for the person and staff only.
pub async fn comments(
    state: &AppState,
    user: &CurrentUser,
    target: Target,
    query: &PageQuery,
) -> ApiResult<web::Json<CommentList>> {
    let mut conn = state.conn().await?;
    let read = read_action(target);
    let access = authorize_target(&mut conn, user, target, read)
        .await?
        .access;
    let page = query.page()?;
    let with_hidden = !matches!(access.relation, Relation::Supporter(_));
    let rows = model::comments_on(&mut conn, &access.scope, target, with_hidden, page).await?;
    let (rows, next_cursor) = page.finish(rows, |(r, _)| r.id);
    let me = access.actor.account_id.0;
    let staff = matches!(access.relation, Relation::Staff(_)) && access.actor.told_of_concerns();
    Ok(web::Json(CommentList {
        items: rows
            .into_iter()
            .map(|v| Comment::from_view(v, me, staff))
            .collect(),
        next_cursor,
    }))
}

/// Posts a comment, with its activity in the same transaction.
pub async fn comment(
    state: &AppState,
    user: &CurrentUser,
    target: Target,
    body: CreateComment,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let item = authorize_target(&mut conn, user, target, PersonAction::Encourage).await?;
    body.validate()?;
    open(item.closed)?;
    let scope = item.access.scope;
    let me = item.access.actor.account_id;
    let staff =
        matches!(item.access.relation, Relation::Staff(_)) && item.access.actor.told_of_concerns();
    crate::platform::quotas::take(
        &mut conn,
        &state.config.quotas,
        crate::platform::quotas::Quota::Comments(me.0),
    )
    .await?;
    let view = conn
        .transaction(async |conn| {
            let id = model::insert_comment(conn, &scope, target, me, &body.body, body.lang).await?;
            crate::trust::audit::model::changed(
                conn,
                &scope,
                me,
                crate::trust::audit::Action::CommentPosted,
                "comment",
                id,
            )
            .await?;
            let subject = Subject {
                comment: Some(id),
                ..item.subject
            };
            activity::record(conn, &scope, me, ActivityKind::Encouraged, subject).await?;
            model::find_comment(conn, &scope, CommentId(id))
                .await?
                .ok_or_else(|| ApiError::internal("a comment vanished in its own transaction"))
        })
        .await?;
    let location = format!("{}#{}", target.comments_path(), view.0.id);
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, location))
        .json(Comment::from_view(view, me.0, staff)))
}

/// Reading a story's encouragement needs `stories`; a goal's or action's, `goals` (checked
/// by `authorize_target` for every kind).
fn read_action(target: Target) -> PersonAction {
    match target {
        Target::Story(_) => PersonAction::ViewStories,
        Target::Goal(_) | Target::Action(_) => PersonAction::ViewGoals,
    }
}

fn open(closed: Option<&'static str>) -> ApiResult<()> {
    match closed {
        Some(why) => Err(ApiError::new(ErrorCode::Conflict).with_detail(why)),
        None => Ok(()),
    }
}
