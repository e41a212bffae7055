//! People rows, mentor assignments and device codes, and the facts authorization needs.

use diesel::{
    ExpressionMethods, Insertable, JoinOnDsl, OptionalExtension, QueryDsl, Queryable, Selectable,
    SelectableHelper,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use diesel::{BoolExpressionMethods, NullableExpressionMethods, PgTextExpressionMethods};

use crate::auth::Authorized;
use crate::auth::access::PersonScope;
use crate::auth::codes::Withdrawn;
use crate::db::schema::{accounts, device_codes, mentor_assignments, people};
use crate::http::pagination::{Keyset, Page};
use crate::ids::{AccountId, OrganisationId, PersonId};
use crate::plan::people::types::DataNeed;

type QueryResult<T> = Result<T, diesel::result::Error>;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = people, check_for_backend(diesel::pg::Pg))]
pub struct PersonRow {
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub preferred_name: String,
    pub legal_name: Option<String>,
    pub date_of_birth: Option<Date>,
    pub pronouns: Option<String>,
    pub preferred_language: crate::fields::Lang,
    pub welsh_offered: bool,
    pub welsh_accepted: Option<bool>,
    pub communication_needs: Vec<crate::plan::people::types::CommunicationNeed>,
    pub service_type: crate::plan::people::types::ServiceType,
    pub support_started_on: Date,
    pub support_ended_on: Option<Date>,
    pub account_id: Option<Uuid>,
    pub version: i32,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub gender: Option<crate::plan::people::types::Gender>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = people)]
pub struct NewPerson {
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub preferred_name: String,
    pub legal_name: Option<String>,
    pub date_of_birth: Option<Date>,
    pub gender: Option<crate::plan::people::types::Gender>,
    pub pronouns: Option<String>,
    pub preferred_language: crate::fields::Lang,
    pub welsh_offered: bool,
    pub welsh_accepted: Option<bool>,
    pub communication_needs: Vec<crate::plan::people::types::CommunicationNeed>,
    pub service_type: crate::plan::people::types::ServiceType,
    pub support_started_on: Date,
}

pub async fn insert(conn: &mut AsyncPgConnection, new: &NewPerson) -> QueryResult<PersonRow> {
    diesel::insert_into(people::table)
        .values(new)
        .returning(PersonRow::as_returning())
        .get_result(conn)
        .await
}

pub async fn find(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
) -> QueryResult<Option<PersonRow>> {
    let s = scope.id();
    people::table
        .filter(people::id.eq(s.person))
        .filter(people::organisation_id.eq(s.organisation))
        .select(PersonRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// `LIKE` pattern matching `text` anywhere, its wildcards taken literally.
fn contains_pattern(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// The people the dashboard's data quality counts under `need` (`dashboard::model::summary`
/// defines the counts; a test holds the two equal), given they are supported `today`.
fn lacking(
    need: DataNeed,
    today: Date,
) -> Box<
    dyn diesel::BoxableExpression<people::table, diesel::pg::Pg, SqlType = diesel::sql_types::Bool>,
> {
    use diesel::dsl::sql;
    use diesel::sql_types::{Bool, Date as SqlDate};
    let goal_lacking = |what: &str| {
        format!(
            "EXISTS (SELECT 1 FROM goals g LEFT JOIN kpi_goals k ON k.goal_id = g.id \
             WHERE g.person_id = people.id AND g.organisation_id = people.organisation_id \
               AND g.status = 'active' AND COALESCE(cardinality(k.{what}), 0) = 0)"
        )
    };
    match need {
        DataNeed::Codes => Box::new(sql::<Bool>(&goal_lacking("codes"))),
        DataNeed::Baseline => Box::new(sql::<Bool>(&goal_lacking("rated_on"))),
        DataNeed::Review => Box::new(
            sql::<Bool>(
                "NOT EXISTS (SELECT 1 FROM reviews r WHERE r.person_id = people.id \
                 AND r.organisation_id = people.organisation_id AND r.held_on >= ",
            )
            .bind::<SqlDate, _>(today - time::Duration::days(90))
            .sql(")"),
        ),
        DataNeed::Circle => Box::new(sql::<Bool>(
            "NOT EXISTS (SELECT 1 FROM circle_members c WHERE c.person_id = people.id \
             AND c.removed_at IS NULL)",
        )),
    }
}

/// The organisation's people; with `mentor`, only that mentor's caseload; with `search`,
/// those with it in a name; with `need`, those supported today whose record lacks it.
pub async fn list(
    conn: &mut AsyncPgConnection,
    org: &Authorized<OrganisationId>,
    mentor: Option<AccountId>,
    search: Option<&str>,
    need: Option<DataNeed>,
    page: Page,
) -> QueryResult<Vec<PersonRow>> {
    let mut query = people::table
        .filter(people::organisation_id.eq(org.id()))
        .select(PersonRow::as_select())
        .into_boxed();
    if let Some(mentor) = mentor {
        query = query.filter(
            people::id.eq_any(
                mentor_assignments::table
                    .filter(mentor_assignments::mentor_id.eq(mentor))
                    .select(mentor_assignments::person_id),
            ),
        );
    }
    query = query.oldest_first(page, people::id);
    if let Some(search) = search {
        let pattern = contains_pattern(search);
        query = query.filter(
            people::preferred_name
                .ilike(pattern.clone())
                .or(people::legal_name.assume_not_null().ilike(pattern)),
        );
    }
    if let Some(need) = need {
        let today = crate::fields::today();
        query = query
            .filter(people::support_started_on.le(today))
            .filter(
                people::support_ended_on
                    .is_null()
                    .or(people::support_ended_on.gt(today)),
            )
            .filter(lacking(need, today));
    }
    query.load(conn).await
}

/// Changes to a person's record; `None` leaves a field as it is.
#[derive(Debug, Default, diesel::AsChangeset)]
#[diesel(table_name = people)]
pub struct PersonChanges {
    pub preferred_name: Option<String>,
    pub legal_name: Option<Option<String>>,
    pub date_of_birth: Option<Option<Date>>,
    pub gender: Option<Option<crate::plan::people::types::Gender>>,
    pub pronouns: Option<Option<String>>,
    pub preferred_language: Option<crate::fields::Lang>,
    pub welsh_offered: Option<bool>,
    pub welsh_accepted: Option<Option<bool>>,
    pub communication_needs: Option<Vec<crate::plan::people::types::CommunicationNeed>>,
    pub service_type: Option<crate::plan::people::types::ServiceType>,
    pub support_started_on: Option<Date>,
    pub support_ended_on: Option<Option<Date>>,
}

/// Applies `changes` if the record is still at `version`; `None` when it moved on.
pub async fn update(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    version: i32,
    changes: &PersonChanges,
) -> QueryResult<Option<PersonRow>> {
    let s = scope.id();
    diesel::update(
        people::table
            .filter(people::id.eq(s.person))
            .filter(people::organisation_id.eq(s.organisation))
            .filter(people::version.eq(version)),
    )
    .set((
        changes,
        people::version.eq(version + 1),
        people::updated_at.eq(OffsetDateTime::now_utc()),
    ))
    .returning(PersonRow::as_returning())
    .get_result(conn)
    .await
    .optional()
}

pub async fn set_account(
    conn: &mut AsyncPgConnection,
    person: PersonId,
    account: AccountId,
) -> QueryResult<()> {
    diesel::update(people::table.find(person.0))
        .set(people::account_id.eq(account))
        .execute(conn)
        .await?;
    Ok(())
}

// --- mentors -----------------------------------------------------------------------------------

/// The person's mentors as (account id, name), oldest assignment first.
pub async fn mentors(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
) -> QueryResult<Vec<(Uuid, String)>> {
    mentor_assignments::table
        .inner_join(accounts::table.on(accounts::id.eq(mentor_assignments::mentor_id)))
        .filter(scope.owns(mentor_assignments::table))
        .order(mentor_assignments::assigned_at.asc())
        .select((accounts::id, accounts::name))
        .load(conn)
        .await
}

/// Which of `ids` are active mentors (or coordinators, admins) of the organisation.
pub async fn staff_among(
    conn: &mut AsyncPgConnection,
    organisation: OrganisationId,
    ids: &[Uuid],
) -> QueryResult<Vec<Uuid>> {
    accounts::table
        .filter(accounts::id.eq_any(ids))
        .filter(accounts::organisation_id.eq(organisation))
        .filter(accounts::role.eq_any(["admin", "coordinator", "mentor"]))
        .filter(accounts::deactivated_at.is_null())
        .select(accounts::id)
        .load(conn)
        .await
}

/// Replaces the person's mentors with `mentor_ids` (already checked to be staff).
pub async fn set_mentors(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    mentor_ids: &[Uuid],
    by: AccountId,
) -> QueryResult<()> {
    diesel::delete(
        mentor_assignments::table
            .filter(scope.owns(mentor_assignments::table))
            .filter(mentor_assignments::mentor_id.ne_all(mentor_ids)),
    )
    .execute(conn)
    .await?;
    let rows: Vec<_> = mentor_ids
        .iter()
        .map(|m| {
            (
                scope.stamp(mentor_assignments::table),
                mentor_assignments::mentor_id.eq(*m),
                mentor_assignments::assigned_by.eq(Some(by.0)),
            )
        })
        .collect();
    diesel::insert_into(mentor_assignments::table)
        .values(rows)
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    Ok(())
}

// --- device codes ------------------------------------------------------------------------------

pub async fn insert_device_code(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    code_hash: Vec<u8>,
    issued_by: AccountId,
    expires_at: OffsetDateTime,
) -> QueryResult<Uuid> {
    let id = Uuid::now_v7();
    diesel::insert_into(device_codes::table)
        .values((
            device_codes::id.eq(id),
            scope.stamp(device_codes::table),
            device_codes::code_hash.eq(code_hash),
            device_codes::issued_by.eq(issued_by),
            device_codes::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .await?;
    Ok(id)
}

/// Whether `code_hash` names an open (unredeemed, unexpired) device code: the cheap check
/// made before any PIN work.
pub async fn device_code_open(conn: &mut AsyncPgConnection, code_hash: &[u8]) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        device_codes::table
            .filter(device_codes::code_hash.eq(code_hash))
            .filter(device_codes::redeemed_at.is_null())
            .filter(device_codes::expires_at.gt(OffsetDateTime::now_utc())),
    ))
    .get_result(conn)
    .await
}

/// Marks the open code behind `code_hash` redeemed, returning its person and organisation.
/// Atomic: of two concurrent redemptions one gets `None`.
pub async fn redeem_device_code(
    conn: &mut AsyncPgConnection,
    code_hash: &[u8],
) -> QueryResult<Option<(PersonId, OrganisationId)>> {
    let now = OffsetDateTime::now_utc();
    Ok(diesel::update(
        device_codes::table
            .filter(device_codes::code_hash.eq(code_hash))
            .filter(device_codes::redeemed_at.is_null())
            .filter(device_codes::expires_at.gt(now)),
    )
    .set(device_codes::redeemed_at.eq(now))
    .returning((device_codes::person_id, device_codes::organisation_id))
    .get_result::<(Uuid, Uuid)>(conn)
    .await
    .optional()?
    .map(|(p, o)| (PersonId(p), OrganisationId(o))))
}

/// The person's record and whether their support has ended, for redemption (no proof: the
/// code is the credential).
pub async fn by_id_for_redemption(
    conn: &mut AsyncPgConnection,
    person: PersonId,
) -> QueryResult<Option<PersonRow>> {
    people::table
        .find(person.0)
        .select(PersonRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// Open device codes of the person, oldest first: (id, issued by, expires at, created at).
pub async fn pending_device_codes(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    page: Page,
) -> QueryResult<Vec<(Uuid, Uuid, OffsetDateTime, OffsetDateTime)>> {
    let mut q = device_codes::table
        .filter(scope.owns(device_codes::table))
        .filter(device_codes::redeemed_at.is_null())
        .filter(device_codes::expires_at.gt(OffsetDateTime::now_utc()))
        .select((
            device_codes::id,
            device_codes::issued_by,
            device_codes::expires_at,
            device_codes::created_at,
        ))
        .into_boxed();
    q = q.oldest_first(page, device_codes::id);
    q.load(conn).await
}

/// Withdraws an unredeemed device code of the person.
pub async fn revoke_device_code(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    id: Uuid,
) -> QueryResult<Withdrawn> {
    let n = diesel::delete(
        device_codes::table
            .filter(device_codes::id.eq(id))
            .filter(scope.owns(device_codes::table))
            .filter(device_codes::redeemed_at.is_null()),
    )
    .execute(conn)
    .await?;
    if n == 1 {
        return Ok(Withdrawn::Done);
    }
    let used: bool = diesel::select(diesel::dsl::exists(
        device_codes::table
            .filter(device_codes::id.eq(id))
            .filter(scope.owns(device_codes::table)),
    ))
    .get_result(conn)
    .await?;
    Ok(if used {
        Withdrawn::AlreadyUsed
    } else {
        Withdrawn::NotFound
    })
}

/// Housekeeping: device codes never redeemed, past their expiry (audited: they are a person's).
pub async fn purge_expired_device_codes(
    conn: &mut AsyncPgConnection,
) -> diesel::QueryResult<usize> {
    crate::trust::audit::model::purge_audited(
        conn,
        "device_code",
        "DELETE FROM device_codes WHERE redeemed_at IS NULL AND expires_at < now()",
    )
    .await
}
