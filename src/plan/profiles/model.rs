//! Profile entries: one row per save of a section. The newest row per section is the profile.

use diesel::{ExpressionMethods, QueryDsl, Queryable, Selectable, SelectableHelper};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::Authorized;
use crate::auth::access::PersonScope;
use crate::db::schema::{accounts, profile_entries};
use crate::http::pagination::{Keyset, Page};
use crate::ids::AccountId;

type QueryResult<T> = Result<T, diesel::result::Error>;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = profile_entries, check_for_backend(diesel::pg::Pg))]
pub struct EntryRow {
    pub id: Uuid,
    pub section: crate::plan::profiles::types::Section,
    pub body: String,
    pub lang: crate::fields::Lang,
    pub author_account_id: Uuid,
    pub author_kind: String,
    pub created_at: OffsetDateTime,
}

/// The newest entry of each section, with its author's name.
pub async fn current(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
) -> QueryResult<Vec<(EntryRow, String)>> {
    profile_entries::table
        .inner_join(accounts::table)
        .filter(scope.owns(profile_entries::table))
        .distinct_on(profile_entries::section)
        .order((profile_entries::section, profile_entries::id.desc()))
        .select((EntryRow::as_select(), accounts::name))
        .load(conn)
        .await
}

/// Every save, newest first.
pub async fn history(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    page: Page,
) -> QueryResult<Vec<(EntryRow, String)>> {
    let mut query = profile_entries::table
        .inner_join(accounts::table)
        .filter(scope.owns(profile_entries::table))
        .select((EntryRow::as_select(), accounts::name))
        .into_boxed();
    query = query.newest_first(page, profile_entries::id);
    query.load(conn).await
}

/// How many saves there have been: the profile's version, for its ETag.
pub async fn version(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
) -> QueryResult<i32> {
    let n: i64 = profile_entries::table
        .filter(scope.owns(profile_entries::table))
        .count()
        .get_result(conn)
        .await?;
    Ok(i32::try_from(n).unwrap_or(i32::MAX))
}

pub struct NewEntry<'a> {
    pub section: crate::plan::profiles::types::Section,
    pub body: &'a str,
    pub lang: crate::fields::Lang,
}

pub async fn insert(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    author: AccountId,
    author_kind: &str,
    entries: &[NewEntry<'_>],
) -> QueryResult<()> {
    let rows: Vec<_> = entries
        .iter()
        .map(|e| {
            (
                profile_entries::id.eq(Uuid::now_v7()),
                scope.stamp(profile_entries::table),
                profile_entries::section.eq(e.section),
                profile_entries::body.eq(e.body),
                profile_entries::lang.eq(e.lang),
                profile_entries::author_account_id.eq(author),
                profile_entries::author_kind.eq(author_kind),
            )
        })
        .collect();
    diesel::insert_into(profile_entries::table)
        .values(rows)
        .execute(conn)
        .await?;
    Ok(())
}
