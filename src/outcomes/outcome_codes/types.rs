//! Request and response bodies for goal codes.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::fields::Lang;
use crate::outcomes::outcome_codes::model::CodeRow;
use crate::plan::scales::types::{Label, pick};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "area_id": "5bd0a1f0-7e2c-4a8e-9d4f-0a3c9b0e8f11" }))]
pub struct AddCode {
    /// An outcome area of a framework the organisation may use (`GET /v1/frameworks/{id}`).
    pub area_id: Uuid,
    /// Optionally one of that area's statements.
    pub statement_id: Option<Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CodedItem {
    pub id: Uuid,
    pub code: String,
    pub label: Label,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GoalCode {
    pub id: Uuid,
    pub framework_id: Uuid,
    pub framework_key: String,
    pub version_id: Uuid,
    pub version_label: String,
    pub area: CodedItem,
    pub statement: Option<CodedItem>,
    pub coded_by: Uuid,
    pub coded_by_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub coded_at: OffsetDateTime,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GoalCodeList {
    /// Oldest first.
    pub items: Vec<GoalCode>,
}

impl GoalCode {
    pub fn localised(row: CodeRow, lang: Lang) -> Self {
        let statement = match (row.statement_id, row.statement_code, row.statement_en) {
            (Some(id), Some(code), Some(en)) => Some(CodedItem {
                id,
                code,
                label: pick(&en, row.statement_cy.as_deref(), lang),
            }),
            _ => None,
        };
        GoalCode {
            id: row.id,
            framework_id: row.framework_id,
            framework_key: row.framework_key,
            version_id: row.version_id,
            version_label: row.version_label,
            area: CodedItem {
                id: row.area_id,
                label: pick(&row.area_en, row.area_cy.as_deref(), lang),
                code: row.area_code,
            },
            statement,
            coded_by: row.coded_by,
            coded_by_name: row.coded_by_name,
            coded_at: row.coded_at,
        }
    }
}
