//! Writing audit events. A change's event is written inside the transaction that makes it (and
//! the database refuses to commit a change to a person's record without one: migration
//! 000012); a read's event is written before anything read is returned (`reads`).

use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Jsonb, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::access::{Authorized, PersonScope};
use crate::ids::{AccountId, OrganisationId, PersonId};

/// One recorded event.
pub struct AuditEvent<'a> {
    pub organisation: Option<OrganisationId>,
    /// Who did it; `None`: the service itself (housekeeping, retention).
    pub actor: Option<AccountId>,
    /// The person whose record it concerns, for their access log.
    pub person: Option<PersonId>,
    pub action: &'a str,
    pub subject_type: &'a str,
    pub subject_id: Option<Uuid>,
    /// Ids, roles and flags only: never names, emails or free text.
    pub details: serde_json::Value,
}

/// Writes `event`, with the actor's role as it is now and the current request's id, and marks
/// the transaction as audited (the check at commit looks for that mark).
pub async fn record(
    conn: &mut AsyncPgConnection,
    event: AuditEvent<'_>,
) -> Result<(), diesel::result::Error> {
    diesel::sql_query(
        "WITH e AS (
             INSERT INTO audit_events (id, organisation_id, actor_account_id, actor_role,
                                       person_id, action, subject_type, subject_id, details,
                                       request_id, client_request_id)
             SELECT $1, coalesce($2, (SELECT organisation_id FROM people WHERE id = $4)), $3,
                    coalesce((SELECT role FROM accounts WHERE id = $3), 'system'),
                    $4, $5, $6, $7, $8, $9, $10
             RETURNING 1)
         SELECT set_config('camau.audited', 'on', true) FROM e",
    )
    .bind::<SqlUuid, _>(Uuid::now_v7())
    .bind::<Nullable<SqlUuid>, _>(event.organisation.map(|o| o.0))
    .bind::<Nullable<SqlUuid>, _>(event.actor.map(|a| a.0))
    .bind::<Nullable<SqlUuid>, _>(event.person.map(|p| p.0))
    .bind::<Text, _>(event.action)
    .bind::<Text, _>(event.subject_type)
    .bind::<Nullable<SqlUuid>, _>(event.subject_id)
    .bind::<Jsonb, _>(event.details)
    .bind::<Nullable<Text>, _>(crate::telemetry::request_id::current())
    .bind::<Nullable<Text>, _>(crate::telemetry::request_id::client())
    .execute(conn)
    .await?;
    Ok(())
}

/// A change to a person's record by `actor`, inside its transaction.
pub async fn changed(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    actor: AccountId,
    action: &str,
    subject_type: &str,
    subject_id: Uuid,
) -> Result<(), diesel::result::Error> {
    let scope = scope.id();
    record(
        conn,
        AuditEvent {
            organisation: Some(scope.organisation),
            actor: Some(actor),
            person: Some(scope.person),
            action,
            subject_type,
            subject_id: Some(subject_id),
            details: serde_json::Value::Object(Default::default()),
        },
    )
    .await
}

/// Marks the current transaction as audited without an event of its own: only for a later
/// step of an action whose event is already on the trail (an uploaded photo marked stored, or
/// its failed upload undone).
pub async fn covered(conn: &mut AsyncPgConnection) -> Result<(), diesel::result::Error> {
    diesel::sql_query("SELECT set_config('camau.audited', 'on', true)")
        .execute(conn)
        .await?;
    Ok(())
}

/// An event as the audit endpoints read it, with the actor's name where the account remains.
#[derive(Debug, QueryableByName)]
pub struct EventRow {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = Timestamptz)]
    pub occurred_at: OffsetDateTime,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub actor_account_id: Option<Uuid>,
    #[diesel(sql_type = Nullable<Text>)]
    pub actor_role: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub actor_name: Option<String>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub person_id: Option<Uuid>,
    #[diesel(sql_type = Text)]
    pub action: String,
    #[diesel(sql_type = Text)]
    pub subject_type: String,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub subject_id: Option<Uuid>,
    #[diesel(sql_type = Nullable<Text>)]
    pub request_id: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub client_request_id: Option<String>,
}

const EVENT_COLUMNS: &str = "e.id, e.occurred_at, e.actor_account_id, e.actor_role,
    a.name AS actor_name, e.person_id, e.action, e.subject_type, e.subject_id, e.request_id,
    e.client_request_id
    FROM audit_events e LEFT JOIN accounts a ON a.id = e.actor_account_id";

/// A page of the events about one person, newest first, leaving out actions starting with any
/// of `hidden` (what the reader may not know of: `audit_log::access_log` decides).
pub async fn for_person(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    hidden: &[&str],
    after: Option<Uuid>,
    limit: i64,
) -> Result<Vec<EventRow>, diesel::result::Error> {
    let hidden: Vec<String> = hidden.iter().map(|h| format!("{h}%")).collect();
    let s = scope.id();
    diesel::sql_query(format!(
        "SELECT {EVENT_COLUMNS}
          WHERE e.person_id = $1 AND e.organisation_id = $2
            AND ($3::uuid IS NULL OR e.id < $3)
            AND NOT (e.action LIKE ANY ($4::text[]))
          ORDER BY e.id DESC LIMIT $5"
    ))
    .bind::<SqlUuid, _>(s.person.0)
    .bind::<SqlUuid, _>(s.organisation.0)
    .bind::<Nullable<SqlUuid>, _>(after)
    .bind::<diesel::sql_types::Array<Text>, _>(hidden)
    .bind::<BigInt, _>(limit)
    .load(conn)
    .await
}

/// Which of an organisation's events.
#[derive(Debug, Clone, Copy)]
pub struct Filter {
    pub actor: Option<Uuid>,
    pub person: Option<Uuid>,
    pub from: Option<OffsetDateTime>,
    pub to: Option<OffsetDateTime>,
    /// Actions (prefixes) the reader may not know of (`audit_log::withheld_from`).
    pub hidden: &'static [&'static str],
}

/// Up to `limit` of an organisation's events after the cursor `after`, newest first.
pub async fn for_organisation(
    conn: &mut AsyncPgConnection,
    org: &Authorized<OrganisationId>,
    filter: Filter,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Vec<EventRow>, diesel::result::Error> {
    diesel::sql_query(format!(
        "SELECT {EVENT_COLUMNS}
          WHERE e.organisation_id = $1
            AND ($2::uuid IS NULL OR e.actor_account_id = $2)
            AND ($3::uuid IS NULL OR e.person_id = $3)
            AND ($4::timestamptz IS NULL OR e.occurred_at >= $4)
            AND ($5::timestamptz IS NULL OR e.occurred_at < $5)
            AND ($6::uuid IS NULL OR e.id < $6)
            AND NOT (e.action LIKE ANY ($8::text[]))
          ORDER BY e.id DESC LIMIT $7"
    ))
    .bind::<SqlUuid, _>(org.id().0)
    .bind::<Nullable<SqlUuid>, _>(filter.actor)
    .bind::<Nullable<SqlUuid>, _>(filter.person)
    .bind::<Nullable<Timestamptz>, _>(filter.from)
    .bind::<Nullable<Timestamptz>, _>(filter.to)
    .bind::<Nullable<SqlUuid>, _>(after)
    .bind::<BigInt, _>(limit)
    .bind::<diesel::sql_types::Array<Text>, _>(
        filter
            .hidden
            .iter()
            .map(|h| format!("{h}%"))
            .collect::<Vec<_>>(),
    )
    .load(conn)
    .await
}
