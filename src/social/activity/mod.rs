//! What happened in a person's plan, recorded in the same transaction as the change that made
//! it, so the feed never shows a story that was rolled back nor misses one that was saved. A
//! trigger announces each row to every instance (`LISTEN camau_activity`) on commit.

use diesel::ExpressionMethods;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::auth::Authorized;
use crate::auth::access::PersonScope;
use crate::db::schema::activities;
use crate::ids::AccountId;

crate::text_enum! {
    pub enum ActivityKind {
        StoryPosted = "story_posted",
        GoalSet = "goal_set",
        GoalAchieved = "goal_achieved",
        ActionDone = "action_done",
        ReviewHeld = "review_held",
        /// A reaction or a comment.
        Encouraged = "encouraged",
    }
}

/// What an activity is about.
#[derive(Debug, Clone, Copy, Default)]
pub struct Subject {
    pub story: Option<Uuid>,
    pub goal: Option<Uuid>,
    pub action: Option<Uuid>,
    pub review: Option<Uuid>,
    pub comment: Option<Uuid>,
    pub reaction: Option<&'static str>,
}

pub async fn record(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    actor: AccountId,
    kind: ActivityKind,
    subject: Subject,
) -> Result<Uuid, diesel::result::Error> {
    let id = Uuid::now_v7();
    diesel::insert_into(activities::table)
        .values((
            activities::id.eq(id),
            scope.stamp(activities::table),
            activities::kind.eq(kind),
            activities::actor_account_id.eq(actor),
            activities::story_id.eq(subject.story),
            activities::goal_id.eq(subject.goal),
            activities::action_id.eq(subject.action),
            activities::review_id.eq(subject.review),
            activities::comment_id.eq(subject.comment),
            activities::reaction.eq(subject.reaction),
        ))
        .execute(conn)
        .await?;
    Ok(id)
}
