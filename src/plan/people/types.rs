//! Request and response bodies for people, mentors and device codes.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::access::Relation;
use crate::error::{ApiResult, Validator};
use crate::fields::{Lang, double_option, double_option_date, iso_date};
use crate::plan::people::model::PersonRow;

crate::text_enum! {
    pub enum ServiceType {
        LearningDisability = "learning_disability",
        ChildrensServices = "childrens_services",
        WorkSupport = "work_support",
        MentalHealth = "mental_health",
        Other = "other",
    }
}

crate::text_enum! {
    /// As the person describes it; `not_stated` when they chose not to say.
    pub enum Gender {
        Female = "female",
        Male = "male",
        NonBinary = "non_binary",
        Other = "other",
        NotStated = "not_stated",
    }
}

crate::text_enum! {
    #[derive(PartialOrd, Ord)]
    pub enum CommunicationNeed {
        EasyRead = "easy_read",
        LargeText = "large_text",
        Symbols = "symbols",
        Audio = "audio",
    }
}

/// Each need once, in one order, as stored.
pub fn distinct_needs(needs: &[CommunicationNeed]) -> Vec<CommunicationNeed> {
    let mut out = needs.to_vec();
    out.sort_by_key(|n| n.as_str());
    out.dedup();
    out
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "preferred_name": "Cai",
    "legal_name": "Caio Rhys Morgan",
    "date_of_birth": "2008-09-14",
    "pronouns": "he/him",
    "preferred_language": "cy",
    "welsh_offered": true,
    "welsh_accepted": true,
    "communication_needs": ["easy_read"],
    "service_type": "learning_disability",
    "support_started_on": "2026-09-01",
    "mentor_ids": ["019e165f-83d2-7128-8b0c-5c7fd0a6a3a4"]
}))]
pub struct CreatePerson {
    /// What the person likes to be called.
    #[schema(min_length = 1, max_length = 100, example = "Cai")]
    pub preferred_name: String,
    #[schema(min_length = 1, max_length = 200)]
    pub legal_name: Option<String>,
    /// Not in the future (UK time).
    #[serde(default, with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub date_of_birth: Option<Date>,
    /// Sensitive, like the date of birth: reports break figures down by it.
    pub gender: Option<Gender>,
    #[schema(min_length = 1, max_length = 50, example = "he/him")]
    pub pronouns: Option<String>,
    #[serde(default)]
    pub preferred_language: Lang,
    /// Was a service in Welsh offered (the Active Offer)?
    #[serde(default)]
    pub welsh_offered: bool,
    /// Did the person take it up? `null`: not known.
    pub welsh_accepted: Option<bool>,
    #[serde(default)]
    pub communication_needs: Vec<CommunicationNeed>,
    pub service_type: ServiceType,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub support_started_on: Date,
    /// Mentors to assign at once.
    #[serde(default)]
    pub mentor_ids: Vec<Uuid>,
}

fn validate_person_fields(
    v: &mut Validator,
    preferred_name: Option<&str>,
    legal_name: Option<&str>,
    pronouns: Option<&str>,
    date_of_birth: Option<Date>,
) {
    if let Some(name) = preferred_name {
        v.text("/preferred_name", name, 1, 100);
    }
    if let Some(name) = legal_name {
        v.text("/legal_name", name, 1, 200);
    }
    if let Some(p) = pronouns {
        v.text("/pronouns", p, 1, 50);
    }
    if date_of_birth.is_some_and(|d| d > crate::fields::today()) {
        v.add("/date_of_birth", "in_future", "must not be in the future");
    }
}

impl CreatePerson {
    pub fn validate(&self) -> ApiResult<()> {
        let mut v = Validator::new();
        validate_person_fields(
            &mut v,
            Some(&self.preferred_name),
            self.legal_name.as_deref(),
            self.pronouns.as_deref(),
            self.date_of_birth,
        );
        if self.welsh_accepted == Some(true) && !self.welsh_offered {
            v.add(
                "/welsh_accepted",
                "not_offered",
                "Welsh cannot be accepted unless offered",
            );
        }
        if self.mentor_ids.len() > 20 {
            v.add("/mentor_ids", "too_many", "at most 20 mentors");
        }
        v.finish()
    }
}

/// Fields to change. Absent: unchanged; `null`: cleared (where a field may be empty).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "communication_needs": ["easy_read", "audio"] }))]
pub struct UpdatePerson {
    #[schema(min_length = 1, max_length = 100)]
    pub preferred_name: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 200)]
    pub legal_name: Option<Option<String>>,
    /// Not in the future (UK time).
    #[serde(default, deserialize_with = "double_option_date")]
    #[schema(value_type = Option<String>, format = Date)]
    pub date_of_birth: Option<Option<Date>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Gender>)]
    pub gender: Option<Option<Gender>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 50)]
    pub pronouns: Option<Option<String>>,
    pub preferred_language: Option<Lang>,
    pub welsh_offered: Option<bool>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<bool>)]
    pub welsh_accepted: Option<Option<bool>>,
    pub communication_needs: Option<Vec<CommunicationNeed>>,
    pub service_type: Option<ServiceType>,
    #[serde(default, with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub support_started_on: Option<Date>,
    /// A date ends support: the record becomes read-only (`null` reopens it).
    #[serde(default, deserialize_with = "double_option_date")]
    #[schema(value_type = Option<String>, format = Date)]
    pub support_ended_on: Option<Option<Date>>,
}

impl UpdatePerson {
    pub fn validate(&self) -> ApiResult<()> {
        let mut v = Validator::new();
        validate_person_fields(
            &mut v,
            self.preferred_name.as_deref(),
            self.legal_name.as_ref().and_then(|o| o.as_deref()),
            self.pronouns.as_ref().and_then(|o| o.as_deref()),
            self.date_of_birth.flatten(),
        );
        v.finish()
    }

    /// Fields only admins and coordinators may change.
    pub fn touches_sensitive(&self) -> bool {
        self.legal_name.is_some()
            || self.date_of_birth.is_some()
            || self.gender.is_some()
            || self.service_type.is_some()
            || self.support_started_on.is_some()
            || self.support_ended_on.is_some()
    }

    /// Fields beyond the person's own preferences. Answering the Welsh Active Offer is the
    /// person's own; making it is staff's.
    pub fn touches_more_than_preferences(&self) -> bool {
        self.touches_sensitive() || self.welsh_offered.is_some()
    }
}

/// A supported person. Supporters see `id` and `preferred_name` only; staff and the person
/// see everything.
#[derive(Debug, Serialize, ToSchema)]
pub struct Person {
    pub id: Uuid,
    pub preferred_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<PersonDetails>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonDetails {
    pub legal_name: Option<String>,
    #[serde(with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub date_of_birth: Option<Date>,
    pub gender: Option<Gender>,
    pub pronouns: Option<String>,
    pub preferred_language: Lang,
    pub welsh_offered: bool,
    pub welsh_accepted: Option<bool>,
    pub communication_needs: Vec<CommunicationNeed>,
    pub service_type: ServiceType,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub support_started_on: Date,
    #[serde(with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub support_ended_on: Option<Date>,
    /// Whether the person has their own sign-in.
    pub has_login: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl Person {
    pub fn shown(row: PersonRow, relation: Relation) -> Self {
        if matches!(relation, Relation::Supporter(_)) {
            return Person {
                id: row.id,
                preferred_name: row.preferred_name,
                details: None,
            };
        }
        Person {
            id: row.id,
            details: Some(PersonDetails {
                legal_name: row.legal_name,
                date_of_birth: row.date_of_birth,
                gender: row.gender,
                pronouns: row.pronouns,
                preferred_language: row.preferred_language,
                welsh_offered: row.welsh_offered,
                welsh_accepted: row.welsh_accepted,
                communication_needs: row.communication_needs,
                service_type: row.service_type,
                support_started_on: row.support_started_on,
                support_ended_on: row.support_ended_on,
                has_login: row.account_id.is_some(),
                created_at: row.created_at,
                updated_at: row.updated_at,
            }),
            preferred_name: row.preferred_name,
        }
    }
}

/// `GET /v1/people`: a page, narrowed by name or by what needs fixing.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PeopleQuery {
    /// Items per page, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Part of a preferred or legal name, any case (up to 100 characters).
    #[param(max_length = 100)]
    pub q: Option<String>,
    /// Only people supported today whom the dashboard's data quality counts: `codes` (an
    /// active goal without outcome codes), `baseline` (an active goal not yet rated), `review`
    /// (no review held in the last 90 days), `circle` (nobody in their circle).
    #[param(inline)]
    pub needs: Option<DataNeed>,
}

/// What a record lacks, as the dashboard's data quality counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DataNeed {
    Codes,
    Baseline,
    Review,
    Circle,
}

impl PeopleQuery {
    pub fn page(&self) -> ApiResult<crate::http::pagination::Page> {
        crate::http::pagination::PageQuery {
            limit: self.limit,
            cursor: self.cursor.clone(),
        }
        .page()
    }

    /// The name to search for, trimmed; `None` when empty.
    pub fn search(&self) -> ApiResult<Option<&str>> {
        let q = self.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
        if q.is_some_and(|q| q.chars().count() > 100) {
            return Err(crate::error::ApiError::new(
                crate::error::ErrorCode::InvalidQueryParameter,
            )
            .with_detail("q must be at most 100 characters"));
        }
        Ok(q)
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonList {
    pub items: Vec<Person>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Mentor {
    pub id: Uuid,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MentorList {
    pub items: Vec<Mentor>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "mentor_ids": ["019e165f-83d2-7128-8b0c-5c7fd0a6a3a4", "019e8cd1-b06e-70ed-9995-31985d5d9dc9"]
}))]
pub struct SetMentors {
    /// The complete set of mentors: others are unassigned.
    pub mentor_ids: Vec<Uuid>,
}

/// A one-time code for the person to enter on their own phone.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeviceCode {
    #[schema(example = "7KQ2-M9XD")]
    pub code: String,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

/// An open one-time code (a device code, a circle invitation): when it was issued and until
/// when it works. The code itself is never shown again.
#[derive(Debug, Serialize, ToSchema)]
pub struct PendingCode {
    pub id: Uuid,
    /// For a circle invitation: the member it is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member_id: Option<Uuid>,
    pub issued_by: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PendingCodeList {
    pub items: Vec<PendingCode>,
    pub next_cursor: Option<String>,
}
