//! The session check, and the authorization facts beside it, in one statement. Every request
//! by a signed-in caller runs exactly one of these before it reads anything else, so the
//! session's liveness and the caller's relation to a person are read together, on the
//! request's one pool checkout, and decided in `auth::access`. A supporter's grants are read
//! through the policy's `circle_grants` view (`auth::policy`), already narrowed by the
//! person's consents. Nothing is cached: a revoked session, a removed grant or an ended
//! assignment applies to the very next request.

use diesel::{
    BoolExpressionMethods, ExpressionMethods, JoinOnDsl, NullableExpressionMethods,
    OptionalExtension, QueryDsl,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::auth::access::{self, Grants, PersonAccess, PersonAction, PersonFacts, PersonScope};
use crate::auth::current_user::CurrentUser;
use crate::auth::roles::{OrganisationKind, Role};
use crate::db::schema::{
    accounts, circle_grants, circle_members, comments, consents, exports, goal_actions, goals,
    mentor_assignments, organisations, people, photos, reviews, sessions, stories,
};
use crate::error::{ApiError, ApiResult};
use crate::ids::{
    AccountId, ActionId, CircleMemberId, CommentId, ConsentId, ExportId, GoalId, OrganisationId,
    PersonId, PhotoId, ReviewId, SessionId, StoryId,
};

type QueryResult<T> = Result<T, diesel::result::Error>;

/// The signed-in caller, as their live session and account say now.
#[derive(Debug, Clone)]
pub struct Actor {
    pub account_id: AccountId,
    pub session_id: SessionId,
    pub role: Role,
    pub organisation: Option<(OrganisationId, OrganisationKind)>,
    /// Receives the organisation's safeguarding concerns.
    pub safeguarding_lead: bool,
}

impl Actor {
    /// Whether the actor is told of safeguarding concerns (ACCESS-POLICY.md: admins and
    /// coordinators who are safeguarding leads): who else sees that one hid something.
    pub fn told_of_concerns(&self) -> bool {
        self.safeguarding_lead && matches!(self.role, Role::Admin | Role::Coordinator)
    }

    pub fn organisation_id(&self) -> Option<OrganisationId> {
        self.organisation.map(|(id, _)| id)
    }

    pub fn is_platform_admin(&self) -> bool {
        self.role == Role::PlatformAdmin
    }
}

/// The caller's live session, account and organisation. Other queries join this one to read
/// more in the same statement (see [`facts`]).
macro_rules! live_session {
    ($account:expr, $session:expr) => {{
        use diesel::{ExpressionMethods, JoinOnDsl, NullableExpressionMethods, QueryDsl};
        use $crate::db::schema::{accounts, organisations, sessions};
        sessions::table
            .inner_join(accounts::table)
            .left_join(
                organisations::table.on(accounts::organisation_id.eq(organisations::id.nullable())),
            )
            .filter(sessions::id.eq($session.0))
            .filter(sessions::account_id.eq($account.0))
            .filter(sessions::revoked_at.is_null())
            .filter(sessions::expires_at.gt(time::OffsetDateTime::now_utc()))
            .filter(accounts::deactivated_at.is_null())
    }};
}
pub(crate) use live_session;

fn actor(
    account: AccountId,
    session: SessionId,
    (role, org, kind, safeguarding_lead): AccountFacts,
) -> Actor {
    Actor {
        account_id: account,
        session_id: session,
        role,
        organisation: org.zip(kind).map(|(id, kind)| (OrganisationId(id), kind)),
        safeguarding_lead,
    }
}

/// What the session check reads of the account: role, organisation and its kind, lead flag.
type AccountFacts = (Role, Option<Uuid>, Option<OrganisationKind>, bool);

fn not_live(session: SessionId) -> ApiError {
    tracing::debug!(session_id = %session.0, "session not live");
    ApiError::unauthenticated()
}

/// The caller, or 401 when their session or account has ended.
pub async fn check(conn: &mut AsyncPgConnection, user: &CurrentUser) -> ApiResult<Actor> {
    let (account, session) = user.claims();
    let facts = live_session!(account, session)
        .select((
            accounts::role,
            organisations::id.nullable(),
            organisations::kind.nullable(),
            accounts::safeguarding_lead,
        ))
        .first::<AccountFacts>(conn)
        .await
        .optional()?
        .ok_or_else(|| not_live(session))?;
    Ok(actor(account, session, facts))
}

/// A supporter's membership as `circle_grants` (the policy's SQL form) reads it: the member,
/// then what it opens (profile, goals, stories, photos, reviews, encourage, contribute). All
/// `None` when there is none (a left join of a view, whose columns are all nullable).
type GrantsRow = (
    Option<Uuid>,
    Option<bool>,
    Option<bool>,
    Option<bool>,
    Option<bool>,
    Option<bool>,
    Option<bool>,
    Option<bool>,
);

type FactsRow = (
    AccountFacts,
    (Option<Uuid>, Option<Uuid>, Option<Uuid>, Option<Date>),
    Option<Uuid>,
    GrantsRow,
);

/// Whose data a request is about: the person, or a record of theirs reached by its own id
/// (`/v1/goals/{goal_id}`), resolved to its person inside the one query.
#[derive(Debug, Clone, Copy)]
pub enum PersonOf {
    Person(PersonId),
    Goal(GoalId),
    Action(ActionId),
    Review(ReviewId),
    Member(CircleMemberId),
    Story(StoryId),
    Photo(PhotoId),
    Comment(CommentId),
    Consent(ConsentId),
    Export(ExportId),
}

/// The facts query, with the person chosen by `$person` (an expression of type
/// `Nullable<Uuid>`).
macro_rules! facts_of {
    ($conn:expr, $account:expr, $session:expr, $person:expr) => {
        live_session!($account, $session)
            .left_join(people::table.on(people::id.nullable().eq($person)))
            .left_join(
                mentor_assignments::table.on(mentor_assignments::person_id
                    .eq(people::id)
                    .and(mentor_assignments::mentor_id.eq(accounts::id))),
            )
            .left_join(
                circle_grants::table.on(circle_grants::person_id
                    .eq(people::id.nullable())
                    .and(circle_grants::account_id.eq(accounts::id.nullable()))),
            )
            .select((
                (
                    accounts::role,
                    organisations::id.nullable(),
                    organisations::kind.nullable(),
                    accounts::safeguarding_lead,
                ),
                (
                    people::id.nullable(),
                    people::organisation_id.nullable(),
                    people::account_id.nullable(),
                    people::support_ended_on.nullable(),
                ),
                mentor_assignments::mentor_id.nullable(),
                (
                    circle_grants::member_id.nullable(),
                    circle_grants::profile.nullable(),
                    circle_grants::goals.nullable(),
                    circle_grants::stories.nullable(),
                    circle_grants::photos.nullable(),
                    circle_grants::reviews.nullable(),
                    circle_grants::encourage.nullable(),
                    circle_grants::contribute.nullable(),
                ),
            ))
            .first::<FactsRow>($conn)
    };
}

/// The caller and what authorization needs to know about the person (`None`: no such person
/// or record), in one statement: session ⋈ account ⋈ organisation ⋈ person ⋈ the caller's
/// mentor assignment ⋈ the caller's live circle membership.
pub async fn facts(
    conn: &mut AsyncPgConnection,
    user: &CurrentUser,
    of: PersonOf,
) -> ApiResult<(Actor, Option<PersonFacts>)> {
    let (account, session) = user.claims();
    let row = match of {
        PersonOf::Person(id) => facts_of!(conn, account, session, Some(id.0)).await,
        PersonOf::Goal(id) => {
            let person = goals::table
                .filter(goals::id.eq(id))
                .select(goals::person_id)
                .single_value();
            facts_of!(conn, account, session, person).await
        }
        PersonOf::Action(id) => {
            let person = goal_actions::table
                .filter(goal_actions::id.eq(id))
                .select(goal_actions::person_id)
                .single_value();
            facts_of!(conn, account, session, person).await
        }
        PersonOf::Review(id) => {
            let person = reviews::table
                .filter(reviews::id.eq(id))
                .select(reviews::person_id)
                .single_value();
            facts_of!(conn, account, session, person).await
        }
        PersonOf::Member(id) => {
            let person = circle_members::table
                .filter(circle_members::id.eq(id))
                .select(circle_members::person_id)
                .single_value();
            facts_of!(conn, account, session, person).await
        }
        PersonOf::Story(id) => {
            let person = stories::table
                .filter(stories::id.eq(id))
                .select(stories::person_id)
                .single_value();
            facts_of!(conn, account, session, person).await
        }
        PersonOf::Photo(id) => {
            let person = photos::table
                .filter(photos::id.eq(id))
                .filter(photos::stored_at.is_not_null())
                .select(photos::person_id)
                .single_value();
            facts_of!(conn, account, session, person).await
        }
        PersonOf::Comment(id) => {
            let person = comments::table
                .filter(comments::id.eq(id))
                .select(comments::person_id)
                .single_value();
            facts_of!(conn, account, session, person).await
        }
        PersonOf::Export(id) => {
            let person = exports::table
                .filter(exports::id.eq(id))
                .select(exports::person_id)
                .single_value();
            facts_of!(conn, account, session, person).await
        }
        PersonOf::Consent(id) => {
            let person = consents::table
                .filter(consents::id.eq(id))
                .select(consents::person_id)
                .single_value();
            facts_of!(conn, account, session, person).await
        }
    };
    let (account_facts, (found, organisation, person_account, ended_on), assigned, grants) =
        row.optional()?.ok_or_else(|| not_live(session))?;
    let actor = actor(account, session, account_facts);
    let facts = found.zip(organisation).map(|(person, organisation)| {
        let today = crate::fields::today();
        PersonFacts {
            scope: PersonScope {
                person: PersonId(person),
                organisation: OrganisationId(organisation),
            },
            person_account: person_account.map(AccountId),
            support_ended: ended_on.is_some_and(|d| d <= today),
            actor_assigned: assigned.is_some(),
            actor_membership: membership(grants),
        }
    });
    Ok((actor, facts))
}

/// The supporter's grants as the policy's view gives them, already narrowed by the person's
/// consents; a row with any column missing is no membership (fail closed).
fn membership(
    (member, profile, goals, stories, photos, reviews, encourage, contribute): GrantsRow,
) -> Option<Grants> {
    Some(Grants {
        member: CircleMemberId(member?),
        profile: profile?,
        goals: goals?,
        stories: stories?,
        photos: photos?,
        reviews: reviews?,
        encourage: encourage?,
        contribute: contribute?,
    })
}

/// Checks the caller's session and authorizes `action` on `person`, in one query.
pub async fn authorize(
    conn: &mut AsyncPgConnection,
    user: &CurrentUser,
    of: PersonOf,
    action: PersonAction,
) -> ApiResult<PersonAccess> {
    let (actor, facts) = facts(conn, user, of).await?;
    access::person(actor, facts, action)
}

/// Why a session ended; stored for the audit trail.
#[derive(Debug, Clone, Copy)]
pub enum RevokeReason {
    Logout,
    LogoutAll,
    PasswordChanged,
    Deactivated,
    RefreshTokenReused,
    /// A console session unused for longer than its idle timeout.
    Idle,
}

impl RevokeReason {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Logout => "logout",
            Self::LogoutAll => "logout_all",
            Self::PasswordChanged => "password_changed",
            Self::Deactivated => "deactivated",
            Self::RefreshTokenReused => "refresh_token_reused",
            Self::Idle => "idle",
        }
    }
}

pub async fn revoke(
    conn: &mut AsyncPgConnection,
    session: SessionId,
    reason: RevokeReason,
) -> QueryResult<()> {
    diesel::update(
        sessions::table
            .find(session.0)
            .filter(sessions::revoked_at.is_null()),
    )
    .set((
        sessions::revoked_at.eq(OffsetDateTime::now_utc()),
        sessions::revoked_reason.eq(reason.as_str()),
    ))
    .execute(conn)
    .await?;
    Ok(())
}

/// Revokes every live session of `account`, except `keep` if given.
pub async fn revoke_all(
    conn: &mut AsyncPgConnection,
    account: AccountId,
    keep: Option<SessionId>,
    reason: RevokeReason,
) -> QueryResult<usize> {
    let keep = keep.map_or(Uuid::nil(), |s| s.0);
    diesel::update(
        sessions::table.filter(
            sessions::account_id
                .eq(account)
                .and(sessions::revoked_at.is_null())
                .and(sessions::id.ne(keep)),
        ),
    )
    .set((
        sessions::revoked_at.eq(OffsetDateTime::now_utc()),
        sessions::revoked_reason.eq(reason.as_str()),
    ))
    .execute(conn)
    .await
}
