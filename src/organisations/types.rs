//! Request and response bodies for organisations.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::roles::OrganisationKind;
use crate::error::Validator;
use crate::invitations::types::Invitation;
use crate::organisations::model::OrganisationRow;

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
    /// The smallest count its outcome reports show (`null`: the default, 8, or 10 with
    /// children's services).
    pub report_threshold: Option<i32>,
    /// Months a person's record is kept after their support ended, then erased by retention
    /// (`null`: kept until someone decides).
    pub retention_months: Option<i32>,
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
                .unwrap_or(crate::frameworks::NOF_WALES),
            report_threshold: row.report_threshold,
            retention_months: row.retention_months,
            name: row.name,
            created_at: row.created_at,
        }
    }
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
