//! Account rows and their queries. Queries that read or change an organisation's accounts take
//! an `Authorized<OrganisationId>` and filter by it in SQL.

use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, Selectable, SelectableHelper};
use diesel::{Insertable, Queryable};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::Authorized;
use crate::auth::roles::{OrganisationKind, Role};
use crate::db::schema::{accounts, organisations};
use crate::http::pagination::{Keyset, Page};
use crate::ids::{AccountId, OrganisationId};

type QueryResult<T> = Result<T, diesel::result::Error>;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = accounts, check_for_backend(diesel::pg::Pg))]
pub struct AccountRow {
    pub id: Uuid,
    pub organisation_id: Option<Uuid>,
    /// `None` for supported people, who sign in with a device code and PIN.
    pub email: Option<String>,
    pub name: String,
    pub role: crate::auth::roles::Role,
    pub password_hash: String,
    pub deactivated_at: Option<OffsetDateTime>,
    pub version: i32,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    /// When the account proved it receives mail at `email` (resets go only to such addresses).
    pub email_verified_at: Option<OffsetDateTime>,
    /// Receives concerns raised about the organisation's people ("I'm worried").
    pub safeguarding_lead: bool,
    /// Can mentor in Welsh (the Active Offer on the dashboard).
    pub speaks_welsh: bool,
}

impl AccountRow {
    pub fn role(&self) -> Role {
        // The column's CHECK constraint admits only known roles; fail towards least access.
        self.role
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = accounts)]
pub struct NewAccount<'a> {
    pub id: Uuid,
    pub organisation_id: Option<Uuid>,
    pub email: Option<&'a str>,
    pub name: &'a str,
    pub role: Role,
    pub password_hash: &'a str,
}

/// Emails are compared and stored trimmed and lower-cased.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

pub async fn insert(conn: &mut AsyncPgConnection, new: NewAccount<'_>) -> QueryResult<AccountRow> {
    diesel::insert_into(accounts::table)
        .values(&new)
        .returning(AccountRow::as_returning())
        .get_result(conn)
        .await
}

/// For sign-in only: the account behind an email, active or not.
pub async fn by_email(
    conn: &mut AsyncPgConnection,
    email: &str,
) -> QueryResult<Option<AccountRow>> {
    accounts::table
        .filter(accounts::email.eq(email))
        .select(AccountRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// For a signed-in account acting on itself (`/v1/me`, password change).
pub async fn own(conn: &mut AsyncPgConnection, id: AccountId) -> QueryResult<Option<AccountRow>> {
    accounts::table
        .find(id.0)
        .select(AccountRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// The kind of the organisation (which decides the roles its staff may have) and its name.
pub async fn organisation_kind(
    conn: &mut AsyncPgConnection,
    org: &Authorized<OrganisationId>,
) -> QueryResult<Option<(OrganisationKind, String)>> {
    organisations::table
        .find(org.id().0)
        .select((organisations::kind, organisations::name))
        .first(conn)
        .await
        .optional()
}

/// An account's role and the kind of its organisation (none for people, supporters and the
/// platform operator): who may use the console.
pub async fn role_and_kind(
    conn: &mut AsyncPgConnection,
    id: AccountId,
) -> QueryResult<(Role, Option<OrganisationKind>)> {
    use diesel::{JoinOnDsl, NullableExpressionMethods};
    accounts::table
        .left_join(
            organisations::table.on(accounts::organisation_id.eq(organisations::id.nullable())),
        )
        .filter(accounts::id.eq(id))
        .select((accounts::role, organisations::kind.nullable()))
        .first(conn)
        .await
}

/// Which organisation an account belongs to: read before authorizing, returns no account data.
pub async fn organisation_of(
    conn: &mut AsyncPgConnection,
    id: AccountId,
) -> QueryResult<Option<OrganisationId>> {
    Ok(accounts::table
        .find(id.0)
        .select(accounts::organisation_id)
        .first::<Option<Uuid>>(conn)
        .await
        .optional()?
        .flatten()
        .map(OrganisationId))
}

/// Roles that make an account staff (people's own logins live in the same table).
const STAFF_ROLES: [&str; 4] = ["admin", "coordinator", "mentor", "commissioner"];

pub async fn find(
    conn: &mut AsyncPgConnection,
    org: &Authorized<OrganisationId>,
    id: AccountId,
) -> QueryResult<Option<AccountRow>> {
    accounts::table
        .filter(accounts::organisation_id.eq(org.id()))
        .filter(accounts::role.eq_any(STAFF_ROLES))
        .filter(accounts::id.eq(id))
        .select(AccountRow::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn list(
    conn: &mut AsyncPgConnection,
    org: &Authorized<OrganisationId>,
    page: Page,
) -> QueryResult<Vec<AccountRow>> {
    let mut query = accounts::table
        .filter(accounts::organisation_id.eq(org.id()))
        .filter(accounts::role.eq_any(STAFF_ROLES))
        .select(AccountRow::as_select())
        .into_boxed();
    query = query.oldest_first(page, accounts::id);
    query.load(conn).await
}

#[derive(Debug, Default)]
pub struct AccountChanges {
    pub role: Option<Role>,
    /// `Some(Some(t))` deactivates at `t`; `Some(None)` reactivates.
    pub deactivated_at: Option<Option<OffsetDateTime>>,
    pub safeguarding_lead: Option<bool>,
    pub speaks_welsh: Option<bool>,
}

/// Applies `changes` if the account is still at `version`; returns the new row, or `None` when
/// the version moved on (a concurrent update) or the account is not in the organisation.
pub async fn update(
    conn: &mut AsyncPgConnection,
    org: &Authorized<OrganisationId>,
    id: AccountId,
    version: i32,
    changes: &AccountChanges,
) -> QueryResult<Option<AccountRow>> {
    let target = accounts::table
        .filter(accounts::organisation_id.eq(org.id()))
        .filter(accounts::role.eq_any(STAFF_ROLES))
        .filter(accounts::id.eq(id))
        .filter(accounts::version.eq(version));
    let now = OffsetDateTime::now_utc();
    let role = changes.role.map(Role::as_str);
    diesel::update(target)
        .set((
            role.map(|r| accounts::role.eq(r)),
            changes
                .deactivated_at
                .map(|d| accounts::deactivated_at.eq(d)),
            changes
                .safeguarding_lead
                .map(|lead| accounts::safeguarding_lead.eq(lead)),
            changes.speaks_welsh.map(|w| accounts::speaks_welsh.eq(w)),
            accounts::version.eq(version + 1),
            accounts::updated_at.eq(now),
        ))
        .returning(AccountRow::as_returning())
        .get_result(conn)
        .await
        .optional()
}

pub async fn set_password_hash(
    conn: &mut AsyncPgConnection,
    id: AccountId,
    hash: &str,
) -> QueryResult<()> {
    diesel::update(accounts::table.find(id.0))
        .set((
            accounts::password_hash.eq(hash),
            accounts::version.eq(accounts::version + 1),
            accounts::updated_at.eq(OffsetDateTime::now_utc()),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Whether a diesel error is the unique violation of `accounts.email`.
pub fn is_email_taken(e: &diesel::result::Error) -> bool {
    matches!(
        e,
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            info
        ) if info.constraint_name() == Some("accounts_email_key")
    )
}
