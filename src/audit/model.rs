//! Writing audit events, inside the same transaction as the change they record.

use diesel::Insertable;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::db::schema::audit_events;
use crate::ids::{AccountId, OrganisationId};

#[derive(Debug, Insertable)]
#[diesel(table_name = audit_events)]
struct NewAuditEvent<'a> {
    id: Uuid,
    organisation_id: Option<Uuid>,
    actor_account_id: Option<Uuid>,
    action: &'a str,
    subject_type: &'a str,
    subject_id: Option<Uuid>,
    details: serde_json::Value,
}

/// One recorded change.
pub struct AuditEvent<'a> {
    pub organisation: Option<OrganisationId>,
    pub actor: Option<AccountId>,
    pub action: &'a str,
    pub subject_type: &'a str,
    pub subject_id: Option<Uuid>,
    /// Ids, roles and flags only: never names, emails or free text.
    pub details: serde_json::Value,
}

pub async fn record(
    conn: &mut AsyncPgConnection,
    event: AuditEvent<'_>,
) -> Result<(), diesel::result::Error> {
    diesel::insert_into(audit_events::table)
        .values(NewAuditEvent {
            id: Uuid::now_v7(),
            organisation_id: event.organisation.map(|o| o.0),
            actor_account_id: event.actor.map(|a| a.0),
            action: event.action,
            subject_type: event.subject_type,
            subject_id: event.subject_id,
            details: event.details,
        })
        .execute(conn)
        .await?;
    Ok(())
}
