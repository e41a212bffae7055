//! `POST /v1/{stories,goals,actions}/{id}/comments`: comment on a story, a goal or an action. One
//! handler per kind of target, written once: they differ in path, operation id, target and a few
//! words.

use actix_web::{HttpResponse, post, web};

use crate::auth::CurrentUser;
use crate::error::{ApiResult, Problem};
use crate::social::encouragement::types::{Comment, CreateComment};
use crate::social::encouragement::{Target, flow};
use crate::state::AppState;

macro_rules! handlers {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident: $path:literal, $op:literal, $param:literal, $target:ident($id:ident),
        $forbidden:literal, $conflict:literal;
    )+) => {$(
        $(#[doc = $doc])*
        #[utoipa::path(
            operation_id = $op,
            tag = "encouragement",
            security(("bearer" = [])),
            params(($param = uuid::Uuid, Path)),
            request_body = CreateComment,
            responses(
                (status = 201, description = "Posted", body = Comment, headers(("Location" = String))),
                (status = 400, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
                (status = 403, description = $forbidden, body = Problem, content_type = "application/problem+json"),
                (status = 409, description = $conflict, body = Problem, content_type = "application/problem+json"),
                (status = 429, description = "`rate_limited`: over your comments for this minute (`CAMAU_QUOTA_COMMENTS_PER_MINUTE`, default 20); `Retry-After` says when the window ends", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds until the quota window ends"))),
            )
        )]
        #[post($path)]
        pub async fn $name(
            state: web::Data<AppState>,
            user: CurrentUser,
            path: web::Path<crate::ids::$id>,
            body: web::Json<CreateComment>,
        ) -> ApiResult<HttpResponse> {
            let target = Target::$target(path.into_inner());
            flow::comment(&state, &user, target, body.into_inner()).await
        }
    )+};
}

handlers! {
    /// Comment on a story
    ///
    /// The person, staff, and supporters with the `encourage` grant who can see the story.
    comment: "/stories/{story_id}/comments", "commentOnStory", "story_id", Story(StoryId),
        "A supporter without `encourage`",
        "The story is not published yet, or support has ended";
    /// Comment on a goal
    ///
    /// Once the goal is achieved: the person, staff, and supporters with the `goals` and `encourage`
    /// grants.
    goal_comment: "/goals/{goal_id}/comments", "commentOnGoal", "goal_id", Goal(GoalId),
        "A supporter without `goals` or `encourage`",
        "The goal is not achieved yet, or support has ended";
    /// Comment on an action
    ///
    /// Once the action is done: the person, staff, and supporters with the `goals` and `encourage`
    /// grants.
    action_comment: "/actions/{action_id}/comments", "commentOnAction", "action_id", Action(ActionId),
        "A supporter without `goals` or `encourage`",
        "The action is not done yet, or support has ended";
}
