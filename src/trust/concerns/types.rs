//! Request and response bodies for concerns.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::error::{ApiResult, Validator};

crate::text_enum! {
    pub enum ConcernStatus {
        /// The item is hidden from the circle until a lead settles it.
        Open = "open",
        /// Dealt with; the item stays hidden.
        Resolved = "resolved",
        /// No cause for concern; the item is shown again.
        Restored = "restored",
    }
}

crate::text_enum! {
    pub enum ConcernItem {
        Story = "story",
        Comment = "comment",
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "story_id": "01937a00-0000-7000-8000-00000000b001", "reason": "This photo shows the front of the house" }))]
pub struct RaiseConcern {
    /// The story, or
    pub story_id: Option<Uuid>,
    /// the comment, the concern is about: exactly one.
    pub comment_id: Option<Uuid>,
    /// Optional, for the safeguarding lead only.
    #[schema(max_length = 2000)]
    pub reason: Option<String>,
}

impl RaiseConcern {
    pub fn validate(&self) -> ApiResult<()> {
        let mut v = Validator::new();
        if self.story_id.is_some() == self.comment_id.is_some() {
            v.add("/story_id", "exactly_one", "give story_id or comment_id");
        }
        if let Some(reason) = &self.reason {
            v.text("/reason", reason, 0, 2000);
        }
        v.finish()
    }
}

/// What the person raising it learns: that it was received, nothing about who handles it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConcernReceipt {
    pub id: Uuid,
    pub status: ConcernStatus,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "status": "restored", "note": "Spoke to Cai and his mentor; the photo is fine" }))]
pub struct SettleConcern {
    /// `resolved` or `restored`.
    pub status: ConcernStatus,
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

impl SettleConcern {
    pub fn validate(&self) -> ApiResult<()> {
        let mut v = Validator::new();
        if self.status == ConcernStatus::Open {
            v.add(
                "/status",
                "invalid_status",
                "settle a concern as resolved or restored",
            );
        }
        if let Some(note) = &self.note {
            v.text("/note", note, 0, 2000);
        }
        v.finish()
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Concern {
    pub id: Uuid,
    pub status: ConcernStatus,
    pub person_id: Uuid,
    pub person_name: String,
    pub item: ConcernItem,
    pub item_id: Uuid,
    /// The story's or comment's words, for the lead to judge.
    pub item_text: String,
    pub reason: Option<String>,
    pub raised_by_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub handled_at: Option<OffsetDateTime>,
    pub note: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConcernList {
    /// Newest first.
    pub items: Vec<Concern>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ConcernQuery {
    /// `open` when absent.
    pub status: Option<ConcernStatus>,
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}
