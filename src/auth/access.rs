//! Authorization that cannot be skipped. Handlers ask this module for an `Authorized<Id>`
//! proof; the queries on scoped data take that proof (not a bare id) and filter by it in SQL.
//! A proof can only be made here. An actor who may not see a record at all gets 404, never
//! 403, so existence is not revealed; one who may see it but not do this gets 403.
//! The rules are those of ACCESS-POLICY.md; docs/SECURITY.md records the choices made where
//! it is silent.

use crate::auth::current_user::CurrentUser;
use crate::auth::roles::Role;
use crate::error::{ApiError, ApiResult};
use crate::ids::OrganisationId;

/// Proof that the current actor may perform the action it was granted for on `id`.
#[derive(Debug, Clone, Copy)]
pub struct Authorized<T: Copy> {
    id: T,
}

impl<T: Copy> Authorized<T> {
    pub fn id(&self) -> T {
        self.id
    }
}

/// Actions on an organisation and its accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgAction {
    /// See the organisation's name and kind.
    View,
    /// List and read its staff (mentors and commissioners see names only).
    ViewStaff,
    /// Invite, change the role of, and deactivate its staff.
    ManageStaff,
    /// See the organisation's contracts.
    ViewContracts,
}

/// Actions reserved to the platform operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlatformAction {
    CreateOrganisation,
    ListOrganisations,
    ManageContracts,
}

pub fn organisation(
    actor: &CurrentUser,
    org: OrganisationId,
    action: OrgAction,
) -> ApiResult<Authorized<OrganisationId>> {
    if actor.is_platform_admin() {
        return Ok(Authorized { id: org });
    }
    if actor.organisation_id() != Some(org) {
        return Err(ApiError::not_found());
    }
    let allowed = match action {
        OrgAction::View | OrgAction::ViewStaff => true,
        OrgAction::ManageStaff | OrgAction::ViewContracts => actor.role == Role::Admin,
    };
    if allowed {
        Ok(Authorized { id: org })
    } else {
        Err(ApiError::forbidden())
    }
}

pub fn platform(actor: &CurrentUser, _action: PlatformAction) -> ApiResult<Authorized<()>> {
    if actor.is_platform_admin() {
        Ok(Authorized { id: () })
    } else {
        Err(ApiError::forbidden())
    }
}

/// Whether the actor sees staff contact details and roles, or names only.
pub fn sees_staff_details(actor: &CurrentUser) -> bool {
    matches!(
        actor.role,
        Role::PlatformAdmin | Role::Admin | Role::Coordinator
    )
}
