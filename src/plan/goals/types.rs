//! Request and response bodies for goals, actions and progress.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::{ApiResult, Validator};
use crate::fields::{Lang, double_option, double_option_date, iso_date};
use crate::plan::goals::model::{ActionRow, GoalRow, StatusChangeRow};
use crate::plan::scales::types::Label;

crate::text_enum! {
    pub enum GoalStatus {
        Active = "active",
        Achieved = "achieved",
        Paused = "paused",
        Stopped = "stopped",
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "title": "Get the bus to college on my own",
    "why_it_matters": "So I can see my mates at college without waiting for Mam to give me a lift",
    "lang": "en",
    "target_date": "2027-03-31",
    "scale": "distance_travelled"
}))]
pub struct CreateGoal {
    /// The goal as the person said it.
    #[schema(
        min_length = 1,
        max_length = 300,
        example = "Get the bus to college on my own"
    )]
    pub title: String,
    #[schema(max_length = 2000)]
    pub why_it_matters: Option<String>,
    #[serde(default)]
    pub lang: Lang,
    #[serde(default, with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub target_date: Option<Date>,
    /// A scale `code` from `/v1/scales`; the default scale when absent. Fixed once created.
    pub scale: Option<String>,
}

impl CreateGoal {
    pub fn validate(&self) -> ApiResult<()> {
        let mut v = Validator::new();
        v.text("/title", &self.title, 1, 300);
        if let Some(why) = &self.why_it_matters {
            v.text("/why_it_matters", why, 0, 2000);
        }
        v.finish()
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "target_date": "2027-06-30", "status": "active" }))]
pub struct UpdateGoal {
    #[schema(min_length = 1, max_length = 300)]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, max_length = 2000)]
    pub why_it_matters: Option<Option<String>>,
    pub lang: Option<Lang>,
    #[serde(default, deserialize_with = "double_option_date")]
    #[schema(value_type = Option<String>, format = Date)]
    pub target_date: Option<Option<Date>>,
    /// A change is recorded with its date in `status_history`.
    pub status: Option<GoalStatus>,
}

impl UpdateGoal {
    pub fn validate(&self) -> ApiResult<()> {
        let mut v = Validator::new();
        if let Some(title) = &self.title {
            v.text("/title", title, 1, 300);
        }
        if let Some(Some(why)) = &self.why_it_matters {
            v.text("/why_it_matters", why, 0, 2000);
        }
        v.finish()
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StatusChange {
    pub status: GoalStatus,
    pub changed_by: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub changed_at: OffsetDateTime,
}

impl From<StatusChangeRow> for StatusChange {
    fn from(row: StatusChangeRow) -> Self {
        StatusChange {
            status: row.status,
            changed_by: row.changed_by,
            changed_at: row.changed_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Goal {
    pub id: Uuid,
    pub person_id: Uuid,
    pub title: String,
    pub why_it_matters: Option<String>,
    pub lang: Lang,
    #[serde(with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub target_date: Option<Date>,
    pub status: GoalStatus,
    pub scale_id: Uuid,
    pub author_id: Uuid,
    /// Every status with the date it took effect, oldest first (single-goal reads only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_history: Option<Vec<StatusChange>>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl Goal {
    pub fn from_row(row: GoalRow, history: Option<Vec<StatusChangeRow>>) -> Self {
        Goal {
            id: row.id,
            person_id: row.person_id,
            title: row.title,
            why_it_matters: row.why_it_matters,
            lang: row.lang,
            target_date: row.target_date,
            status: row.status,
            scale_id: row.scale_id,
            author_id: row.author_account_id,
            status_history: history.map(|h| h.into_iter().map(Into::into).collect()),
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GoalList {
    pub items: Vec<Goal>,
    pub next_cursor: Option<String>,
}

crate::text_enum! {
    pub enum Owner {
        Person = "person",
        Mentor = "mentor",
        CircleMember = "circle_member",
    }
}

crate::text_enum! {
    pub enum ActionState {
        /// Part of the plan.
        Accepted = "accepted",
        /// Suggested by a supporter, waiting for the person.
        Suggested = "suggested",
        /// A suggestion the person did not take up.
        Declined = "declined",
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "description": "Practise the route with Mam on Saturday",
    "owner": "circle_member",
    "owner_member_id": "01a0805a-e5b9-7173-b83d-9c172411e20b",
    "due_on": "2026-10-17"
}))]
pub struct CreateAction {
    #[schema(
        min_length = 1,
        max_length = 500,
        example = "Practise the route with Mam on Saturday"
    )]
    pub description: String,
    pub owner: Owner,
    /// Required when `owner` is `circle_member`.
    pub owner_member_id: Option<Uuid>,
    #[serde(default, with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub due_on: Option<Date>,
}

impl CreateAction {
    pub fn validate(&self) -> ApiResult<()> {
        let mut v = Validator::new();
        v.text("/description", &self.description, 1, 500);
        if (self.owner == Owner::CircleMember) != self.owner_member_id.is_some() {
            v.add(
                "/owner_member_id",
                "owner_mismatch",
                "give owner_member_id exactly when the owner is a circle member",
            );
        }
        v.finish()
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "done": true }))]
pub struct UpdateAction {
    #[schema(min_length = 1, max_length = 500)]
    pub description: Option<String>,
    pub owner: Option<Owner>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub owner_member_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "double_option_date")]
    #[schema(value_type = Option<String>, format = Date)]
    pub due_on: Option<Option<Date>>,
    /// Mark done (the date is recorded) or not done.
    pub done: Option<bool>,
    /// The person accepts or declines a suggestion.
    pub state: Option<ActionState>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Action {
    pub id: Uuid,
    pub goal_id: Uuid,
    pub description: String,
    pub owner: Owner,
    pub owner_member_id: Option<Uuid>,
    #[serde(with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub due_on: Option<Date>,
    pub done: bool,
    #[serde(with = "time::serde::rfc3339::option")]
    pub done_at: Option<OffsetDateTime>,
    pub state: ActionState,
    pub author_id: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl From<ActionRow> for Action {
    fn from(row: ActionRow) -> Self {
        Action {
            id: row.id,
            goal_id: row.goal_id,
            description: row.description,
            owner: row.owner,
            owner_member_id: row.owner_member_id,
            due_on: row.due_on,
            done: row.done_at.is_some(),
            done_at: row.done_at,
            state: row.state,
            author_id: row.author_account_id,
            created_at: row.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ActionList {
    pub items: Vec<Action>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProgressPoint {
    pub review_id: Uuid,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub held_on: Date,
    pub value: f64,
    pub label: Option<Label>,
    pub comment: Option<String>,
}

/// How far the person has travelled toward a goal, review by review.
#[derive(Debug, Serialize, ToSchema)]
pub struct Progress {
    pub goal_id: Uuid,
    pub scale_id: Uuid,
    /// The first rating.
    pub baseline: Option<ProgressPoint>,
    /// The most recent rating.
    pub latest: Option<ProgressPoint>,
    /// `latest.value - baseline.value`.
    pub change_since_baseline: Option<f64>,
    /// Every rating, oldest first.
    pub ratings: Vec<ProgressPoint>,
}
