//! `GET /v1/{stories,goals,actions}/{id}/comments`: a story's, a goal's or an action's comments.
//! One handler per kind of target, written once: they differ in path, operation id, target and a
//! few words.

use actix_web::{get, web};

use crate::auth::CurrentUser;
use crate::error::{ApiResult, Problem};
use crate::http::pagination::PageQuery;
use crate::social::encouragement::types::CommentList;
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
            params(($param = uuid::Uuid, Path), PageQuery),
            responses(
                (status = 200, description = "A page of comments", body = CommentList),
                (status = 400, description = "Bad cursor or limit", body = Problem, content_type = "application/problem+json"),
                (status = 403, description = $forbidden, body = Problem, content_type = "application/problem+json"),
            )
        )]
        #[get($path)]
        pub async fn $name(
            state: web::Data<AppState>,
            user: CurrentUser,
            path: web::Path<crate::ids::$id>,
            query: web::Query<PageQuery>,
        ) -> ApiResult<web::Json<CommentList>> {
            let target = Target::$target(path.into_inner());
            flow::comments(&state, &user, target, &query).await
        }
    )+};
}

handlers! {
    /// A story's comments
    ///
    /// Whoever can see the story, oldest first. Hidden comments are shown (marked) to the person and
    /// staff only.
    comments: "/stories/{story_id}/comments", "listStoryComments", "story_id", Story(StoryId),
        "A supporter without `stories`";
    /// A goal's comments
    ///
    /// Whoever can see the goal, oldest first. Hidden comments are shown (marked) to the person and
    /// staff only.
    goal_comments: "/goals/{goal_id}/comments", "listGoalComments", "goal_id", Goal(GoalId),
        "A supporter without `goals`";
    /// An action's comments
    ///
    /// Whoever can see the action (its goal), oldest first. Hidden comments are shown (marked) to the
    /// person and staff only.
    action_comments: "/actions/{action_id}/comments", "listActionComments", "action_id", Action(ActionId),
        "A supporter without `goals`";
}
