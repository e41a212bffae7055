//! Which stories an actor sees, as one SQL condition, so every query of stories (a story, a
//! list, the feed, a photo) applies the same rule (ACCESS-POLICY.md, "stories and photos"):
//! the person and their staff see every story; a supporter sees a published story that no
//! concern has hidden, when they hold the `stories` grant and are in its audience (`circle`:
//! every member with the grant; `members`: the chosen ones; `private`: none), and the stories
//! they wrote while these still wait for the person: once accepted, a story is the person's,
//! and who sees it is their choice alone.

use diesel::dsl::exists;
use diesel::pg::Pg;
use diesel::sql_types::Bool;
use diesel::{BoolExpressionMethods, BoxableExpression, ExpressionMethods, QueryDsl};

use crate::auth::access::{PersonAccess, Relation};
use crate::db::schema::{stories, story_audience};
use crate::stories::types::{Audience, StoryStatus};

pub type StoryFilter = Box<dyn BoxableExpression<stories::table, Pg, SqlType = Bool>>;

/// The condition on `stories` for what `access` may see.
pub fn condition(access: &PersonAccess) -> StoryFilter {
    match access.relation {
        Relation::Staff(_) | Relation::Person => Box::new(stories::id.eq(stories::id)),
        Relation::Supporter(grants) => {
            let visible = stories::hidden_at.is_null();
            let own = stories::author_account_id
                .eq(access.actor.account_id.0)
                .and(stories::status.eq(StoryStatus::Pending));
            if !grants.stories {
                return Box::new(visible.and(own));
            }
            let chosen = exists(
                story_audience::table
                    .filter(story_audience::story_id.eq(stories::id))
                    .filter(story_audience::member_id.eq(grants.member.0)),
            );
            let in_audience = stories::audience
                .eq(Audience::Circle)
                .or(stories::audience.eq(Audience::Members).and(chosen));
            let published = stories::status.eq(StoryStatus::Published);
            Box::new(visible.and(own.or(published.and(in_audience))))
        }
    }
}

/// Whether the caller may change the story's words, audience and photos: the person, or its
/// author — a supporter only while it waits for the person.
pub fn may_edit(access: &PersonAccess, author: uuid::Uuid, status: StoryStatus) -> bool {
    match access.relation {
        Relation::Person => true,
        Relation::Staff(_) => access.actor.account_id.0 == author,
        Relation::Supporter(_) => {
            access.actor.account_id.0 == author && status == StoryStatus::Pending
        }
    }
}

/// Whether the caller may delete the story: as for [`may_edit`], and the person's staff.
pub fn may_delete(access: &PersonAccess, author: uuid::Uuid, status: StoryStatus) -> bool {
    matches!(access.relation, Relation::Staff(_)) || may_edit(access, author, status)
}
