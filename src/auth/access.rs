//! Authorization that cannot be skipped. Handlers ask this module for an `Authorized<Id>`
//! proof; the queries on scoped data take that proof (not a bare id) and filter by it in SQL.
//! A proof can only be made here. An actor who may not see a record at all gets 404, never
//! 403, so existence is not revealed; one who may see it but not do this gets 403.
//! The rules are those of ACCESS-POLICY.md; docs/SECURITY.md records the choices made where
//! it is silent.

use std::cell::RefCell;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::roles::{OrganisationKind, Role};
use crate::auth::session::Actor;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::ids::{AccountId, CircleMemberId, OrganisationId, PersonId};

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrgAction {
    /// See the organisation's name and kind.
    View,
    /// List and read its staff (mentors and commissioners see names only).
    ViewStaff,
    /// Invite, change the role of, and deactivate its staff.
    ManageStaff,
    /// See the organisation's contracts.
    ViewContracts,
    /// List and settle safeguarding concerns: the organisation's safeguarding leads.
    HandleConcerns,
    /// A provider's dashboard: admins and coordinators (whole organisation), mentors (their
    /// caseload).
    ViewDashboard,
    /// Add the organisation's own frameworks and pick its default: its admins.
    ManageFrameworks,
    /// The provider's own aggregate outcome report: its admins.
    ViewOwnReport,
    /// Aggregate outcome reports over contracted providers: a commissioning body's
    /// commissioners and admins.
    ViewCommissionerReport,
    /// The organisation's audit trail: its admins.
    ViewAudit,
}

/// Actions reserved to the platform operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PlatformAction {
    CreateOrganisation,
    ListOrganisations,
    ManageContracts,
}

// --- checks a request passed, for replays ---------------------------------------------------

/// One authorization a request passed. The idempotency layer keeps them with a response and
/// passes them again before replaying it, so a replay shows nothing the caller may no longer
/// see (a grant removed, a mentor unassigned). Recorded here, where every proof is made, so no
/// handler can forget to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Check {
    Person {
        person: Uuid,
        action: PersonAction,
    },
    Organisation {
        organisation: Uuid,
        action: OrgAction,
    },
    Platform {
        action: PlatformAction,
    },
    PeopleOfOrganisation {
        create: bool,
    },
}

tokio::task_local! {
    static CHECKS: RefCell<Vec<Check>>;
}

fn record(check: Check) {
    let _ = CHECKS.try_with(|checks| checks.borrow_mut().push(check));
}

/// A check on a person's record a request passed: the audit trail records what was read
/// (`audit::reads`); changes record themselves in their transaction.
#[derive(Debug, Clone, Copy)]
pub struct Seen {
    pub person: PersonId,
    /// `None` where the check did not read it (a feed page): the audit trail takes the
    /// person's.
    pub organisation: Option<OrganisationId>,
    pub actor: AccountId,
    pub action: PersonAction,
}

tokio::task_local! {
    static SEEN: RefCell<Vec<Seen>>;
}

/// Feed pages are authorized in their own statement (`feed::model`), person by person: the
/// people a page showed are noted here, for the audit trail, as reads of their feed.
pub fn feed_shown(actor: AccountId, people: impl IntoIterator<Item = Uuid>) {
    let _ = SEEN.try_with(|seen| {
        let mut seen = seen.borrow_mut();
        for person in people {
            seen.push(Seen {
                person: PersonId(person),
                organisation: None,
                actor,
                action: PersonAction::ViewFeed,
            });
        }
    });
}

/// Runs `fut` (a request's handler) and returns what it gave with the person-scoped checks it
/// passed.
pub async fn watching<F: Future>(fut: F) -> (F::Output, Vec<Seen>) {
    SEEN.scope(RefCell::new(Vec::new()), async move {
        let out = fut.await;
        let seen = SEEN.with(|c| c.take());
        (out, seen)
    })
    .await
}

/// Runs `fut` (a request's handler) and returns what it gave with the checks it passed.
pub async fn recording<F: Future>(fut: F) -> (F::Output, Vec<Check>) {
    CHECKS
        .scope(RefCell::new(Vec::new()), async move {
            let out = fut.await;
            let checks = CHECKS.with(|c| c.take());
            (out, checks)
        })
        .await
}

pub fn organisation(
    actor: &Actor,
    org: OrganisationId,
    action: OrgAction,
) -> ApiResult<Authorized<OrganisationId>> {
    record(Check::Organisation {
        organisation: org.0,
        action,
    });
    // The platform operator manages organisations, not people: concerns, dashboards and
    // reports are about people, and an organisation's frameworks and report settings are its
    // own admins' to choose.
    let about_people = matches!(
        action,
        OrgAction::HandleConcerns
            | OrgAction::ManageFrameworks
            | OrgAction::ViewDashboard
            | OrgAction::ViewOwnReport
            | OrgAction::ViewCommissionerReport
            | OrgAction::ViewAudit
    );
    if actor.is_platform_admin() && !about_people {
        return Ok(Authorized { id: org });
    }
    if actor.organisation_id() != Some(org) {
        return Err(ApiError::not_found());
    }
    let provider = matches!(actor.organisation, Some((_, OrganisationKind::Provider)));
    let allowed = match action {
        OrgAction::View => true,
        // Supported people belong to the organisation but do not browse its staff.
        OrgAction::ViewStaff => actor.role != Role::Person,
        OrgAction::ManageStaff | OrgAction::ViewContracts => actor.role == Role::Admin,
        // ACCESS-POLICY.md: admins and coordinators who are safeguarding leads.
        OrgAction::HandleConcerns => {
            actor.safeguarding_lead && matches!(actor.role, Role::Admin | Role::Coordinator)
        }
        OrgAction::ViewDashboard => {
            provider && matches!(actor.role, Role::Admin | Role::Coordinator | Role::Mentor)
        }
        OrgAction::ManageFrameworks | OrgAction::ViewAudit => actor.role == Role::Admin,
        OrgAction::ViewOwnReport => provider && actor.role == Role::Admin,
        // A provider is not a commissioning body: there is no such report to see.
        OrgAction::ViewCommissionerReport if provider => return Err(ApiError::not_found()),
        OrgAction::ViewCommissionerReport => {
            matches!(actor.role, Role::Admin | Role::Commissioner)
        }
    };
    if allowed {
        Ok(Authorized { id: org })
    } else {
        Err(ApiError::forbidden())
    }
}

pub fn platform(actor: &Actor, action: PlatformAction) -> ApiResult<Authorized<()>> {
    record(Check::Platform { action });
    if actor.is_platform_admin() {
        Ok(Authorized { id: () })
    } else {
        Err(ApiError::forbidden())
    }
}

/// Whether the actor sees staff contact details and roles, or names only.
pub fn sees_staff_details(actor: &Actor) -> bool {
    matches!(
        actor.role,
        Role::PlatformAdmin | Role::Admin | Role::Coordinator
    )
}

// --- person-scoped data ----------------------------------------------------------------------

/// Which person, in which organisation: every person-scoped query filters by both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonScope {
    pub person: PersonId,
    pub organisation: OrganisationId,
}

/// A table whose rows are one person's in one organisation (`person_id`, `organisation_id`).
pub trait PersonRows: diesel::Table {
    type Person: diesel::Column<Table = Self, SqlType = diesel::sql_types::Uuid> + Default;
    type Organisation: diesel::Column<Table = Self, SqlType = diesel::sql_types::Uuid> + Default;
}

macro_rules! person_rows {
    ($($table:ident),+ $(,)?) => {$(
        impl PersonRows for crate::db::schema::$table::table {
            type Person = crate::db::schema::$table::person_id;
            type Organisation = crate::db::schema::$table::organisation_id;
        }
    )+};
}

person_rows!(
    activities,
    circle_invitations,
    circle_members,
    comments,
    concerns,
    consents,
    device_codes,
    erasure_requests,
    exports,
    goal_actions,
    goal_codes,
    goal_status_changes,
    goals,
    legal_holds,
    mentor_assignments,
    photos,
    profile_entries,
    reactions,
    review_ratings,
    reviews,
    stories,
    story_audience,
    sync_log,
);

/// `table`'s rows that are the person's, in their organisation.
pub type Owns<T> = diesel::dsl::And<
    diesel::dsl::Eq<<T as PersonRows>::Person, PersonId>,
    diesel::dsl::Eq<<T as PersonRows>::Organisation, OrganisationId>,
>;

/// The person's and organisation's columns of a new row of `table`.
pub type Stamp<T> = (
    diesel::dsl::Eq<<T as PersonRows>::Person, PersonId>,
    diesel::dsl::Eq<<T as PersonRows>::Organisation, OrganisationId>,
);

impl Authorized<PersonScope> {
    /// The proof as the owner of a new row of `table` (both columns, from the proof).
    pub fn stamp<T: PersonRows>(&self, _table: T) -> Stamp<T> {
        use diesel::ExpressionMethods;
        (
            T::Person::default().eq(self.id.person),
            T::Organisation::default().eq(self.id.organisation),
        )
    }

    /// The proof as the filter: `table`'s rows that are this person's, in this organisation
    /// (both, always: a person id alone never scopes a query).
    pub fn owns<T: PersonRows>(&self, _table: T) -> Owns<T> {
        use diesel::{BoolExpressionMethods, ExpressionMethods};
        T::Person::default()
            .eq(self.id.person)
            .and(T::Organisation::default().eq(self.id.organisation))
    }
}

/// What a supporter's membership lets them see and do, as the person chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grants {
    pub member: CircleMemberId,
    pub profile: bool,
    pub goals: bool,
    pub stories: bool,
    /// Whether the person lets the circle see photos of them (their consent; no grant of its
    /// own).
    pub photos: bool,
    pub reviews: bool,
    pub encourage: bool,
    pub contribute: bool,
}

/// How the actor stands to the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// An admin or coordinator of the person's organisation, or an assigned mentor.
    Staff(Role),
    /// The person themself.
    Person,
    /// A current member of the person's circle with a login.
    Supporter(Grants),
}

/// What the authorization needs to know, read from the database (see `people::model::facts`).
#[derive(Debug, Clone, Copy)]
pub struct PersonFacts {
    pub scope: PersonScope,
    pub person_account: Option<AccountId>,
    pub support_ended: bool,
    /// Whether the actor is an assigned mentor of the person.
    pub actor_assigned: bool,
    /// The actor's live circle membership, if any.
    pub actor_membership: Option<Grants>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PersonAction {
    ViewRecord,
    /// Basic fields (and, for admins and coordinators, sensitive ones).
    EditRecord,
    /// The person's own preferences: name, pronouns, language, communication needs.
    EditPreferences,
    ViewMentors,
    AssignMentors,
    IssueDeviceCode,
    ViewProfile,
    EditProfile,
    ViewProfileHistory,
    ViewCircle,
    EditCircle,
    ViewGoals,
    EditGoals,
    SuggestAction,
    ViewReviews,
    EditReviews,
    /// See the open circle invitations of the person.
    ViewCodes,
    /// See the open device codes of the person (staff only, as issuing them).
    ViewDeviceCodes,
    /// See stories (which ones: `stories::visibility`) and their photos.
    ViewStories,
    /// Post a story: published at once by the person and staff; a supporter's (with
    /// `contribute`) waits for the person to accept it.
    PostStory,
    /// Change or delete a story (which ones: `stories::visibility::may_edit`, `may_delete`).
    EditStory,
    /// Accept a supporter's story.
    AcceptStory,
    /// React to and comment on what the actor can see.
    Encourage,
    /// Hide a comment (the person and staff).
    Moderate,
    /// Read the activity feed (which items: `feed`).
    ViewFeed,
    /// Say "I'm worried" about a story or comment the actor can see. Open to everyone who may
    /// see the person, even after support ends.
    RaiseConcern,
    /// See the outcome codes on the person's goals (staff and the person).
    ViewOutcomeCodes,
    /// Add or remove outcome codes (staff).
    EditOutcomeCodes,
    /// See who viewed or changed the person's record: the person, admins and coordinators.
    ViewAccessLog,
    /// See the person's consents: staff who work with them, and the person.
    ViewConsents,
    /// Record and withdraw consents: the person (their own), admins and coordinators.
    EditConsents,
    /// See legal and safeguarding holds: admins.
    ViewHolds,
    /// Place and lift them: admins.
    ManageHolds,
    /// Erase the person's record: admins.
    Erase,
    /// Ask for a copy of everything held (right of access): admins and the person.
    RequestExport,
}

impl PersonAction {
    /// The part of the record a read action shows, as the audit trail names it; `None` for
    /// actions that change something (audited in their own transaction).
    pub fn part_read(self) -> Option<&'static str> {
        use PersonAction::*;
        Some(match self {
            ViewRecord => "record",
            ViewMentors => "mentors",
            ViewProfile => "profile",
            ViewProfileHistory => "profile_history",
            ViewCircle => "circle",
            ViewGoals => "goals",
            ViewReviews => "reviews",
            ViewCodes => "circle_invitations",
            ViewDeviceCodes => "device_codes",
            ViewStories => "stories",
            ViewFeed => "feed",
            ViewOutcomeCodes => "outcome_codes",
            ViewAccessLog => "access_log",
            ViewConsents => "consents",
            ViewHolds => "holds",
            _ => return None,
        })
    }

    fn writes(self) -> bool {
        use PersonAction::*;
        matches!(
            self,
            EditRecord
                | EditPreferences
                | AssignMentors
                | IssueDeviceCode
                | EditProfile
                | EditCircle
                | EditGoals
                | SuggestAction
                | EditReviews
                | PostStory
                | EditStory
                | AcceptStory
                | Encourage
                | Moderate
                | EditOutcomeCodes
        )
    }
}

/// Proof of access to one person's data, with how the actor stands to them (responses are
/// shaped by it: supporters see less than staff).
#[derive(Debug, Clone)]
pub struct PersonAccess {
    pub scope: Authorized<PersonScope>,
    pub relation: Relation,
    /// Who asked (their session checked in the same query as the facts).
    pub actor: Actor,
}

impl PersonAccess {
    /// Whether the actor sees photos of the person: a supporter not once the person has said
    /// no to the circle seeing them.
    pub fn sees_photos(&self) -> bool {
        match self.relation {
            Relation::Staff(_) | Relation::Person => true,
            Relation::Supporter(g) => g.photos,
        }
    }
}

/// The relation, or `None` when the actor may not know the person exists.
fn relation(actor: &Actor, facts: &PersonFacts) -> Option<Relation> {
    match actor.role {
        Role::Admin | Role::Coordinator
            if actor.organisation_id() == Some(facts.scope.organisation) =>
        {
            Some(Relation::Staff(actor.role))
        }
        Role::Mentor
            if actor.organisation_id() == Some(facts.scope.organisation)
                && facts.actor_assigned =>
        {
            Some(Relation::Staff(Role::Mentor))
        }
        Role::Person if facts.person_account == Some(actor.account_id) => Some(Relation::Person),
        Role::Supporter => facts.actor_membership.map(Relation::Supporter),
        _ => None,
    }
}

fn permits(relation: Relation, action: PersonAction) -> bool {
    use PersonAction::*;
    match relation {
        // Only the person accepts what a supporter suggests.
        Relation::Staff(_) if action == AcceptStory => false,
        // ACCESS-POLICY.md: erasure, holds and exports are an admin's (exports also the
        // person's own).
        Relation::Staff(role)
            if matches!(action, ViewHolds | ManageHolds | Erase | RequestExport) =>
        {
            role == Role::Admin
        }
        Relation::Staff(Role::Admin | Role::Coordinator) => true,
        // ACCESS-POLICY.md: a mentor does not read the access log, and reads consents only.
        Relation::Staff(_) => !matches!(action, AssignMentors | ViewAccessLog | EditConsents),
        Relation::Person => matches!(
            action,
            ViewRecord
                | EditPreferences
                | ViewMentors
                | ViewProfile
                | EditProfile
                | ViewProfileHistory
                | ViewCircle
                | EditCircle
                | ViewGoals
                | EditGoals
                | ViewReviews
                | ViewCodes
                | ViewStories
                | PostStory
                | EditStory
                | AcceptStory
                | Encourage
                | Moderate
                | ViewFeed
                | RaiseConcern
                | ViewOutcomeCodes
                | ViewAccessLog
                | ViewConsents
                | EditConsents
                | RequestExport
        ),
        Relation::Supporter(g) => match action {
            ViewRecord | ViewCircle => true,
            ViewProfile => g.profile,
            ViewGoals => g.goals,
            SuggestAction => g.contribute && g.goals,
            ViewReviews => g.reviews,
            // A contributor reads back the stories they wrote, whatever else they see.
            ViewStories => g.stories || g.contribute,
            PostStory | EditStory => g.contribute,
            Encourage => g.encourage,
            ViewFeed | RaiseConcern => true,
            _ => false,
        },
    }
}

/// Authorizes `action` on the person described by `facts` (`None`: no such person).
pub fn person(
    actor: Actor,
    facts: Option<PersonFacts>,
    action: PersonAction,
) -> ApiResult<PersonAccess> {
    let facts = facts.ok_or_else(ApiError::not_found)?;
    record(Check::Person {
        person: facts.scope.person.0,
        action,
    });
    let relation = relation(&actor, &facts).ok_or_else(ApiError::not_found)?;
    if !permits(relation, action) {
        return Err(ApiError::forbidden());
    }
    let reopening = action == PersonAction::EditRecord
        && matches!(relation, Relation::Staff(Role::Admin | Role::Coordinator));
    if facts.support_ended && action.writes() && !reopening {
        return Err(ApiError::new(ErrorCode::SupportEnded));
    }
    let _ = SEEN.try_with(|seen| {
        seen.borrow_mut().push(Seen {
            person: facts.scope.person,
            organisation: Some(facts.scope.organisation),
            actor: actor.account_id,
            action,
        })
    });
    Ok(PersonAccess {
        scope: Authorized { id: facts.scope },
        relation,
        actor,
    })
}

/// The service's own proof over a person whose retention period has passed (`retention`):
/// no actor, and nothing else may ask for it.
pub fn for_retention(scope: PersonScope) -> Authorized<PersonScope> {
    Authorized { id: scope }
}

/// Actions on the people of an organisation as a whole.
pub fn people_of_organisation(
    actor: &Actor,
    create: bool,
) -> ApiResult<Authorized<OrganisationId>> {
    record(Check::PeopleOfOrganisation { create });
    let org = match actor.organisation {
        Some((org, OrganisationKind::Provider)) if actor.role.is_provider_staff() => org,
        _ if actor.role == Role::Commissioner => return Err(ApiError::not_found()),
        _ => return Err(ApiError::forbidden()),
    };
    if create && actor.role == Role::Mentor {
        return Err(ApiError::forbidden());
    }
    Ok(Authorized { id: org })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::SessionId;

    fn actor(role: Role, org: Option<OrganisationId>) -> Actor {
        Actor {
            account_id: AccountId::new(),
            session_id: SessionId::new(),
            role,
            organisation: org.map(|o| (o, OrganisationKind::Provider)),
            safeguarding_lead: false,
        }
    }

    fn facts(org: OrganisationId) -> PersonFacts {
        PersonFacts {
            scope: PersonScope {
                person: PersonId::new(),
                organisation: org,
            },
            person_account: None,
            support_ended: false,
            actor_assigned: false,
            actor_membership: None,
        }
    }

    #[test]
    fn unassigned_mentors_and_other_organisations_cannot_see_the_person() {
        let org = OrganisationId::new();
        let f = facts(org);
        let code = |a: &Actor, f| {
            person(a.clone(), Some(f), PersonAction::ViewRecord)
                .err()
                .map(|e| e.code)
        };
        assert_eq!(
            code(&actor(Role::Mentor, Some(org)), f),
            Some(ErrorCode::NotFound)
        );
        assert_eq!(
            code(&actor(Role::Admin, Some(OrganisationId::new())), f),
            Some(ErrorCode::NotFound)
        );
        assert_eq!(
            code(&actor(Role::PlatformAdmin, None), f),
            Some(ErrorCode::NotFound)
        );
        assert_eq!(code(&actor(Role::Admin, Some(org)), f), None);
        let assigned = PersonFacts {
            actor_assigned: true,
            ..f
        };
        assert_eq!(code(&actor(Role::Mentor, Some(org)), assigned), None);
    }

    #[test]
    fn ended_support_is_read_only_except_for_reopening() {
        let org = OrganisationId::new();
        let f = PersonFacts {
            support_ended: true,
            actor_assigned: true,
            ..facts(org)
        };
        let mentor = actor(Role::Mentor, Some(org));
        let admin = actor(Role::Admin, Some(org));
        assert!(person(mentor.clone(), Some(f), PersonAction::ViewGoals).is_ok());
        let e = person(mentor.clone(), Some(f), PersonAction::EditGoals).unwrap_err();
        assert_eq!(e.code, ErrorCode::SupportEnded);
        assert!(person(admin.clone(), Some(f), PersonAction::EditRecord).is_ok());
    }
}
