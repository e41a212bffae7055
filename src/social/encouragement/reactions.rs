//! `GET /v1/{stories,goals,actions}/{id}/reactions`: a story's, a goal's or an action's reactions.
//! One handler per kind of target, written once: they differ in path, operation id, target and a
//! few words.

use actix_web::{get, web};

use crate::auth::CurrentUser;
use crate::error::{ApiResult, Problem};
use crate::social::encouragement::types::Reactions;
use crate::social::encouragement::{Target, flow};
use crate::state::AppState;

macro_rules! handlers {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident: $path:literal, $op:literal, $param:literal, $target:ident($id:ident),
        $forbidden:literal;
    )+) => {$(
        $(#[doc = $doc])*
        #[utoipa::path(
            operation_id = $op,
            tag = "encouragement",
            security(("bearer" = [])),
            params(($param = uuid::Uuid, Path)),
            responses(
                (status = 200, description = "The counts", body = Reactions),
                (status = 403, description = $forbidden, body = Problem, content_type = "application/problem+json"),
            )
        )]
        #[get($path)]
        pub async fn $name(
            state: web::Data<AppState>,
            user: CurrentUser,
            path: web::Path<crate::ids::$id>,
            ) -> ApiResult<web::Json<Reactions>> {
            let target = Target::$target(path.into_inner());
            flow::reactions(&state, &user, target).await
        }
    )+};
}

handlers! {
    /// A story's reactions
    ///
    /// Whoever can see the story: how many of each kind, and which are the caller's.
    reactions: "/stories/{story_id}/reactions", "listStoryReactions", "story_id", Story(StoryId),
        "A supporter without `stories`";
    /// A goal's reactions
    ///
    /// Whoever can see the goal: how many of each kind, and which are the caller's.
    goal_reactions: "/goals/{goal_id}/reactions", "listGoalReactions", "goal_id", Goal(GoalId),
        "A supporter without `goals`";
    /// An action's reactions
    ///
    /// Whoever can see the action (its goal): how many of each kind, and which are the caller's.
    action_reactions: "/actions/{action_id}/reactions", "listActionReactions", "action_id", Action(ActionId),
        "A supporter without `goals`";
}
