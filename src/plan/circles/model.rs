//! Circle member rows, circle invitations and their queries.

use diesel::{
    ExpressionMethods, Insertable, OptionalExtension, QueryDsl, Queryable, Selectable,
    SelectableHelper,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::Authorized;
use crate::auth::access::PersonScope;
use crate::auth::codes::Withdrawn;
use crate::db::schema::{circle_invitations, circle_members, people};
use crate::http::pagination::{Keyset, Page};
use crate::ids::{AccountId, CircleMemberId};
use crate::plan::circles::types::Relationship;

type QueryResult<T> = Result<T, diesel::result::Error>;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = circle_members, check_for_backend(diesel::pg::Pg))]
pub struct MemberRow {
    pub id: Uuid,
    pub person_id: Uuid,
    pub name: String,
    pub relationship: crate::plan::circles::types::Relationship,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub can_see_profile: bool,
    pub can_see_goals: bool,
    pub can_see_stories: bool,
    pub can_see_reviews: bool,
    pub can_encourage: bool,
    pub can_contribute: bool,
    pub parental_responsibility: bool,
    pub account_id: Option<Uuid>,
    pub version: i32,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Insertable, diesel::AsChangeset, Default)]
#[diesel(table_name = circle_members)]
pub struct MemberFields {
    pub name: Option<String>,
    pub relationship: Option<crate::plan::circles::types::Relationship>,
    pub email: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub can_see_profile: Option<bool>,
    pub can_see_goals: Option<bool>,
    pub can_see_stories: Option<bool>,
    pub can_see_reviews: Option<bool>,
    pub can_encourage: Option<bool>,
    pub can_contribute: Option<bool>,
    pub parental_responsibility: Option<bool>,
}

pub async fn insert(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    fields: &MemberFields,
) -> QueryResult<MemberRow> {
    diesel::insert_into(circle_members::table)
        .values((
            circle_members::id.eq(CircleMemberId::new().0),
            scope.stamp(circle_members::table),
            fields,
        ))
        .returning(MemberRow::as_returning())
        .get_result(conn)
        .await
}

/// Current members, oldest first; with `only`, that member alone.
pub async fn list(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    only: Option<CircleMemberId>,
    page: Page,
) -> QueryResult<Vec<MemberRow>> {
    let mut query = circle_members::table
        .filter(scope.owns(circle_members::table))
        .filter(circle_members::removed_at.is_null())
        .select(MemberRow::as_select())
        .into_boxed();
    if let Some(only) = only {
        query = query.filter(circle_members::id.eq(only));
    }
    query = query.oldest_first(page, circle_members::id);
    query.load(conn).await
}

/// The ids of every current member.
pub async fn member_ids(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
) -> QueryResult<Vec<Uuid>> {
    circle_members::table
        .filter(scope.owns(circle_members::table))
        .filter(circle_members::removed_at.is_null())
        .select(circle_members::id)
        .load(conn)
        .await
}

pub async fn find(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    member: CircleMemberId,
) -> QueryResult<Option<MemberRow>> {
    let one = Page {
        limit: 1,
        after: None,
    };
    Ok(list(conn, scope, Some(member), one).await?.pop())
}

pub async fn update(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    member: CircleMemberId,
    version: i32,
    fields: &MemberFields,
) -> QueryResult<Option<MemberRow>> {
    diesel::update(
        circle_members::table
            .filter(circle_members::id.eq(member))
            .filter(scope.owns(circle_members::table))
            .filter(circle_members::removed_at.is_null())
            .filter(circle_members::version.eq(version)),
    )
    .set((
        fields,
        circle_members::version.eq(version + 1),
        circle_members::updated_at.eq(OffsetDateTime::now_utc()),
    ))
    .returning(MemberRow::as_returning())
    .get_result(conn)
    .await
    .optional()
}

/// Ends a membership and forgets the member's contact details (the row stays, so the actions
/// they owned keep their history). Returns the relationship for the audit trail.
pub async fn remove(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    member: CircleMemberId,
) -> QueryResult<Option<String>> {
    let now = OffsetDateTime::now_utc();
    let n = diesel::update(
        circle_members::table
            .filter(circle_members::id.eq(member))
            .filter(scope.owns(circle_members::table))
            .filter(circle_members::removed_at.is_null()),
    )
    .set((
        circle_members::removed_at.eq(now),
        circle_members::updated_at.eq(now),
        circle_members::email.eq(None::<String>),
        circle_members::phone.eq(None::<String>),
        circle_members::version.eq(circle_members::version + 1),
    ))
    .returning(circle_members::relationship)
    .get_result(conn)
    .await
    .optional()?;
    if n.is_some() {
        // Their open invitations go too: nobody can join through a removed membership.
        diesel::delete(
            circle_invitations::table
                .filter(circle_invitations::member_id.eq(member))
                .filter(circle_invitations::accepted_at.is_null()),
        )
        .execute(conn)
        .await?;
    }
    Ok(n)
}

pub async fn insert_invitation(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    member: CircleMemberId,
    code_hash: Vec<u8>,
    issued_by: AccountId,
    expires_at: OffsetDateTime,
) -> QueryResult<Uuid> {
    let id = Uuid::now_v7();
    // One open invitation per member: inviting again replaces the code (and its mail), so a
    // member's inbox cannot be filled with working codes.
    diesel::delete(
        circle_invitations::table
            .filter(circle_invitations::member_id.eq(member))
            .filter(circle_invitations::accepted_at.is_null()),
    )
    .execute(conn)
    .await?;
    diesel::insert_into(circle_invitations::table)
        .values((
            circle_invitations::id.eq(id),
            circle_invitations::member_id.eq(member),
            scope.stamp(circle_invitations::table),
            circle_invitations::code_hash.eq(code_hash),
            circle_invitations::issued_by.eq(issued_by),
            circle_invitations::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .await?;
    Ok(id)
}

/// Marks the open invitation behind `code_hash` accepted; returns its member and person.
/// Whether `code_hash` names an open circle invitation: the cheap check made before any
/// password work.
pub async fn invitation_open(conn: &mut AsyncPgConnection, code_hash: &[u8]) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        circle_invitations::table
            .filter(circle_invitations::code_hash.eq(code_hash))
            .filter(circle_invitations::accepted_at.is_null())
            .filter(circle_invitations::expires_at.gt(OffsetDateTime::now_utc())),
    ))
    .get_result(conn)
    .await
}

pub async fn accept_invitation(
    conn: &mut AsyncPgConnection,
    code_hash: &[u8],
) -> QueryResult<Option<(CircleMemberId, Uuid)>> {
    let now = OffsetDateTime::now_utc();
    Ok(diesel::update(
        circle_invitations::table
            .filter(circle_invitations::code_hash.eq(code_hash))
            .filter(circle_invitations::accepted_at.is_null())
            .filter(circle_invitations::expires_at.gt(now)),
    )
    .set(circle_invitations::accepted_at.eq(now))
    .returning((circle_invitations::member_id, circle_invitations::person_id))
    .get_result::<(Uuid, Uuid)>(conn)
    .await
    .optional()?
    .map(|(m, p)| (CircleMemberId(m), p)))
}

/// Links a (current) member to the supporter account that accepted its invitation.
pub async fn link_account(
    conn: &mut AsyncPgConnection,
    member: CircleMemberId,
    account: AccountId,
) -> QueryResult<bool> {
    let n = diesel::update(
        circle_members::table
            .find(member.0)
            .filter(circle_members::removed_at.is_null()),
    )
    .set((
        circle_members::account_id.eq(account),
        circle_members::version.eq(circle_members::version + 1),
    ))
    .execute(conn)
    .await?;
    Ok(n == 1)
}

/// A circle the signed-in supporter belongs to: (member id, person id, the person's preferred
/// name, relationship, grants).
#[derive(Debug, Queryable)]
pub struct MyCircleRow {
    pub member_id: Uuid,
    pub person_id: Uuid,
    pub preferred_name: String,
    pub relationship: Relationship,
    pub grants: (bool, bool, bool, bool, bool, bool),
}

/// The circles `account` is a current member of, by member id.
pub async fn of_account(
    conn: &mut AsyncPgConnection,
    account: AccountId,
    page: Page,
) -> QueryResult<Vec<MyCircleRow>> {
    let mut q = circle_members::table
        .inner_join(people::table)
        .filter(circle_members::account_id.eq(account))
        .filter(circle_members::removed_at.is_null())
        .select((
            circle_members::id,
            people::id,
            people::preferred_name,
            circle_members::relationship,
            (
                circle_members::can_see_profile,
                circle_members::can_see_goals,
                circle_members::can_see_stories,
                circle_members::can_see_reviews,
                circle_members::can_encourage,
                circle_members::can_contribute,
            ),
        ))
        .into_boxed();
    q = q.oldest_first(page, circle_members::id);
    q.load(conn).await
}

/// Ends `account`'s own membership `member` (a supporter leaving): as a removal by the person,
/// contact details and open invitations go. Returns the person and organisation it was in.
pub async fn leave(
    conn: &mut AsyncPgConnection,
    account: AccountId,
    member: CircleMemberId,
) -> QueryResult<Option<(Uuid, Uuid, Relationship)>> {
    let now = OffsetDateTime::now_utc();
    let left = diesel::update(
        circle_members::table
            .filter(circle_members::id.eq(member))
            .filter(circle_members::account_id.eq(account))
            .filter(circle_members::removed_at.is_null()),
    )
    .set((
        circle_members::removed_at.eq(now),
        circle_members::updated_at.eq(now),
        circle_members::email.eq(None::<String>),
        circle_members::phone.eq(None::<String>),
        circle_members::version.eq(circle_members::version + 1),
    ))
    .returning((
        circle_members::person_id,
        circle_members::organisation_id,
        circle_members::relationship,
    ))
    .get_result(conn)
    .await
    .optional()?;
    if left.is_some() {
        diesel::delete(
            circle_invitations::table
                .filter(circle_invitations::member_id.eq(member))
                .filter(circle_invitations::accepted_at.is_null()),
        )
        .execute(conn)
        .await?;
    }
    Ok(left)
}

/// Open circle invitations of the person, oldest first: (id, member, issued by, expires at,
/// created at).
pub async fn pending_invitations(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    page: Page,
) -> QueryResult<Vec<(Uuid, Uuid, Uuid, OffsetDateTime, OffsetDateTime)>> {
    let mut q = circle_invitations::table
        .filter(scope.owns(circle_invitations::table))
        .filter(circle_invitations::accepted_at.is_null())
        .filter(circle_invitations::expires_at.gt(OffsetDateTime::now_utc()))
        .select((
            circle_invitations::id,
            circle_invitations::member_id,
            circle_invitations::issued_by,
            circle_invitations::expires_at,
            circle_invitations::created_at,
        ))
        .into_boxed();
    q = q.oldest_first(page, circle_invitations::id);
    q.load(conn).await
}

/// Withdraws an unaccepted circle invitation of the person.
pub async fn revoke_invitation(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    id: Uuid,
) -> QueryResult<Withdrawn> {
    let n = diesel::delete(
        circle_invitations::table
            .filter(circle_invitations::id.eq(id))
            .filter(scope.owns(circle_invitations::table))
            .filter(circle_invitations::accepted_at.is_null()),
    )
    .execute(conn)
    .await?;
    if n == 1 {
        return Ok(Withdrawn::Done);
    }
    let used: bool = diesel::select(diesel::dsl::exists(
        circle_invitations::table
            .filter(circle_invitations::id.eq(id))
            .filter(scope.owns(circle_invitations::table)),
    ))
    .get_result(conn)
    .await?;
    Ok(if used {
        Withdrawn::AlreadyUsed
    } else {
        Withdrawn::NotFound
    })
}

/// Housekeeping: circle invitations never accepted, past their expiry (audited: they name a
/// person's supporter).
pub async fn purge_expired(conn: &mut AsyncPgConnection) -> diesel::QueryResult<usize> {
    crate::trust::audit::model::purge_audited(
        conn,
        "circle_invitation",
        "DELETE FROM circle_invitations WHERE accepted_at IS NULL AND expires_at < now()",
    )
    .await
}
