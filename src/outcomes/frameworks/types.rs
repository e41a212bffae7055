//! Response bodies for frameworks, with labels in the requested language.

use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::fields::{Lang, iso_date};
use crate::outcomes::frameworks::model::{AreaRow, FrameworkRow, StatementRow, VersionRow};
use crate::plan::scales::types::{Label, pick};

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
    pub applies_to: AppliesTo,
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

/// An organisation's own framework (a commissioner's contract outcomes, say): one version with
/// its areas and their statements.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "key": "cardiff-contract-2026",
    "name_en": "Cardiff supported living contract outcomes",
    "name_cy": "Canlyniadau contract byw â chymorth Caerdydd",
    "source": "Contract schedule 3, April 2026",
    "version": { "label": "2026-27", "effective_from": "2026-04-01", "effective_to": null },
    "areas": [{
        "code": "1",
        "label_en": "Living more independently",
        "label_cy": "Byw yn fwy annibynnol",
        "statements": [{ "code": "1.1", "label_en": "I cook a meal for myself" }]
    }]
}))]
pub struct CreateFramework {
    /// Lower-case letters, digits and hyphens; unique within the organisation.
    #[schema(pattern = "^[a-z0-9][a-z0-9-]{0,59}$")]
    pub key: String,
    #[schema(min_length = 1, max_length = 200)]
    pub name_en: String,
    #[schema(min_length = 1, max_length = 200)]
    pub name_cy: Option<String>,
    /// Where the wording comes from.
    #[schema(min_length = 1, max_length = 500)]
    pub source: String,
    pub version: NewVersion,
    /// At least one, at most 100, codes unique.
    pub areas: Vec<NewArea>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewVersion {
    #[schema(min_length = 1, max_length = 100)]
    pub label: String,
    #[serde(default, with = "crate::fields::iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub effective_from: Option<time::Date>,
    #[serde(default, with = "crate::fields::iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub effective_to: Option<time::Date>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewArea {
    #[schema(min_length = 1, max_length = 40)]
    pub code: String,
    #[schema(min_length = 1, max_length = 500)]
    pub label_en: String,
    #[schema(min_length = 1, max_length = 500)]
    pub label_cy: Option<String>,
    #[serde(default)]
    pub applies_to: AppliesTo,
    /// At most 50, codes unique within the area.
    #[serde(default)]
    pub statements: Vec<NewStatement>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewStatement {
    #[schema(min_length = 1, max_length = 40)]
    pub code: String,
    #[schema(min_length = 1, max_length = 500)]
    pub label_en: String,
    #[schema(min_length = 1, max_length = 500)]
    pub label_cy: Option<String>,
}

crate::text_enum! {
    /// Who an area is for: some are in law for children only, or adults only.
    #[derive(Default)]
    pub enum AppliesTo {
        #[default]
        All = "all",
        Children = "children",
        Adults = "adults",
    }
}

impl CreateFramework {
    pub fn validate(&self) -> crate::error::ApiResult<()> {
        let mut v = crate::error::Validator::new();
        let key_ok = !self.key.is_empty()
            && self.key.len() <= 60
            && self
                .key
                .starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
            && self
                .key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !key_ok {
            v.add(
                "/key",
                "invalid",
                "lower-case letters, digits and hyphens, at most 60",
            );
        }
        v.text("/name_en", &self.name_en, 1, 200);
        if let Some(cy) = &self.name_cy {
            v.text("/name_cy", cy, 1, 200);
        }
        v.text("/source", &self.source, 1, 500);
        v.text("/version/label", &self.version.label, 1, 100);
        if let (Some(from), Some(to)) = (self.version.effective_from, self.version.effective_to)
            && to <= from
        {
            v.add(
                "/version/effective_to",
                "before_from",
                "must be after effective_from",
            );
        }
        if self.areas.is_empty() || self.areas.len() > 100 {
            v.add("/areas", "count", "between 1 and 100 areas");
        }
        let mut codes = std::collections::HashSet::new();
        for (i, area) in self.areas.iter().enumerate() {
            v.text(&format!("/areas/{i}/code"), &area.code, 1, 40);
            if !codes.insert(area.code.as_str()) {
                v.add(
                    &format!("/areas/{i}/code"),
                    "duplicate",
                    "each area's code once",
                );
            }
            v.text(&format!("/areas/{i}/label_en"), &area.label_en, 1, 500);
            if let Some(cy) = &area.label_cy {
                v.text(&format!("/areas/{i}/label_cy"), cy, 1, 500);
            }
            if area.statements.len() > 50 {
                v.add(
                    &format!("/areas/{i}/statements"),
                    "count",
                    "at most 50 statements",
                );
            }
            let mut inner = std::collections::HashSet::new();
            for (j, s) in area.statements.iter().enumerate() {
                let at = format!("/areas/{i}/statements/{j}");
                v.text(&format!("{at}/code"), &s.code, 1, 40);
                if !inner.insert(s.code.as_str()) {
                    v.add(
                        &format!("{at}/code"),
                        "duplicate",
                        "each statement's code once",
                    );
                }
                v.text(&format!("{at}/label_en"), &s.label_en, 1, 500);
                if let Some(cy) = &s.label_cy {
                    v.text(&format!("{at}/label_cy"), cy, 1, 500);
                }
            }
        }
        v.finish()
    }
}
