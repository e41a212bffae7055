//! Hold reasons and what the hold endpoints send and take.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::trust::holds::model::HoldRow;

crate::text_enum! {
    /// Why the record is held. Codes, not free text: the hold is visible to admins and goes
    /// into the audit trail.
    pub enum HoldReason {
        /// A safeguarding enquiry or review (Social Services and Well-being (Wales) Act 2014
        /// Part 7).
        Safeguarding = "safeguarding",
        /// Litigation, actual or expected.
        Litigation = "litigation",
        /// A police investigation.
        Police = "police",
        /// A regulator's inspection or inquiry (Care Inspectorate Wales, the ICO).
        Regulator = "regulator",
        /// A complaint being handled.
        Complaint = "complaint",
        /// A public inquiry's instruction to keep records.
        Inquiry = "inquiry",
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "reason": "safeguarding" }))]
pub struct PlaceHold {
    pub reason: HoldReason,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Hold {
    pub id: Uuid,
    pub reason: HoldReason,
    pub placed_by: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub placed_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub lifted_at: Option<OffsetDateTime>,
    pub lifted_by: Option<Uuid>,
}

impl From<HoldRow> for Hold {
    fn from(r: HoldRow) -> Self {
        Hold {
            id: r.id,
            reason: r.reason,
            placed_by: r.placed_by,
            placed_at: r.placed_at,
            lifted_at: r.lifted_at,
            lifted_by: r.lifted_by,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HoldList {
    /// Newest first, lifted ones included.
    pub items: Vec<Hold>,
}
