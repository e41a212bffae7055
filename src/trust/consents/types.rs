//! Consent purposes, audiences and decisions, and what the endpoints send and take.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::{ApiResult, Validator};
use crate::trust::consents::model::ConsentRow;

crate::text_enum! {
    /// What the consent is for.
    pub enum Purpose {
        /// Sharing the person's stories with their circle.
        CircleStories = "circle_stories",
        /// Photos of the person being seen by their circle.
        CirclePhotos = "circle_photos",
        /// The person's data counted in commissioners' (aggregate) reports.
        CommissionerReports = "commissioner_reports",
        /// Being contacted by the organisation (reminders, invitations to reviews).
        Contact = "contact",
    }
}

crate::text_enum! {
    /// Who the consent lets see or use the data.
    pub enum ConsentAudience {
        Circle = "circle",
        Commissioners = "commissioners",
        Organisation = "organisation",
    }
}

crate::text_enum! {
    pub enum Decision {
        Given = "given",
        Refused = "refused",
    }
}

crate::text_enum! {
    /// Who made the decision: the person, a parent (for a child), an appointee or attorney,
    /// or staff deciding in the person's best interests (Mental Capacity Act 2005 s.4) —
    /// recorded as such, never as the person's own.
    pub enum GivenBy {
        Person = "person",
        Parent = "parent",
        Appointee = "appointee",
        BestInterests = "best_interests",
    }
}

impl Purpose {
    /// The audience each purpose is about.
    pub fn audience(self) -> ConsentAudience {
        match self {
            Purpose::CircleStories | Purpose::CirclePhotos => ConsentAudience::Circle,
            Purpose::CommissionerReports => ConsentAudience::Commissioners,
            Purpose::Contact => ConsentAudience::Organisation,
        }
    }
}

/// A decision to record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "purpose": "circle_photos",
    "decision": "given",
    "given_by": "person",
    "wording_version": "circle-photos/2026-11"
}))]
pub struct RecordConsent {
    pub purpose: Purpose,
    /// The purpose's audience (the default); another is refused.
    pub audience: Option<ConsentAudience>,
    pub decision: Decision,
    /// `person` when the person records it themself.
    pub given_by: GivenBy,
    /// The version of the wording the decision was made on, as the app shows it.
    #[schema(min_length = 1, max_length = 64, example = "circle-photos/2026-11")]
    pub wording_version: String,
}

impl RecordConsent {
    pub fn validate(&self) -> ApiResult<ConsentAudience> {
        let mut v = Validator::new();
        let audience = self.audience.unwrap_or(self.purpose.audience());
        if audience != self.purpose.audience() {
            v.add(
                "/audience",
                "audience_not_for_purpose",
                "this purpose is about another audience",
            );
        }
        let w = self.wording_version.trim();
        if w.is_empty() || w.chars().count() > 64 || w.chars().any(char::is_control) {
            v.add(
                "/wording_version",
                "invalid_wording_version",
                "1 to 64 printable characters",
            );
        }
        v.finish()?;
        Ok(audience)
    }
}

/// Someone who recorded or withdrew a consent.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordedBy {
    pub account_id: Uuid,
    pub name: Option<String>,
}

/// One consent record.
#[derive(Debug, Serialize, ToSchema)]
pub struct Consent {
    pub id: Uuid,
    pub purpose: Purpose,
    pub audience: ConsentAudience,
    pub decision: Decision,
    pub given_by: GivenBy,
    pub wording_version: String,
    pub recorded_by: RecordedBy,
    #[serde(with = "time::serde::rfc3339")]
    pub recorded_at: OffsetDateTime,
    /// Whether this is the decision now in force for its purpose (a later one replaces it).
    pub current: bool,
    #[serde(with = "time::serde::rfc3339::option")]
    pub withdrawn_at: Option<OffsetDateTime>,
    pub withdrawn_by: Option<RecordedBy>,
}

impl Consent {
    pub fn from_row(row: ConsentRow) -> Self {
        Consent {
            id: row.id,
            purpose: row.purpose,
            audience: row.audience,
            decision: row.decision,
            given_by: row.given_by,
            wording_version: row.wording_version,
            recorded_by: RecordedBy {
                account_id: row.recorded_by,
                name: row.recorded_by_name,
            },
            recorded_at: row.recorded_at,
            current: row.current,
            withdrawn_at: row.withdrawn_at,
            withdrawn_by: row.withdrawn_by.map(|account_id| RecordedBy {
                account_id,
                name: row.withdrawn_by_name,
            }),
        }
    }
}

crate::text_enum! {
    /// Where a purpose stands.
    pub enum ConsentState {
        /// Nothing recorded: what the organisation already does applies.
        NotRecorded = "not_recorded",
        Given = "given",
        Refused = "refused",
        Withdrawn = "withdrawn",
    }
}

/// A purpose and where it stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct PurposeState {
    pub purpose: Purpose,
    pub audience: ConsentAudience,
    pub state: ConsentState,
    /// Whether the data is used for this purpose now.
    pub in_effect: bool,
    /// The current record, if any.
    pub consent_id: Option<Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentList {
    /// Every purpose, in a fixed order.
    pub purposes: Vec<PurposeState>,
    /// Every record, newest first, withdrawn and replaced ones included.
    pub records: Vec<Consent>,
}

impl ConsentList {
    pub fn from_rows(rows: Vec<ConsentRow>) -> Self {
        let purposes = Purpose::ALL
            .iter()
            .map(|&purpose| {
                let current = rows.iter().find(|r| r.current && r.purpose == purpose);
                let state = match current {
                    None => ConsentState::NotRecorded,
                    Some(r) if r.withdrawn_at.is_some() => ConsentState::Withdrawn,
                    Some(r) if r.decision == Decision::Refused => ConsentState::Refused,
                    Some(_) => ConsentState::Given,
                };
                PurposeState {
                    purpose,
                    audience: purpose.audience(),
                    state,
                    in_effect: matches!(state, ConsentState::NotRecorded | ConsentState::Given),
                    consent_id: current.map(|r| r.id),
                }
            })
            .collect();
        ConsentList {
            purposes,
            records: rows.into_iter().map(Consent::from_row).collect(),
        }
    }
}
