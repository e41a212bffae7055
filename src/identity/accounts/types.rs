//! Request and response bodies for staff accounts.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::roles::{Role, StaffRole};
use crate::identity::accounts::model::AccountRow;

/// A member of staff. Mentors and commissioners see `id` and `name` only; admins, coordinators
/// and platform administrators see everything.
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffMember {
    pub id: Uuid,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// Receives the organisation's safeguarding concerns (admins and coordinators see it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub safeguarding_lead: Option<bool>,
    /// Can work in Welsh (the Active Offer).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speaks_welsh: Option<bool>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "time::serde::rfc3339::option"
    )]
    pub created_at: Option<OffsetDateTime>,
}

impl StaffMember {
    pub fn full(row: AccountRow) -> Self {
        StaffMember {
            id: row.id,
            role: Some(row.role()),
            active: Some(row.deactivated_at.is_none()),
            safeguarding_lead: Some(row.safeguarding_lead),
            speaks_welsh: Some(row.speaks_welsh),
            name: row.name,
            email: row.email,
            created_at: Some(row.created_at),
        }
    }

    pub fn name_only(row: AccountRow) -> Self {
        StaffMember {
            id: row.id,
            name: row.name,
            email: None,
            role: None,
            active: None,
            safeguarding_lead: None,
            speaks_welsh: None,
            created_at: None,
        }
    }

    pub fn shown(row: AccountRow, full: bool) -> Self {
        if full {
            Self::full(row)
        } else {
            Self::name_only(row)
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffList {
    pub items: Vec<StaffMember>,
    pub next_cursor: Option<String>,
}

/// Fields to change; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "role": "coordinator" }))]
pub struct UpdateStaff {
    pub role: Option<StaffRole>,
    /// `false` deactivates the account and ends all its sessions at once; `true` reactivates.
    pub active: Option<bool>,
    /// Whether they receive the organisation's safeguarding concerns.
    pub safeguarding_lead: Option<bool>,
    /// Whether they can work in Welsh.
    pub speaks_welsh: Option<bool>,
}
