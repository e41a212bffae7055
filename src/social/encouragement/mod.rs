//! Encouragement: reactions from a small fixed set and comments on stories, goals achieved
//! and actions done, by the person, staff and supporters with the `encourage` grant, on what
//! each can see. The person and staff can hide a comment; a hidden one disappears for the
//! circle at once. The same four operations serve each kind of target (`flow`); each
//! operation's file declares its three handlers (story, goal, action) in one macro.

pub mod comment;
pub mod comments;
pub mod flow;
pub mod hide;
pub mod model;
pub mod react;
pub mod reactions;
pub mod types;

use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::auth::access::{self, PersonAccess, PersonAction};
use crate::auth::session::PersonOf;
use crate::error::{ApiError, ApiResult};
use crate::ids::{ActionId, GoalId, StoryId};
use crate::plan::goals::types::GoalStatus;
use crate::social::activity::Subject;
use crate::social::stories::authorize_story;
use crate::social::stories::types::StoryStatus;

/// What is encouraged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Story(StoryId),
    Goal(GoalId),
    Action(ActionId),
}

impl Target {
    /// The audit trail's subject type and id.
    pub fn subject(self) -> (&'static str, Uuid) {
        match self {
            Target::Story(id) => ("story", id.0),
            Target::Goal(id) => ("goal", id.0),
            Target::Action(id) => ("goal_action", id.0),
        }
    }

    pub fn story(self) -> Option<Uuid> {
        match self {
            Target::Story(id) => Some(id.0),
            _ => None,
        }
    }

    pub fn goal(self) -> Option<Uuid> {
        match self {
            Target::Goal(id) => Some(id.0),
            _ => None,
        }
    }

    pub fn action(self) -> Option<Uuid> {
        match self {
            Target::Action(id) => Some(id.0),
            _ => None,
        }
    }

    /// Its comments' collection, for `Location`.
    pub fn comments_path(self) -> String {
        match self {
            Target::Story(id) => format!("/v1/stories/{id}/comments"),
            Target::Goal(id) => format!("/v1/goals/{id}/comments"),
            Target::Action(id) => format!("/v1/actions/{id}/comments"),
        }
    }
}

/// A target the caller may act on: the proof, what its activity is about, and why it is not
/// open to encouragement yet (a pending story, a goal not achieved, an action not done).
pub struct Authorized {
    pub access: PersonAccess,
    pub subject: Subject,
    pub closed: Option<&'static str>,
}

/// Authorizes `action` on `target`. Seeing comes first, so a refusal never tells a caller
/// that something they may not see exists: a story outside their audience is 404, and goals
/// and actions need the `goals` grant (403, as everywhere else for goals) before `action` is
/// checked.
pub async fn authorize_target(
    conn: &mut AsyncPgConnection,
    user: &CurrentUser,
    target: Target,
    action: PersonAction,
) -> ApiResult<Authorized> {
    match target {
        Target::Story(story) => {
            let (access, row) = authorize_story(conn, user, story, action).await?;
            Ok(Authorized {
                access,
                subject: Subject {
                    story: Some(story.0),
                    ..Subject::default()
                },
                closed: (row.status != StoryStatus::Published)
                    .then_some("the story is not published yet"),
            })
        }
        Target::Goal(id) => {
            let access = authorize_plan_item(conn, user, PersonOf::Goal(id), action).await?;
            let goal = crate::plan::goals::model::find(conn, &access.scope, id)
                .await?
                .ok_or_else(ApiError::not_found)?;
            Ok(Authorized {
                access,
                subject: Subject {
                    goal: Some(id.0),
                    ..Subject::default()
                },
                closed: (goal.status != GoalStatus::Achieved)
                    .then_some("encouragement opens when the goal is achieved"),
            })
        }
        Target::Action(id) => {
            let access = authorize_plan_item(conn, user, PersonOf::Action(id), action).await?;
            let row = crate::plan::goals::model::find_action(conn, &access.scope, id)
                .await?
                .ok_or_else(ApiError::not_found)?;
            Ok(Authorized {
                access,
                // With its goal, so the feed shows it only to those who may see goals.
                subject: Subject {
                    goal: Some(row.goal_id),
                    action: Some(id.0),
                    ..Subject::default()
                },
                closed: row
                    .done_at
                    .is_none()
                    .then_some("encouragement opens when the action is done"),
            })
        }
    }
}

/// A goal or action: seeing it needs `goals`, then `action` is checked.
async fn authorize_plan_item(
    conn: &mut AsyncPgConnection,
    user: &CurrentUser,
    of: PersonOf,
    action: PersonAction,
) -> ApiResult<PersonAccess> {
    let (actor, facts) = crate::auth::session::facts(conn, user, of).await?;
    access::person(actor.clone(), facts, PersonAction::ViewGoals)?;
    access::person(actor, facts, action)
}
