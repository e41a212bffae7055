//! Feed items: enough to draw each one without another request.

use serde::Serialize;
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::fields::iso_date;
use crate::social::activity::ActivityKind;

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedStory {
    pub id: Uuid,
    /// The first 140 characters.
    pub excerpt: String,
    /// `/v1/photos/{id}?size=thumb` of its first photo, if it has one.
    pub thumb_url: Option<String>,
    pub photo_count: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedGoal {
    pub id: Uuid,
    pub title: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedAction {
    pub id: Uuid,
    pub description: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedReview {
    pub id: Uuid,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub held_on: Date,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedItem {
    /// Also the SSE event id: resume a stream with it in `Last-Event-ID`.
    pub id: Uuid,
    pub kind: ActivityKind,
    pub person_id: Uuid,
    pub person_name: String,
    /// Who did it: the person's preferred name, or the staff member's or supporter's name.
    pub actor_name: String,
    pub story: Option<FeedStory>,
    pub goal: Option<FeedGoal>,
    pub action: Option<FeedAction>,
    pub review: Option<FeedReview>,
    /// Reactions and comments on what the item is about: its story, else its action, else
    /// its goal (0 for a review). For encouragement, on what was encouraged.
    pub reaction_count: i64,
    pub comment_count: i64,
    /// For encouragement: the reaction given, or the start of the comment.
    pub reaction: Option<String>,
    pub comment_excerpt: Option<String>,
    /// The comment was hidden (only the person and staff see such items; a hiding by the person
    /// or staff shows, one by a concern to safeguarding leads alone).
    pub comment_hidden: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Feed {
    /// Newest first.
    pub items: Vec<FeedItem>,
    pub next_cursor: Option<String>,
}
