//! Achievement stories: the person's progress in their own words and photos. Who sees a story
//! is the person's choice (its audience) on top of the circle grants; a supporter's story
//! waits for the person to accept it.

pub mod accept;
pub mod create;
pub mod delete;
pub mod get;
pub mod list;
pub mod model;
pub mod types;
pub mod update;
pub mod visibility;

use diesel_async::AsyncPgConnection;

use crate::auth::CurrentUser;
use crate::auth::access::{self, PersonAccess, PersonAction};
use crate::auth::session::PersonOf;
use crate::error::{ApiError, ApiResult};
use crate::ids::StoryId;

/// Authorizes `action` on the person `story` belongs to and returns the story. A story the
/// caller may not see is 404 whatever the action, like one that does not exist; only then is
/// the action itself checked (403), so a refusal never tells a supporter a story exists.
pub async fn authorize_story(
    conn: &mut AsyncPgConnection,
    user: &CurrentUser,
    story: StoryId,
    action: PersonAction,
) -> ApiResult<(PersonAccess, model::StoryRow)> {
    let (actor, facts) = crate::auth::session::facts(conn, user, PersonOf::Story(story)).await?;
    // Everyone who may see the person may follow their feed: the weakest relation, enough to
    // decide which of their stories the caller sees.
    let seeing = access::person(actor.clone(), facts, PersonAction::ViewFeed)?;
    let row = model::find_visible(conn, &seeing, story)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let access = access::person(actor, facts, action)?;
    Ok((access, row))
}

/// The response bodies of `views`, with their photos and (for the person and staff) the chosen
/// members of their audiences: two more queries for any number of stories.
pub async fn present(
    conn: &mut AsyncPgConnection,
    access: &PersonAccess,
    views: Vec<model::StoryView>,
) -> ApiResult<Vec<types::Story>> {
    use std::collections::HashMap;

    use crate::auth::access::Relation;

    let ids: Vec<uuid::Uuid> = views.iter().map(|(r, _)| r.id).collect();
    let mut photos: HashMap<uuid::Uuid, Vec<types::PhotoRef>> = HashMap::new();
    let with_photos: &[uuid::Uuid] = if access.sees_photos() { &ids } else { &[] };
    for (story, photo, width, height) in model::photos_of(conn, &access.scope, with_photos).await? {
        photos
            .entry(story)
            .or_default()
            .push(types::PhotoRef::new(photo, width, height));
    }
    let (sees_members, sees_goals) = match access.relation {
        Relation::Staff(_) | Relation::Person => (true, true),
        Relation::Supporter(g) => (false, g.goals),
    };
    let mut members: HashMap<uuid::Uuid, Vec<uuid::Uuid>> = HashMap::new();
    if sees_members {
        for (story, member) in model::members_of(conn, &access.scope, &ids).await? {
            members.entry(story).or_default().push(member);
        }
    }
    Ok(views
        .into_iter()
        .map(|(row, author)| types::Story {
            id: row.id,
            person_id: row.person_id,
            members: (sees_members && row.audience == types::Audience::Members)
                .then(|| members.remove(&row.id).unwrap_or_default()),
            goal_id: row.goal_id.filter(|_| sees_goals),
            action_id: row.action_id.filter(|_| sees_goals),
            author: types::Author {
                kind: row.author_kind,
                display_name: author.unwrap_or_default(),
            },
            photos: photos.remove(&row.id).unwrap_or_default(),
            body: row.body,
            lang: row.lang,
            audience: row.audience,
            status: row.status,
            // Only a concern hides a story; safeguarding leads alone are told (SECURITY.md).
            hidden: matches!(access.relation, Relation::Staff(_))
                && access.actor.told_of_concerns()
                && row.hidden_at.is_some(),
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
        .collect())
}

/// One story as the caller sees it, with its version for the `ETag`.
pub async fn present_one(
    conn: &mut AsyncPgConnection,
    access: &PersonAccess,
    story: StoryId,
) -> ApiResult<(i32, types::Story)> {
    let page = crate::http::pagination::Page {
        limit: 1,
        after: None,
    };
    let views = model::list_visible(conn, access, Some(&[story.0]), page).await?;
    let version = views
        .first()
        .map(|(r, _)| r.version)
        .ok_or_else(ApiError::not_found)?;
    let story = present(conn, access, views)
        .await?
        .pop()
        .ok_or_else(ApiError::not_found)?;
    Ok((version, story))
}

/// Checks links and chosen members a create or update names: they must be the person's, and
/// a supporter may link only goals they may see.
pub async fn check_references(
    conn: &mut AsyncPgConnection,
    access: &PersonAccess,
    links_goal: bool,
    members: Option<&[uuid::Uuid]>,
) -> ApiResult<()> {
    use crate::auth::access::Relation;
    if links_goal && matches!(access.relation, Relation::Supporter(g) if !g.goals) {
        return Err(ApiError::forbidden().with_detail("linking a goal needs the goals grant"));
    }
    if let Some(members) = members {
        let mut unique = members.to_vec();
        unique.sort_unstable();
        unique.dedup();
        let found = model::current_members(conn, &access.scope, &unique).await?;
        if found != unique.len() as i64 {
            let mut v = crate::error::Validator::new();
            v.add(
                "/members",
                "unknown_member",
                "every member must be in the person's circle",
            );
            v.finish()?;
        }
    }
    Ok(())
}
