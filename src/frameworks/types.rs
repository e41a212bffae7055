//! Response bodies for frameworks, with labels in the requested language.

use serde::Serialize;
use time::Date;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::fields::{Lang, iso_date};
use crate::frameworks::model::{AreaRow, FrameworkRow, StatementRow, VersionRow};
use crate::scales::types::{Label, pick};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FrameworkVersion {
    pub id: Uuid,
    pub label: String,
    /// `null`: in force, its start not recorded.
    #[serde(with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub effective_from: Option<Date>,
    /// `null`: still in force.
    #[serde(with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub effective_to: Option<Date>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FrameworkSummary {
    pub id: Uuid,
    /// Stable, e.g. `wales-nof`.
    pub key: String,
    /// `wales`, `scotland` or `england`; `null` for an organisation's own.
    pub nation: Option<String>,
    pub name: Label,
    /// `verified`, or `to_confirm`: wording still to be checked against its source.
    pub status: String,
    pub source: String,
    pub source_note: Option<String>,
    /// The organisation that added it; `null` for the service's own (read-only).
    pub organisation_id: Option<Uuid>,
    pub read_only: bool,
    /// Oldest first.
    pub versions: Vec<FrameworkVersion>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FrameworkList {
    /// The service's frameworks first, then the caller's organisation's, by key.
    pub items: Vec<FrameworkSummary>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OutcomeStatement {
    pub id: Uuid,
    pub code: String,
    pub label: Label,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OutcomeArea {
    pub id: Uuid,
    pub code: String,
    pub label: Label,
    /// `all`, `children` or `adults`.
    pub applies_to: String,
    pub statements: Vec<OutcomeStatement>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Framework {
    #[serde(flatten)]
    pub summary: FrameworkSummary,
    /// The version shown: the one asked for, else the one in force today, else the latest.
    pub version: FrameworkVersion,
    pub areas: Vec<OutcomeArea>,
}

impl From<VersionRow> for FrameworkVersion {
    fn from(v: VersionRow) -> Self {
        FrameworkVersion {
            id: v.id,
            label: v.label,
            effective_from: v.effective_from,
            effective_to: v.effective_to,
        }
    }
}

impl FrameworkSummary {
    pub fn localised(row: FrameworkRow, versions: Vec<VersionRow>, lang: Lang) -> Self {
        FrameworkSummary {
            id: row.id,
            name: pick(&row.name_en, row.name_cy.as_deref(), lang),
            key: row.key,
            nation: row.nation,
            status: row.status,
            source: row.source,
            source_note: row.source_note,
            read_only: row.organisation_id.is_none(),
            organisation_id: row.organisation_id,
            versions: versions.into_iter().map(FrameworkVersion::from).collect(),
        }
    }
}

impl OutcomeArea {
    pub fn localised(area: AreaRow, statements: &[StatementRow], lang: Lang) -> Self {
        OutcomeArea {
            id: area.id,
            label: pick(&area.label_en, area.label_cy.as_deref(), lang),
            statements: statements
                .iter()
                .filter(|s| s.area_id == area.id)
                .map(|s| OutcomeStatement {
                    id: s.id,
                    code: s.code.clone(),
                    label: pick(&s.label_en, s.label_cy.as_deref(), lang),
                })
                .collect(),
            code: area.code,
            applies_to: area.applies_to,
        }
    }
}
