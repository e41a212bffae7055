//! Request and response bodies for strengths profiles.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::{ApiResult, Validator};
use crate::fields::Lang;
use crate::plan::profiles::model::EntryRow;

pub const MAX_SECTION_CHARS: usize = 5000;

crate::text_enum! {
    #[derive(PartialOrd, Ord)]
    pub enum Section {
        /// What people like and admire about me.
        LikedAndAdmired = "liked_and_admired",
        /// What is important TO me.
        ImportantToMe = "important_to_me",
        /// What is important FOR me (health, safety).
        ImportantForMe = "important_for_me",
        /// How best to support me.
        HowToSupportMe = "how_to_support_me",
        /// My strengths and skills.
        StrengthsAndSkills = "strengths_and_skills",
        /// My hopes and dreams for the future.
        HopesAndDreams = "hopes_and_dreams",
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
#[schema(example = json!({
    "sections": {
        "important_to_me": {
            "text": "Seeing Nain on Sundays. Playing darts with my mates at the club.",
            "lang": "en"
        },
        "hopes_and_dreams": {
            "text": "Dw i eisiau gweithio mewn garej a thrwsio ceir.",
            "lang": "cy"
        }
    }
}))]
pub struct SaveProfile {
    /// At least one (`minProperties`, set in `openapi::rules`).
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

/// Named apart from the story's author in the spec: two schemas of one name would overwrite.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ProfileAuthor)]
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
    pub fn from_row(row: EntryRow, author_name: String) -> Self {
        ProfileSection {
            section: row.section,
            text: row.body,
            lang: row.lang,
            author: Author {
                id: row.author_account_id,
                name: author_name,
                kind: row.author_kind,
            },
            updated_at: row.created_at,
        }
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
