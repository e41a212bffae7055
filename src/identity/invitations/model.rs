//! Invitation rows and their queries.

use std::time::Duration;

use diesel::dsl::exists;
use diesel::{
    ExpressionMethods, OptionalExtension, QueryDsl, Queryable, Selectable, SelectableHelper,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::codes;
use crate::auth::roles::Role;
use crate::auth::seal::Sealer;
use crate::db::schema::{accounts, invitations};
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::fields::Lang;
use crate::http::pagination::Keyset;
use crate::identity::invitations::types::Invitation;
use crate::ids::{AccountId, InvitationId, OrganisationId};
use crate::platform::mail::{self, MailKind, templates};

type QueryResult<T> = Result<T, diesel::result::Error>;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = invitations, check_for_backend(diesel::pg::Pg))]
pub struct InvitationRow {
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub email: String,
    pub role: crate::auth::roles::Role,
    pub expires_at: OffsetDateTime,
}

pub struct NewInvitationFor<'a> {
    pub organisation: OrganisationId,
    /// For the mail: the organisation's name.
    pub organisation_name: &'a str,
    pub email: &'a str,
    pub role: Role,
    pub invited_by: Option<AccountId>,
    pub ttl: Duration,
    /// The invitee's language: their mail puts it first.
    pub language: Lang,
    pub sealer: &'a Sealer,
}

/// Creates an invitation and queues its mail to the invitee; 409 `email_taken` when the email is already one of this
/// organisation's accounts (which the inviter can see anyway). An account elsewhere (another
/// organisation, a supporter) is not revealed here: acceptance meets it instead.
pub async fn create(
    conn: &mut AsyncPgConnection,
    new: NewInvitationFor<'_>,
) -> ApiResult<Invitation> {
    let taken: bool = diesel::select(exists(
        accounts::table
            .filter(accounts::email.eq(new.email))
            .filter(accounts::organisation_id.eq(new.organisation)),
    ))
    .get_result(conn)
    .await?;
    if taken {
        return Err(ApiError::new(ErrorCode::EmailTaken));
    }
    let code = codes::new_code(4);
    let id = InvitationId::new();
    let expires_at = OffsetDateTime::now_utc()
        + time::Duration::try_from(new.ttl).unwrap_or(time::Duration::DAY);
    diesel::insert_into(invitations::table)
        .values((
            invitations::id.eq(id),
            invitations::organisation_id.eq(new.organisation),
            invitations::email.eq(new.email),
            invitations::role.eq(new.role),
            invitations::code_hash.eq(codes::code_hash(&code)),
            invitations::invited_by.eq(new.invited_by.map(|a| a.0)),
            invitations::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .await?;
    let mail = templates::staff_invitation(
        new.email,
        new.language,
        new.organisation_name,
        new.role.as_str(),
        &code,
        expires_at,
    );
    mail::enqueue(conn, new.sealer, MailKind::StaffInvitation, &mail).await?;
    Ok(Invitation {
        id: id.0,
        organisation_id: new.organisation.0,
        email: new.email.to_owned(),
        role: new.role,
        code,
        expires_at,
    })
}

/// The open (unaccepted, unexpired) invitation behind `code`, locked when `lock` is set.
pub async fn open_by_code(
    conn: &mut AsyncPgConnection,
    code: &str,
    lock: bool,
) -> QueryResult<Option<InvitationRow>> {
    let query = invitations::table
        .filter(invitations::code_hash.eq(codes::code_hash(code)))
        .filter(invitations::accepted_at.is_null())
        .filter(invitations::expires_at.gt(OffsetDateTime::now_utc()))
        .select(InvitationRow::as_select());
    if lock {
        query.for_update().first(conn).await.optional()
    } else {
        query.first(conn).await.optional()
    }
}

pub async fn mark_accepted(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    account: AccountId,
) -> QueryResult<()> {
    diesel::update(invitations::table.find(id))
        .set((
            invitations::accepted_at.eq(OffsetDateTime::now_utc()),
            invitations::account_id.eq(account),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Open staff invitations of `org`, oldest first: (id, email, role, expires at, created at).
pub async fn pending(
    conn: &mut AsyncPgConnection,
    org: &crate::auth::Authorized<OrganisationId>,
    page: crate::http::pagination::Page,
) -> QueryResult<Vec<(Uuid, String, Role, OffsetDateTime, OffsetDateTime)>> {
    let mut q = invitations::table
        .filter(invitations::organisation_id.eq(org.id()))
        .filter(invitations::accepted_at.is_null())
        .filter(invitations::expires_at.gt(OffsetDateTime::now_utc()))
        .select((
            invitations::id,
            invitations::email,
            invitations::role,
            invitations::expires_at,
            invitations::created_at,
        ))
        .into_boxed();
    q = q.oldest_first(page, invitations::id);
    q.load(conn).await
}

/// The organisation of an invitation, and whether it was accepted (read before authorizing;
/// returns nothing else).
pub async fn organisation_of(
    conn: &mut AsyncPgConnection,
    id: InvitationId,
) -> QueryResult<Option<(OrganisationId, bool)>> {
    Ok(invitations::table
        .find(id.0)
        .select((
            invitations::organisation_id,
            invitations::accepted_at.is_not_null(),
        ))
        .first::<(Uuid, bool)>(conn)
        .await
        .optional()?
        .map(|(org, accepted)| (OrganisationId(org), accepted)))
}

/// Withdraws an open invitation: its code stops working at once.
pub async fn revoke(
    conn: &mut AsyncPgConnection,
    org: &crate::auth::Authorized<OrganisationId>,
    id: InvitationId,
) -> QueryResult<bool> {
    let n = diesel::delete(
        invitations::table
            .filter(invitations::id.eq(id))
            .filter(invitations::organisation_id.eq(org.id()))
            .filter(invitations::accepted_at.is_null()),
    )
    .execute(conn)
    .await?;
    Ok(n == 1)
}

/// Housekeeping: staff invitations never accepted, past their expiry.
pub async fn purge_expired(conn: &mut AsyncPgConnection) -> diesel::QueryResult<usize> {
    diesel::sql_query("DELETE FROM invitations WHERE accepted_at IS NULL AND expires_at < now()")
        .execute(conn)
        .await
}
