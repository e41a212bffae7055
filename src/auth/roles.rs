//! Kinds of organisation and the roles an account can hold in them.

crate::text_enum! {
    pub enum OrganisationKind {
        /// A support provider: its staff work with supported people.
        Provider = "provider",
        /// A commissioning body: its users see aggregate reports of contracted providers only.
        CommissioningBody = "commissioning_body",
    }
}

impl OrganisationKind {
    /// The role an organisation's first account gets.
    pub fn first_role(self) -> Role {
        Role::Admin
    }
}

crate::text_enum! {
    /// What an account may do. `admin` manages its organisation's accounts in either kind of
    /// organisation; `coordinator` and `mentor` exist in providers, `commissioner` in
    /// commissioning bodies; `platform_admin` runs the platform and belongs to no organisation.
    pub enum Role {
        PlatformAdmin = "platform_admin",
        Admin = "admin",
        Coordinator = "coordinator",
        Mentor = "mentor",
        Commissioner = "commissioner",
        /// A supported person signed in on their own device.
        Person = "person",
        /// A member of someone's circle of support, signed in.
        Supporter = "supporter",
    }
}

impl Role {
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

crate::text_enum! {
    /// The roles staff can be invited to or given: `admin`, `coordinator` or `mentor` in a
    /// provider; `admin` or `commissioner` in a commissioning body (anything else there is
    /// refused with `role_not_in_organisation`).
    pub enum StaffRole {
        Admin = "admin",
        Coordinator = "coordinator",
        Mentor = "mentor",
        Commissioner = "commissioner",
    }
}

impl From<StaffRole> for Role {
    fn from(role: StaffRole) -> Role {
        match role {
            StaffRole::Admin => Role::Admin,
            StaffRole::Coordinator => Role::Coordinator,
            StaffRole::Mentor => Role::Mentor,
            StaffRole::Commissioner => Role::Commissioner,
        }
    }
}
