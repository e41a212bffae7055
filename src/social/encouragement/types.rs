//! Request and response bodies for reactions and comments.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::{ApiResult, Validator};
use crate::fields::Lang;

crate::text_enum! {
    /// The reactions on offer: few, clear, and easy to show as pictures.
    pub enum ReactionKind {
        Heart = "heart",
        Clap = "clap",
        Star = "star",
        Celebrate = "celebrate",
        Strong = "strong",
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "kind": "clap" }))]
pub struct CreateReaction {
    pub kind: ReactionKind,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReactionCount {
    pub kind: ReactionKind,
    pub count: i64,
}

/// Reactions on one item: how many of each, and which are the caller's.
#[derive(Debug, Serialize, ToSchema)]
pub struct Reactions {
    /// Every kind, in a fixed order, zeros included.
    pub counts: Vec<ReactionCount>,
    pub total: i64,
    pub mine: Vec<ReactionKind>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "body": "Da iawn ti, Cai!", "lang": "cy" }))]
pub struct CreateComment {
    #[schema(min_length = 1, max_length = 2000)]
    pub body: String,
    #[serde(default)]
    pub lang: Lang,
}

impl CreateComment {
    pub fn validate(&self) -> ApiResult<()> {
        let mut v = Validator::new();
        v.text("/body", &self.body, 1, 2000);
        v.finish()
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Comment {
    pub id: Uuid,
    /// What it is on: exactly one of these is set.
    pub story_id: Option<Uuid>,
    pub goal_id: Option<Uuid>,
    pub action_id: Option<Uuid>,
    /// The person's preferred name, or the staff member's or supporter's name.
    pub author_name: String,
    /// Whether the caller wrote it.
    pub mine: bool,
    pub body: String,
    pub lang: Lang,
    /// Hidden: the circle no longer sees it. A hiding by the person or staff shows here; one by
    /// a safeguarding concern shows to safeguarding leads alone (nobody else is told that a
    /// concern was raised: docs/SECURITY.md, Concerns).
    pub hidden: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommentList {
    /// Oldest first, as a conversation reads.
    pub items: Vec<Comment>,
    pub next_cursor: Option<String>,
}

impl Comment {
    /// `lead`: whether the reader is a safeguarding lead, who alone are told that a concern hid
    /// it (see [`Comment::hidden`]).
    pub fn from_view((row, author): super::model::CommentView, me: Uuid, lead: bool) -> Self {
        Comment {
            id: row.id,
            story_id: row.story_id,
            goal_id: row.goal_id,
            action_id: row.action_id,
            author_name: author.unwrap_or_default(),
            mine: row.author_account_id == me,
            body: row.body,
            lang: row.lang,
            hidden: if lead {
                row.hidden_at.is_some()
            } else {
                row.hidden_by.is_some()
            },
            created_at: row.created_at,
        }
    }
}

impl Reactions {
    pub fn tally(all: &[(ReactionKind, Uuid)], me: Uuid) -> Self {
        Reactions {
            counts: ReactionKind::ALL
                .iter()
                .map(|k| ReactionCount {
                    kind: *k,
                    count: all.iter().filter(|(kind, _)| kind == k).count() as i64,
                })
                .collect(),
            total: all.len() as i64,
            mine: ReactionKind::ALL
                .iter()
                .copied()
                .filter(|k| all.iter().any(|(kind, who)| kind == k && *who == me))
                .collect(),
        }
    }
}
