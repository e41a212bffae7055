//! Request and response bodies for reviews.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::{ApiResult, Validator};
use crate::fields::{Lang, double_option, double_option_date, iso_date};
use crate::plan::reviews::model::{RatingRow, ReviewFields, ReviewRow};

pub const MAX_TEXT: usize = 5000;

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RatingInput {
    pub goal_id: Uuid,
    /// On the goal's scale: within its range and on a step.
    pub value: f64,
    #[schema(max_length = 2000)]
    pub comment: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "held_on": "2026-10-14",
    "person_took_part": true,
    "staff_participants": ["019e165f-83d2-7128-8b0c-5c7fd0a6a3a4"],
    "circle_participants": ["01a0805a-e5b9-7173-b83d-9c172411e20b"],
    "whats_working": "I got the bus to college on my own twice this week.",
    "whats_not_working": "The bus station is too busy in the mornings.",
    "staff_notes": "Cai was proud of himself. Agreed to try the quieter 8:40 bus.",
    "lang": "en",
    "next_review_on": "2027-01-13",
    "ratings": [
        {
            "goal_id": "01a0a466-2f4b-790c-81d3-ac94af0f21dd",
            "value": 6,
            "comment": "Nearly there, just the busy mornings to sort out"
        }
    ]
}))]
pub struct CreateReview {
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub held_on: Date,
    pub person_took_part: bool,
    /// Staff who took part.
    #[serde(default)]
    pub staff_participants: Vec<Uuid>,
    /// Circle members who took part.
    #[serde(default)]
    pub circle_participants: Vec<Uuid>,
    /// In the person's words.
    #[schema(max_length = 5000)]
    pub whats_working: Option<String>,
    #[schema(max_length = 5000)]
    pub whats_not_working: Option<String>,
    /// Seen by staff only.
    #[schema(max_length = 5000)]
    pub staff_notes: Option<String>,
    #[serde(default)]
    pub lang: Lang,
    #[serde(default, with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub next_review_on: Option<Date>,
    /// One rating per goal reviewed.
    #[serde(default)]
    pub ratings: Vec<RatingInput>,
}

fn texts(v: &mut Validator, fields: [(&str, Option<&str>); 3]) {
    for (name, value) in fields {
        if let Some(value) = value {
            v.text(name, value, 0, MAX_TEXT);
        }
    }
}

impl CreateReview {
    pub fn validate(&self) -> ApiResult<()> {
        let mut v = Validator::new();
        texts(
            &mut v,
            [
                ("/whats_working", self.whats_working.as_deref()),
                ("/whats_not_working", self.whats_not_working.as_deref()),
                ("/staff_notes", self.staff_notes.as_deref()),
            ],
        );
        if self.next_review_on.is_some_and(|n| n < self.held_on) {
            v.add(
                "/next_review_on",
                "before_review",
                "must not be before held_on",
            );
        }
        if self.ratings.len() > 100 {
            v.add("/ratings", "too_many", "at most 100 ratings");
        }
        v.finish()
    }

    pub fn fields(&self) -> ReviewFields {
        ReviewFields {
            staff_participants: Some(self.staff_participants.clone()),
            circle_participants: Some(self.circle_participants.clone()),
            whats_working: Some(self.whats_working.clone()),
            whats_not_working: Some(self.whats_not_working.clone()),
            staff_notes: Some(self.staff_notes.clone()),
            next_review_on: Some(self.next_review_on),
            ..ReviewFields::default()
        }
    }
}

/// Fields to change; absent fields stay. `ratings`, when present, replaces them all.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "whats_working": "I got the bus on my own every day this week, even on Monday.",
    "next_review_on": "2027-02-10"
}))]
pub struct UpdateReview {
    #[serde(default, with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub held_on: Option<Date>,
    pub person_took_part: Option<bool>,
    pub staff_participants: Option<Vec<Uuid>>,
    pub circle_participants: Option<Vec<Uuid>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, max_length = 5000)]
    pub whats_working: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, max_length = 5000)]
    pub whats_not_working: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, max_length = 5000)]
    pub staff_notes: Option<Option<String>>,
    pub lang: Option<Lang>,
    #[serde(default, deserialize_with = "double_option_date")]
    #[schema(value_type = Option<String>, format = Date)]
    pub next_review_on: Option<Option<Date>>,
    pub ratings: Option<Vec<RatingInput>>,
}

impl UpdateReview {
    pub fn validate(&self) -> ApiResult<()> {
        let mut v = Validator::new();
        texts(
            &mut v,
            [
                (
                    "/whats_working",
                    self.whats_working.as_ref().and_then(|o| o.as_deref()),
                ),
                (
                    "/whats_not_working",
                    self.whats_not_working.as_ref().and_then(|o| o.as_deref()),
                ),
                (
                    "/staff_notes",
                    self.staff_notes.as_ref().and_then(|o| o.as_deref()),
                ),
            ],
        );
        v.finish()
    }

    pub fn fields(&self) -> ReviewFields {
        ReviewFields {
            held_on: self.held_on,
            person_took_part: self.person_took_part,
            staff_participants: self.staff_participants.clone(),
            circle_participants: self.circle_participants.clone(),
            whats_working: self.whats_working.clone(),
            whats_not_working: self.whats_not_working.clone(),
            staff_notes: self.staff_notes.clone(),
            lang: self.lang,
            next_review_on: self.next_review_on,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Rating {
    pub goal_id: Uuid,
    pub value: f64,
    pub comment: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Review {
    pub id: Uuid,
    pub person_id: Uuid,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub held_on: Date,
    pub person_took_part: bool,
    pub staff_participants: Vec<Uuid>,
    pub circle_participants: Vec<Uuid>,
    pub whats_working: Option<String>,
    pub whats_not_working: Option<String>,
    /// Present for staff only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub staff_notes: Option<String>,
    pub lang: Lang,
    #[serde(with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub next_review_on: Option<Date>,
    pub ratings: Vec<Rating>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl Review {
    /// `staff` decides whether staff notes are shown.
    pub fn from_rows(row: ReviewRow, ratings: &[RatingRow], staff: bool) -> Self {
        Review {
            ratings: ratings
                .iter()
                .filter(|r| r.review_id == row.id)
                .map(|r| Rating {
                    goal_id: r.goal_id,
                    value: r.value,
                    comment: r.comment.clone(),
                })
                .collect(),
            id: row.id,
            person_id: row.person_id,
            held_on: row.held_on,
            person_took_part: row.person_took_part,
            staff_participants: row.staff_participants,
            circle_participants: row.circle_participants,
            whats_working: row.whats_working,
            whats_not_working: row.whats_not_working,
            staff_notes: if staff { row.staff_notes } else { None },
            lang: row.lang,
            next_review_on: row.next_review_on,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewList {
    pub items: Vec<Review>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OverdueReview {
    pub person_id: Uuid,
    pub preferred_name: String,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub last_review_on: Date,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub next_review_on: Date,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OverdueList {
    pub items: Vec<OverdueReview>,
}
