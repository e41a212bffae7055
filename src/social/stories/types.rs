//! Request and response bodies for stories.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::{ApiResult, Validator};
use crate::fields::{Lang, double_option};

crate::text_enum! {
    /// Who sees a story besides the person and their staff.
    pub enum Audience {
        /// Only the person and their staff.
        Private = "private",
        /// Every circle member with the `stories` grant.
        Circle = "circle",
        /// The chosen members (`members`), among those with the `stories` grant.
        Members = "members",
    }
}

crate::text_enum! {
    pub enum StoryStatus {
        /// Written by a supporter; only its author, the person and staff see it until the
        /// person accepts it.
        Pending = "pending",
        Published = "published",
    }
}

crate::text_enum! {
    pub enum AuthorKind {
        Person = "person",
        Staff = "staff",
        Supporter = "supporter",
    }
}

/// Most photos a story may hold.
pub const MAX_PHOTOS: i64 = 10;
/// Most members a `members` audience may name.
const MAX_MEMBERS: usize = 50;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "body": "I got the bus to college on my own today. The driver said well done!",
    "lang": "en",
    "audience": "circle",
    "goal_id": "01937a00-0000-7000-8000-00000000a001"
}))]
pub struct CreateStory {
    /// The story in the person's (or its author's) own words, kept exactly.
    #[schema(min_length = 1, max_length = 5000)]
    pub body: String,
    #[serde(default)]
    pub lang: Lang,
    /// `private` when absent.
    #[serde(default = "private")]
    pub audience: Audience,
    /// Circle member ids, for the `members` audience only.
    #[serde(default)]
    pub members: Vec<Uuid>,
    /// A goal of the person's this story is evidence for.
    pub goal_id: Option<Uuid>,
    /// An action of the person's this story is about.
    pub action_id: Option<Uuid>,
}

fn private() -> Audience {
    Audience::Private
}

fn check_audience(v: &mut Validator, audience: Option<Audience>, members: Option<&[Uuid]>) {
    match (audience, members) {
        (Some(Audience::Members), None | Some([])) => v.add(
            "/members",
            "required",
            "name at least one member for this audience",
        ),
        (Some(Audience::Private | Audience::Circle), Some([_, ..])) => v.add(
            "/members",
            "not_allowed",
            "members are chosen only for the `members` audience",
        ),
        (None, Some(_)) => v.add(
            "/members",
            "not_allowed",
            "send the `members` audience with the members",
        ),
        _ => {}
    }
    if members.is_some_and(|m| m.len() > MAX_MEMBERS) {
        v.add(
            "/members",
            "too_many",
            format!("at most {MAX_MEMBERS} members"),
        );
    }
}

impl CreateStory {
    pub fn validate(&self) -> ApiResult<()> {
        let mut v = Validator::new();
        v.text("/body", &self.body, 1, 5000);
        check_audience(&mut v, Some(self.audience), Some(&self.members));
        v.finish()
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "audience": "members", "members": ["01937a00-0000-7000-8000-00000000c001"] }))]
pub struct UpdateStory {
    #[schema(min_length = 1, max_length = 5000)]
    pub body: Option<String>,
    pub lang: Option<Lang>,
    pub audience: Option<Audience>,
    /// With `audience: members`: the whole new list.
    pub members: Option<Vec<Uuid>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub goal_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub action_id: Option<Option<Uuid>>,
}

impl UpdateStory {
    pub fn validate(&self) -> ApiResult<()> {
        let mut v = Validator::new();
        if let Some(body) = &self.body {
            v.text("/body", body, 1, 5000);
        }
        check_audience(&mut v, self.audience, self.members.as_deref());
        v.finish()
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Author {
    pub kind: AuthorKind,
    /// The person's preferred name, or the staff member's or supporter's name.
    pub display_name: String,
}

/// One stored photo of a story. Each size is fetched from `GET /v1/photos/{id}?size=...`,
/// which checks access on every call.
#[derive(Debug, Serialize, ToSchema)]
pub struct PhotoRef {
    pub id: Uuid,
    /// Of the stored original (after rotation).
    pub width: i32,
    pub height: i32,
    /// `/v1/photos/{id}?size=thumb`
    pub thumb_url: String,
    pub display_url: String,
    pub original_url: String,
}

impl PhotoRef {
    pub fn new(id: Uuid, width: i32, height: i32) -> Self {
        let url = |size: &str| format!("/v1/photos/{id}?size={size}");
        PhotoRef {
            id,
            width,
            height,
            thumb_url: url("thumb"),
            display_url: url("display"),
            original_url: url("original"),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Story {
    pub id: Uuid,
    pub person_id: Uuid,
    pub body: String,
    pub lang: Lang,
    pub audience: Audience,
    /// The chosen members of a `members` audience (shown to the person and staff only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub members: Option<Vec<Uuid>>,
    /// Shown to those who may see the person's goals.
    pub goal_id: Option<Uuid>,
    pub action_id: Option<Uuid>,
    pub author: Author,
    pub status: StoryStatus,
    /// Whether a safeguarding concern hides it from the circle. Told to safeguarding leads
    /// alone: to everyone else it stays `false` (nobody else is told that a concern was
    /// raised; docs/SECURITY.md, Concerns).
    pub hidden: bool,
    pub photos: Vec<PhotoRef>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StoryList {
    /// Newest first.
    pub items: Vec<Story>,
    pub next_cursor: Option<String>,
}
