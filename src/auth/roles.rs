//! Kinds of organisation and the roles an account can hold in them.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrganisationKind {
    /// A support provider: its staff work with supported people.
    Provider,
    /// A commissioning body: its users see aggregate reports of contracted providers only.
    CommissioningBody,
}

impl OrganisationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Provider => "provider",
            Self::CommissioningBody => "commissioning_body",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Provider, Self::CommissioningBody]
            .into_iter()
            .find(|k| k.as_str() == s)
    }

    /// The role an organisation's first account gets.
    pub fn first_role(self) -> Role {
        Role::Admin
    }
}

/// What an account may do. `admin` manages its organisation's accounts in either kind of
/// organisation; `coordinator` and `mentor` exist in providers, `commissioner` in
/// commissioning bodies; `platform_admin` runs the platform and belongs to no organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    PlatformAdmin,
    Admin,
    Coordinator,
    Mentor,
    Commissioner,
    /// A supported person signed in on their own device.
    Person,
    /// A member of someone's circle of support, signed in.
    Supporter,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::PlatformAdmin,
        Role::Admin,
        Role::Coordinator,
        Role::Mentor,
        Role::Commissioner,
        Role::Person,
        Role::Supporter,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::PlatformAdmin => "platform_admin",
            Role::Admin => "admin",
            Role::Coordinator => "coordinator",
            Role::Mentor => "mentor",
            Role::Commissioner => "commissioner",
            Role::Person => "person",
            Role::Supporter => "supporter",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Staff of a provider: the people who work with supported people.
    pub fn is_provider_staff(self) -> bool {
        matches!(self, Role::Admin | Role::Coordinator | Role::Mentor)
    }

    /// Whether a staff account of an organisation of `kind` may hold this role (people and
    /// supporters are not staff: they come in through device codes and circle invitations).
    pub fn fits(self, kind: OrganisationKind) -> bool {
        match kind {
            OrganisationKind::Provider => {
                matches!(self, Role::Admin | Role::Coordinator | Role::Mentor)
            }
            OrganisationKind::CommissioningBody => matches!(self, Role::Admin | Role::Commissioner),
        }
    }
}
