//! `POST /v1/{stories,goals,actions}/{id}/reactions`: react to a story, a goal or an action. One
//! handler per kind of target, written once: they differ in path, operation id, target and a few
//! words.

use actix_web::{post, web};

use crate::auth::CurrentUser;
use crate::error::{ApiResult, Problem};
use crate::social::encouragement::types::{CreateReaction, Reactions};
use crate::social::encouragement::{Target, flow};
use crate::state::AppState;

macro_rules! handlers {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident: $path:literal, $op:literal, $param:literal, $target:ident($id:ident),
        $ok:literal, $forbidden:literal, $conflict:literal;
    )+) => {$(
        $(#[doc = $doc])*
        #[utoipa::path(
            operation_id = $op,
            tag = "encouragement",
            security(("bearer" = [])),
            params(($param = uuid::Uuid, Path)),
            request_body = CreateReaction,
            responses(
                (status = 200, description = $ok, body = Reactions),
                (status = 400, description = "Unknown kind", body = Problem, content_type = "application/problem+json"),
                (status = 403, description = $forbidden, body = Problem, content_type = "application/problem+json"),
                (status = 409, description = $conflict, body = Problem, content_type = "application/problem+json"),
            )
        )]
        #[post($path)]
        pub async fn $name(
            state: web::Data<AppState>,
            user: CurrentUser,
            path: web::Path<crate::ids::$id>,
            body: web::Json<CreateReaction>,
        ) -> ApiResult<web::Json<Reactions>> {
            let target = Target::$target(path.into_inner());
            flow::react(&state, &user, target, body.into_inner()).await
        }
    )+};
}

handlers! {
    /// React to a story
    ///
    /// The person, staff, and supporters with the `encourage` grant who can see the story. Each kind
    /// counts once per person reacting: sending it again (a retry) changes nothing. The person's feed
    /// shows the encouragement.
    react: "/stories/{story_id}/reactions", "reactToStory", "story_id", Story(StoryId),
        "The story's reactions now",
        "A supporter without `encourage`",
        "The story is not published yet, or support has ended";
    /// React to a goal
    ///
    /// Once the goal is achieved: the person, staff, and supporters with the `goals` and `encourage`
    /// grants. Each kind counts once per person reacting: sending it again (a retry) changes nothing.
    /// The person's feed shows the encouragement.
    goal_react: "/goals/{goal_id}/reactions", "reactToGoal", "goal_id", Goal(GoalId),
        "The goal's reactions now",
        "A supporter without `goals` or `encourage`",
        "The goal is not achieved yet, or support has ended";
    /// React to an action
    ///
    /// Once the action is done: the person, staff, and supporters with the `goals` and `encourage`
    /// grants. Each kind counts once per person reacting: sending it again (a retry) changes nothing.
    /// The person's feed shows the encouragement.
    action_react: "/actions/{action_id}/reactions", "reactToAction", "action_id", Action(ActionId),
        "The action's reactions now",
        "A supporter without `goals` or `encourage`",
        "The action is not done yet, or support has ended";
}
