//! What a sync page says.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// The kind of record a change is about; `access` is the caller's own access to a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Profile,
    CircleMember,
    Goal,
    Action,
    Review,
    Story,
    /// In `visible` only: the person's photos (their consent for the circle to see them).
    Photo,
    Reaction,
    Comment,
    Access,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeOp {
    /// Created or changed: read it at `href` (its `ETag` is the version to send in `If-Match`).
    Upsert,
    /// Deleted, or taken from your sight: drop it (a story with its comments and reactions).
    Delete,
    /// Your access to the person changed: keep only the kinds in `visible`, and read the
    /// person's records of any kind newly in it.
    Changed,
    /// You can no longer see the person: drop everything of theirs.
    Revoked,
}

/// One change.
#[derive(Debug, Serialize, ToSchema)]
pub struct Change {
    #[serde(rename = "type")]
    pub kind: ChangeKind,
    /// The record's id (for `access`, the person's).
    pub id: Uuid,
    pub person_id: Uuid,
    pub op: ChangeOp,
    #[serde(with = "time::serde::rfc3339")]
    pub changed_at: OffsetDateTime,
    /// Where to read the record now (for comments and reactions, the list on what they are
    /// about; for a profile or a circle member, the person's profile or circle).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// For `access`: the kinds of the person's records you may now see.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visible: Option<Vec<ChangeKind>>,
}

/// A page of changes. Ask again with `next_cursor` while `has_more`; keep the last
/// `next_cursor` for the next sync.
#[derive(Debug, Serialize, ToSchema)]
pub struct SyncPage {
    pub changes: Vec<Change>,
    pub next_cursor: String,
    pub has_more: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SyncQuery {
    /// The `next_cursor` of the last page read; without it, everything you may see.
    pub since: Option<String>,
    /// Changes per page, 1 to 500 (default 100).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
}
