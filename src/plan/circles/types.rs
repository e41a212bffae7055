//! Request and response bodies for circles of support.

use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::{ApiResult, Validator};
use crate::fields::double_option;
use crate::plan::circles::model::{MemberFields, MemberRow};

crate::text_enum! {
    pub enum Relationship {
        Family = "family",
        Friend = "friend",
        Professional = "professional",
        Community = "community",
        Peer = "peer",
    }
}

/// What a member may see and do. Everything is off unless the person turns it on.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantSet {
    #[serde(default)]
    pub profile: bool,
    #[serde(default)]
    pub goals: bool,
    #[serde(default)]
    pub stories: bool,
    #[serde(default)]
    pub reviews: bool,
    /// React to and comment on what they can see.
    #[serde(default)]
    pub encourage: bool,
    /// Suggest stories and actions, which the person accepts or not.
    #[serde(default)]
    pub contribute: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "name": "Mam",
    "relationship": "family",
    "email": "sian.morgan@example.org",
    "phone": "07700 900461",
    "grants": {
        "profile": true,
        "goals": true,
        "stories": true,
        "reviews": false,
        "encourage": true,
        "contribute": true
    },
    "parental_responsibility": false
}))]
pub struct CreateMember {
    #[schema(min_length = 1, max_length = 200, example = "Mam")]
    pub name: String,
    pub relationship: Relationship,
    #[schema(max_length = 254)]
    pub email: Option<String>,
    #[schema(min_length = 3, max_length = 40)]
    pub phone: Option<String>,
    #[serde(default)]
    pub grants: GrantSet,
    /// For a child: this member has parental responsibility.
    #[serde(default)]
    pub parental_responsibility: bool,
}

fn validate_contact(v: &mut Validator, email: Option<&str>, phone: Option<&str>) {
    if let Some(email) = email {
        v.email("/email", email);
    }
    if let Some(phone) = phone {
        v.text("/phone", phone, 3, 40);
    }
}

impl CreateMember {
    pub fn validate(&self) -> ApiResult<()> {
        let mut v = Validator::new();
        v.text("/name", &self.name, 1, 200);
        validate_contact(&mut v, self.email.as_deref(), self.phone.as_deref());
        v.finish()
    }

    pub fn into_fields(self) -> MemberFields {
        MemberFields {
            name: Some(self.name),
            relationship: Some(self.relationship),
            email: Some(self.email),
            phone: Some(self.phone),
            can_see_profile: Some(self.grants.profile),
            can_see_goals: Some(self.grants.goals),
            can_see_stories: Some(self.grants.stories),
            can_see_reviews: Some(self.grants.reviews),
            can_encourage: Some(self.grants.encourage),
            can_contribute: Some(self.grants.contribute),
            parental_responsibility: Some(self.parental_responsibility),
        }
    }
}

/// Fields to change; absent fields stay. `grants` replaces all six grants.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "phone": "07700 900872",
    "grants": { "profile": true, "goals": true, "encourage": true }
}))]
pub struct UpdateMember {
    #[schema(min_length = 1, max_length = 200)]
    pub name: Option<String>,
    pub relationship: Option<Relationship>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, min_length = 3, max_length = 40)]
    pub phone: Option<Option<String>>,
    pub grants: Option<GrantSet>,
    pub parental_responsibility: Option<bool>,
}

impl UpdateMember {
    pub fn validate(&self) -> ApiResult<()> {
        let mut v = Validator::new();
        if let Some(name) = &self.name {
            v.text("/name", name, 1, 200);
        }
        validate_contact(
            &mut v,
            self.email.as_ref().and_then(|e| e.as_deref()),
            self.phone.as_ref().and_then(|p| p.as_deref()),
        );
        v.finish()
    }

    pub fn into_fields(self) -> MemberFields {
        let g = self.grants;
        MemberFields {
            name: self.name,
            relationship: self.relationship,
            email: self.email,
            phone: self.phone,
            can_see_profile: g.map(|g| g.profile),
            can_see_goals: g.map(|g| g.goals),
            can_see_stories: g.map(|g| g.stories),
            can_see_reviews: g.map(|g| g.reviews),
            can_encourage: g.map(|g| g.encourage),
            can_contribute: g.map(|g| g.contribute),
            parental_responsibility: self.parental_responsibility,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Member {
    pub id: Uuid,
    pub name: String,
    pub relationship: Relationship,
    /// Contact details: never shown to other supporters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    pub grants: GrantSet,
    pub parental_responsibility: bool,
    /// Whether the member has accepted an invitation to sign in.
    pub has_login: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl From<MemberRow> for Member {
    fn from(row: MemberRow) -> Self {
        Member {
            id: row.id,
            name: row.name,
            relationship: row.relationship,
            email: row.email,
            phone: row.phone,
            grants: GrantSet {
                profile: row.can_see_profile,
                goals: row.can_see_goals,
                stories: row.can_see_stories,
                reviews: row.can_see_reviews,
                encourage: row.can_encourage,
                contribute: row.can_contribute,
            },
            parental_responsibility: row.parental_responsibility,
            has_login: row.account_id.is_some(),
            created_at: row.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Circle {
    pub person_id: Uuid,
    /// Current members; a supporter sees only their own membership.
    pub items: Vec<Member>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CircleInvitation {
    pub member_id: Uuid,
    #[schema(example = "K7QD-M2XW-9RTA-HB4N")]
    pub code: String,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    /// Whether the code was also emailed to the member (they have an email address); when
    /// not, hand it to them.
    pub emailed: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "code": "K7QD-M2XW-9RTA-HB4N",
    "email": "sian.morgan@example.org",
    "name": "Siân Morgan",
    "password": "Paned-o-de-a-bara-brith"
}))]
pub struct AcceptCircleInvitation {
    #[schema(value_type = String)]
    pub code: SecretString,
    /// An existing supporter signs in with their email and password; a new one chooses them.
    #[schema(max_length = 254)]
    pub email: String,
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    #[schema(value_type = String, format = Password)]
    pub password: SecretString,
}

/// A circle the signed-in supporter belongs to.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyCircle {
    /// Their membership (leave with `DELETE /v1/me/circles/{member_id}`).
    pub member_id: Uuid,
    /// Whose circle it is: the path to what the grants open (`/v1/people/{person_id}/goals`).
    pub person_id: Uuid,
    pub person_preferred_name: String,
    pub relationship: Relationship,
    /// What the person lets them see and do.
    pub grants: GrantSet,
}

impl From<crate::plan::circles::model::MyCircleRow> for MyCircle {
    fn from(row: crate::plan::circles::model::MyCircleRow) -> Self {
        let (profile, goals, stories, reviews, encourage, contribute) = row.grants;
        MyCircle {
            member_id: row.member_id,
            person_id: row.person_id,
            person_preferred_name: row.preferred_name,
            relationship: row.relationship,
            grants: GrantSet {
                profile,
                goals,
                stories,
                reviews,
                encourage,
                contribute,
            },
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MyCircleList {
    pub items: Vec<MyCircle>,
    pub next_cursor: Option<String>,
}
