//! Request and response bodies for organisations.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::roles::OrganisationKind;
use crate::error::Validator;
use crate::identity::invitations::types::Invitation;
use crate::identity::organisations::model::OrganisationRow;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "name": "Camau Cymru Support",
    "kind": "provider",
    "first_admin_email": "rhian.evans@example.org",
    "first_admin_language": "cy"
}))]
pub struct CreateOrganisation {
    #[schema(min_length = 1, max_length = 200, example = "Camau Cymru Support")]
    pub name: String,
    pub kind: OrganisationKind,
    /// Who is invited as the organisation's first admin; the code is emailed to them.
    pub first_admin_email: String,
    /// The language their invitation mail puts first (both are always there).
    #[serde(default)]
    pub first_admin_language: crate::fields::Lang,
}

impl CreateOrganisation {
    pub fn validate(&self) -> crate::error::ApiResult<()> {
        let mut v = Validator::new();
        v.text("/name", &self.name, 1, 200);
        v.email("/first_admin_email", &self.first_admin_email);
        v.finish()
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Organisation {
    pub id: Uuid,
    pub name: String,
    pub kind: OrganisationKind,
    /// The framework its dashboard and reports use unless told otherwise.
    pub default_framework_id: Uuid,
    /// The smallest count its outcome reports show (`null`: the default, 10).
    pub report_threshold: Option<i32>,
    /// Months a person's record is kept after their support ended, then erased by retention
    /// (`null`: kept until someone decides).
    pub retention_months: Option<i32>,
    /// When a shortened `retention_months` takes effect (30 days after the change; the
    /// period it replaced holds until then); `null` when it is in force.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub retention_takes_effect_at: Option<OffsetDateTime>,
    /// Only in the answer to a change that shortened the retention period: who it would erase
    /// when it takes effect, if nothing else changes (a held person is kept while the hold
    /// stands). Nothing is erased before then.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retention_would_erase: Option<Vec<RetentionDue>>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl From<OrganisationRow> for Organisation {
    fn from(row: OrganisationRow) -> Self {
        Organisation {
            id: row.id,
            kind: row.kind(),
            default_framework_id: row
                .default_framework_id
                .unwrap_or(crate::outcomes::frameworks::NOF_WALES),
            report_threshold: row.report_threshold,
            retention_months: row.retention_months,
            retention_takes_effect_at: row
                .retention_effective_at
                .filter(|at| *at > OffsetDateTime::now_utc()),
            retention_would_erase: None,
            name: row.name,
            created_at: row.created_at,
        }
    }
}

/// A person a retention change would erase.
#[derive(Debug, Serialize, ToSchema)]
pub struct RetentionDue {
    pub person_id: Uuid,
    #[serde(with = "crate::fields::iso_date")]
    #[schema(value_type = String, format = Date)]
    pub support_ended_on: time::Date,
    /// A legal hold stands: kept while it does.
    pub held: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedOrganisation {
    pub organisation: Organisation,
    /// The first admin's invitation; its `code` is shown only here.
    pub invitation: Invitation,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationList {
    pub items: Vec<Organisation>,
    pub next_cursor: Option<String>,
}

/// Settings an organisation's admins change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "default_framework_id": "06468675-38cb-89e4-8616-2682fa6348ff", "report_threshold": 10 }))]
pub struct UpdateOrganisation {
    /// A framework the organisation may use (a seeded one, its own, or a contracted
    /// commissioning body's); it cannot be cleared.
    #[serde(default, deserialize_with = "crate::fields::double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub default_framework_id: Option<Option<Uuid>>,
    /// The smallest count its outcome reports show: a multiple of 5 from 10 to 100 (`null`:
    /// the default). It can raise the rules' floor, never lower it.
    #[serde(default, deserialize_with = "crate::fields::double_option")]
    #[schema(value_type = Option<i32>, minimum = 10, maximum = 100, multiple_of = 5)]
    pub report_threshold: Option<Option<i32>>,
    /// Months to keep a person's record after their support ended, 12 to 1200 (96, eight
    /// years, is usual for adults' social care records); `null`: until someone decides.
    #[serde(default, deserialize_with = "crate::fields::double_option")]
    #[schema(value_type = Option<i32>, minimum = 12, maximum = 1200)]
    pub retention_months: Option<Option<i32>>,
}

impl UpdateOrganisation {
    pub fn validate(&self) -> crate::error::ApiResult<()> {
        let mut v = Validator::new();
        if let Some(Some(t)) = self.report_threshold
            && !((10..=100).contains(&t) && t % 5 == 0)
        {
            v.add(
                "/report_threshold",
                "out_of_range",
                "a multiple of 5 from 10 to 100",
            );
        }
        if self.default_framework_id == Some(None) {
            v.add(
                "/default_framework_id",
                "required",
                "a framework id, not null",
            );
        }
        if let Some(Some(m)) = self.retention_months
            && !(12..=1200).contains(&m)
        {
            v.add(
                "/retention_months",
                "out_of_range",
                "from 12 to 1200 months",
            );
        }
        if self.default_framework_id.is_none()
            && self.report_threshold.is_none()
            && self.retention_months.is_none()
        {
            v.add("", "empty", "nothing to change");
        }
        v.finish()
    }
}
