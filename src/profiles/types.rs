//! Request and response bodies for strengths profiles.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::{ApiResult, Validator};
use crate::fields::Lang;
use crate::profiles::model::EntryRow;

pub const MAX_SECTION_CHARS: usize = 5000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// What people like and admire about me.
    LikedAndAdmired,
    /// What is important TO me.
    ImportantToMe,
    /// What is important FOR me (health, safety).
    ImportantForMe,
    /// How best to support me.
    HowToSupportMe,
    /// My strengths and skills.
    StrengthsAndSkills,
    /// My hopes and dreams for the future.
    HopesAndDreams,
}

impl Section {
    pub fn as_str(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    pub fn parse(s: &str) -> Option<Self> {
        serde_json::from_value(serde_json::Value::String(s.to_owned())).ok()
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SectionText {
    /// In the author's own words, exactly as written.
    #[schema(max_length = 5000)]
    pub text: String,
    #[serde(default)]
    pub lang: Lang,
}

/// Sections to save; sections not named stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveProfile {
    pub sections: BTreeMap<Section, SectionText>,
}

impl SaveProfile {
    pub fn validate(&self) -> ApiResult<()> {
        let mut v = Validator::new();
        if self.sections.is_empty() {
            v.add("/sections", "empty", "name at least one section");
        }
        for (section, text) in &self.sections {
            v.text(
                &format!("/sections/{}/text", section.as_str()),
                &text.text,
                0,
                MAX_SECTION_CHARS,
            );
        }
        v.finish()
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Author {
    pub id: Uuid,
    pub name: String,
    /// `person`, `staff` or `supporter`.
    pub kind: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileSection {
    pub section: Section,
    pub text: String,
    pub lang: Lang,
    pub author: Author,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl ProfileSection {
    pub fn from_row(row: EntryRow, author_name: String) -> Option<Self> {
        Some(ProfileSection {
            section: Section::parse(&row.section)?,
            text: row.body,
            lang: Lang::parse(&row.lang),
            author: Author {
                id: row.author_account_id,
                name: author_name,
                kind: row.author_kind,
            },
            updated_at: row.created_at,
        })
    }
}

/// The strengths profile: the sections written so far.
#[derive(Debug, Serialize, ToSchema)]
pub struct Profile {
    pub person_id: Uuid,
    pub sections: Vec<ProfileSection>,
}

/// Every save, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileHistory {
    pub items: Vec<ProfileSection>,
    pub next_cursor: Option<String>,
}
