//! Response bodies for scales, with labels in the requested language.

use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::fields::Lang;
use crate::plan::scales::model::ScaleRow;

/// A label, and the language it is actually in: English where no Welsh text exists yet.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Label {
    pub text: String,
    pub lang: Lang,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScalePoint {
    pub value: f64,
    pub label: Label,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Scale {
    pub id: Uuid,
    pub code: String,
    pub name: Label,
    pub min: f64,
    pub max: f64,
    pub step: f64,
    /// Labelled points (not every value need have a label).
    pub labels: Vec<ScalePoint>,
    pub is_default: bool,
    pub source_note: Option<String>,
}

/// `en`, or `cy` when Welsh is asked for and exists.
pub fn pick(en: &str, cy: Option<&str>, lang: Lang) -> Label {
    match (lang, cy) {
        (Lang::Cy, Some(cy)) if !cy.is_empty() => Label {
            text: cy.to_owned(),
            lang: Lang::Cy,
        },
        _ => Label {
            text: en.to_owned(),
            lang: Lang::En,
        },
    }
}

impl Scale {
    pub fn localised(row: ScaleRow, lang: Lang) -> Self {
        let labels = row
            .labels
            .as_array()
            .map(|points| {
                points
                    .iter()
                    .filter_map(|p| {
                        Some(ScalePoint {
                            value: p["value"].as_f64()?,
                            label: pick(p["en"].as_str()?, p["cy"].as_str(), lang),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        Scale {
            id: row.id,
            name: pick(&row.name_en, row.name_cy.as_deref(), lang),
            code: row.code,
            min: row.min_value,
            max: row.max_value,
            step: row.step,
            labels,
            is_default: row.is_default,
            source_note: row.source_note,
        }
    }

    /// The label of `value`, if the scale has one.
    pub fn label_of(&self, value: f64) -> Option<Label> {
        self.labels
            .iter()
            .find(|p| (p.value - value).abs() < 1e-9)
            .map(|p| p.label.clone())
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScaleList {
    pub items: Vec<Scale>,
}
