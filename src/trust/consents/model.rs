//! Consent rows and their queries, always within one person's scope.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::Authorized;
use crate::auth::access::PersonScope;
use crate::db::schema::{accounts, consents};
use crate::ids::{AccountId, ConsentId};
use crate::trust::consents::types::{ConsentAudience, Decision, GivenBy, Purpose};

/// A consent with the names of who recorded and withdrew it.
#[derive(Debug, Queryable)]
pub struct ConsentRow {
    pub id: Uuid,
    pub purpose: Purpose,
    pub audience: ConsentAudience,
    pub decision: Decision,
    pub given_by: GivenBy,
    pub wording_version: String,
    pub recorded_by: Uuid,
    pub recorded_at: OffsetDateTime,
    pub current: bool,
    pub withdrawn_at: Option<OffsetDateTime>,
    pub withdrawn_by: Option<Uuid>,
    pub recorded_by_name: Option<String>,
    pub withdrawn_by_name: Option<String>,
}

/// The person's consents, newest first (`one`: only that record).
pub async fn list(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    one: Option<ConsentId>,
) -> QueryResult<Vec<ConsentRow>> {
    let (recorder, withdrawer) = diesel::alias!(accounts as recorder, accounts as withdrawer);
    let mut q = consents::table
        .left_join(recorder.on(recorder.field(accounts::id).eq(consents::recorded_by)))
        .left_join(
            withdrawer.on(withdrawer
                .field(accounts::id)
                .nullable()
                .eq(consents::withdrawn_by)),
        )
        .filter(scope.owns(consents::table))
        .select((
            consents::id,
            consents::purpose,
            consents::audience,
            consents::decision,
            consents::given_by,
            consents::wording_version,
            consents::recorded_by,
            consents::recorded_at,
            consents::current,
            consents::withdrawn_at,
            consents::withdrawn_by,
            recorder.field(accounts::name).nullable(),
            withdrawer.field(accounts::name).nullable(),
        ))
        .order(consents::id.desc())
        .into_boxed();
    if let Some(id) = one {
        q = q.filter(consents::id.eq(id));
    }
    q.load(conn).await
}

/// A decision to insert.
pub struct NewConsent<'a> {
    pub purpose: Purpose,
    pub audience: ConsentAudience,
    pub decision: Decision,
    pub given_by: GivenBy,
    pub wording_version: &'a str,
    pub recorded_by: AccountId,
}

/// Records `new` as the current decision for its purpose, the previous one kept as history.
/// Inside the caller's transaction.
pub async fn record(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    new: &NewConsent<'_>,
) -> QueryResult<ConsentId> {
    diesel::update(
        consents::table
            .filter(scope.owns(consents::table))
            .filter(consents::purpose.eq(new.purpose))
            .filter(consents::audience.eq(new.audience))
            .filter(consents::current),
    )
    .set(consents::current.eq(false))
    .execute(conn)
    .await?;
    let id = ConsentId::new();
    diesel::insert_into(consents::table)
        .values((
            consents::id.eq(id),
            scope.stamp(consents::table),
            consents::purpose.eq(new.purpose),
            consents::audience.eq(new.audience),
            consents::decision.eq(new.decision),
            consents::given_by.eq(new.given_by),
            consents::wording_version.eq(new.wording_version),
            consents::recorded_by.eq(new.recorded_by),
        ))
        .execute(conn)
        .await?;
    Ok(id)
}

/// Withdraws the consent if it is the current "given" one; whether it did.
pub async fn withdraw(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    id: ConsentId,
    by: AccountId,
) -> QueryResult<bool> {
    let n = diesel::update(
        consents::table
            .filter(consents::id.eq(id))
            .filter(scope.owns(consents::table))
            .filter(consents::current)
            .filter(consents::decision.eq(Decision::Given))
            .filter(consents::withdrawn_at.is_null()),
    )
    .set((
        consents::withdrawn_at.eq(OffsetDateTime::now_utc()),
        consents::withdrawn_by.eq(by),
    ))
    .execute(conn)
    .await?;
    Ok(n == 1)
}
