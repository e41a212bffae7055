//! Retention: a person's record is kept for the organisation's `retention_months` after their
//! support ended, then erased by the same erasure as an admin's (its own audit event, the
//! same de-identified counts), unless a hold stands. Run by `serve`'s housekeeping, by
//! `camau maintenance`, and by `camau retention [--dry-run]`.

use diesel::QueryableByName;
use diesel::sql_types::{Bool, Date, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use uuid::Uuid;

use crate::auth::access::{self, PersonScope};
use crate::ids::{OrganisationId, PersonId};
use crate::platform::storage::Storage;
use crate::trust::erasure::model::{self as erasure, Reason};

/// A person whose retention period has passed.
#[derive(Debug, Clone, Serialize, QueryableByName)]
pub struct Due {
    #[diesel(sql_type = SqlUuid)]
    pub person_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub organisation_id: Uuid,
    #[diesel(sql_type = Date)]
    #[serde(with = "crate::fields::iso_date")]
    pub support_ended_on: time::Date,
    /// A standing hold keeps the record.
    #[diesel(sql_type = Bool)]
    pub held: bool,
}

/// What a pass did (or, dry, would do).
#[derive(Debug, Default, Serialize)]
pub struct Outcome {
    pub due: Vec<Due>,
    pub erased: usize,
    pub held: usize,
    pub failed: usize,
}

/// Everyone due, oldest ending first.
pub async fn due(conn: &mut AsyncPgConnection) -> Result<Vec<Due>, diesel::result::Error> {
    diesel::sql_query(format!(
        "SELECT p.id AS person_id, p.organisation_id, p.support_ended_on,
                EXISTS (SELECT 1 FROM legal_holds h
                         WHERE h.person_id = p.id AND h.lifted_at IS NULL) AS held
           FROM people p JOIN organisations o ON o.id = p.organisation_id
          WHERE {}
          ORDER BY p.support_ended_on, p.id",
        erasure::DUE
    ))
    .load(conn)
    .await
}

/// Who a retention period of `months` would have erased from `organisation` by `at` (a dry
/// run of a change: the answer to shortening it lists them), oldest ending first.
pub async fn would_erase(
    conn: &mut AsyncPgConnection,
    organisation: &crate::auth::Authorized<OrganisationId>,
    months: i32,
    at: time::OffsetDateTime,
) -> Result<Vec<Due>, diesel::result::Error> {
    diesel::sql_query(
        "SELECT p.id AS person_id, p.organisation_id, p.support_ended_on,
                EXISTS (SELECT 1 FROM legal_holds h
                         WHERE h.person_id = p.id AND h.lifted_at IS NULL) AS held
           FROM people p
          WHERE p.organisation_id = $1 AND p.support_ended_on IS NOT NULL
            AND p.support_ended_on + make_interval(months => $2)
                <= ($3 AT TIME ZONE 'Europe/London')::date
            AND p.support_ended_recorded_at + make_interval(months => $2) <= $3
          ORDER BY p.support_ended_on, p.id",
    )
    .bind::<SqlUuid, _>(organisation.id())
    .bind::<diesel::sql_types::Integer, _>(months)
    .bind::<diesel::sql_types::Timestamptz, _>(at)
    .load(conn)
    .await
}

/// One pass: lists who is due and, unless `dry_run`, erases each one not held. A failure on
/// one person is logged and the others go on.
pub async fn run(
    conn: &mut AsyncPgConnection,
    storage: &Storage,
    dry_run: bool,
) -> Result<Outcome, diesel::result::Error> {
    let due = due(conn).await?;
    let mut outcome = Outcome::default();
    for d in &due {
        if d.held {
            outcome.held += 1;
            continue;
        }
        if dry_run {
            continue;
        }
        let scope = access::for_retention(PersonScope {
            person: PersonId(d.person_id),
            organisation: OrganisationId(d.organisation_id),
        });
        match erasure::erase(conn, storage, &scope, None, Reason::Retention, None).await {
            Ok(_) => outcome.erased += 1,
            Err(e) => {
                tracing::warn!(person_id = %d.person_id, code = ?e.code, "retention erasure failed");
                outcome.failed += 1;
            }
        }
    }
    outcome.due = due;
    Ok(outcome)
}
