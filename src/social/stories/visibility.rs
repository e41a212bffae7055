//! Which stories an actor sees, as one SQL condition for the stories API's queries (a story,
//! a list, a photo): the policy's `story_seen` (migration 000028, `auth::policy`), which the
//! feed and the sync call too (ACCESS-POLICY.md, "stories and photos"). Who may change or
//! delete a story is decided here, in Rust, from the proof.

use diesel::pg::Pg;
use diesel::sql_types::Bool;
use diesel::{BoxableExpression, ExpressionMethods};

use crate::auth::access::{PersonAccess, Relation};
use crate::auth::policy::story_seen;
use crate::db::schema::stories;
use crate::social::stories::types::StoryStatus;

pub type StoryFilter = Box<dyn BoxableExpression<stories::table, Pg, SqlType = Bool>>;

/// The condition on `stories` for what `access` may see, its own drafts included.
pub fn condition(access: &PersonAccess) -> StoryFilter {
    match access.relation {
        // The whole record's viewers: nothing to ask per row.
        Relation::Staff(_) | Relation::Person => Box::new(stories::id.eq(stories::id)),
        Relation::Supporter(grants) => Box::new(story_seen(
            stories::id,
            access.scope.id().person.0,
            access.actor.account_id.0,
            Some(grants.member.0),
            false,
            grants.stories,
            true,
        )),
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
