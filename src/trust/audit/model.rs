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

/// Declares the audit actions once: the enum, the text each is stored as, and its parse.
macro_rules! actions {
    ($($variant:ident = $text:literal),+ $(,)?) => {
        /// What a change did, as the trail stores it: one variant per kind of change, so the
        /// access log's words (`audit_log::words`) are a match the compiler checks is complete.
        /// Reads are recorded as `{part}.viewed` (`http::audit_reads`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Action {
            $($variant),+
        }

        impl Action {
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The text the trail stores.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text),+
                }
            }

            /// The action a stored text names, if this version knows it.
            pub fn parse(text: &str) -> Option<Self> {
                match text {
                    $($text => Some(Self::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

actions! {
    AccountEmailVerified = "account.email_verified",
    AccountPasswordChanged = "account.password_changed",
    AccountPasswordReset = "account.password_reset",
    AccountPinChanged = "account.pin_changed",
    AccountUpdated = "account.updated",
    AuditExported = "audit.exported",
    CircleInvitationAccepted = "circle.invitation_accepted",
    CircleInvitationCreated = "circle.invitation_created",
    CircleInvitationRevoked = "circle.invitation_revoked",
    CircleMemberAdded = "circle.member_added",
    CircleMemberLeft = "circle.member_left",
    CircleMemberRemoved = "circle.member_removed",
    CircleMemberUpdated = "circle.member_updated",
    CommentHidden = "comment.hidden",
    CommentPosted = "comment.posted",
    ConcernRaised = "concern.raised",
    ConcernSettled = "concern.settled",
    ConsentGiven = "consent.given",
    ConsentRefused = "consent.refused",
    ConsentWithdrawn = "consent.withdrawn",
    DemoPeopleGenerated = "demo.people_generated",
    ErasureCancelled = "erasure.cancelled",
    ErasureRequested = "erasure.requested",
    ExportDownloaded = "export.downloaded",
    ExportRequested = "export.requested",
    FrameworkCreated = "framework.created",
    GoalCreated = "goal.created",
    GoalUpdated = "goal.updated",
    GoalActionCreated = "goal_action.created",
    GoalActionSuggested = "goal_action.suggested",
    GoalActionUpdated = "goal_action.updated",
    GoalCodeAdded = "goal_code.added",
    GoalCodeRemoved = "goal_code.removed",
    HoldLifted = "hold.lifted",
    HoldPlaced = "hold.placed",
    HousekeepingAbandonedUploadsRemoved = "housekeeping.abandoned_uploads_removed",
    HousekeepingExpiredPurged = "housekeeping.expired_purged",
    InvitationAccepted = "invitation.accepted",
    InvitationCreated = "invitation.created",
    InvitationRevoked = "invitation.revoked",
    NotificationsSettingsChanged = "notifications.settings_changed",
    OrganisationCreated = "organisation.created",
    OrganisationUpdated = "organisation.updated",
    PersonCreated = "person.created",
    PersonDeviceCodeIssued = "person.device_code_issued",
    PersonDeviceCodeRedeemed = "person.device_code_redeemed",
    PersonDeviceCodeRevoked = "person.device_code_revoked",
    PersonErased = "person.erased",
    PersonMentorsAssigned = "person.mentors_assigned",
    PersonSupportDatesChanged = "person.support_dates_changed",
    PersonUpdated = "person.updated",
    PhotoDeleted = "photo.deleted",
    PhotoUploaded = "photo.uploaded",
    ProfileUpdated = "profile.updated",
    ReactionAdded = "reaction.added",
    ReviewCreated = "review.created",
    ReviewUpdated = "review.updated",
    StoryAccepted = "story.accepted",
    StoryDeleted = "story.deleted",
    StoryPosted = "story.posted",
    StorySuggested = "story.suggested",
    StoryUpdated = "story.updated",
}

/// One recorded event.
pub struct AuditEvent<'a> {
    pub organisation: Option<OrganisationId>,
    /// Who did it; `None`: the service itself (housekeeping, retention).
    pub actor: Option<AccountId>,
    /// The person whose record it concerns, for their access log.
    pub person: Option<PersonId>,
    pub action: Action,
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
    .bind::<Text, _>(event.action.as_str())
    .bind::<Text, _>(event.subject_type)
    .bind::<Nullable<SqlUuid>, _>(event.subject_id)
    .bind::<Jsonb, _>(event.details)
    .bind::<Nullable<Text>, _>(crate::platform::telemetry::request_id::current())
    .bind::<Nullable<Text>, _>(crate::platform::telemetry::request_id::client())
    .execute(conn)
    .await?;
    Ok(())
}

/// A change to a person's record by `actor`, inside its transaction.
pub async fn changed(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    actor: AccountId,
    action: Action,
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
    .bind::<SqlUuid, _>(s.person)
    .bind::<SqlUuid, _>(s.organisation)
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
    .bind::<SqlUuid, _>(org.id())
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

/// Deletes (or ends) rows of a table about people that have stopped being useful, with one
/// event by the service carrying the count, in the same transaction. For the slices'
/// `purge_expired`, which `housekeeping` lists.
pub async fn purge_audited(
    conn: &mut AsyncPgConnection,
    kind: &'static str,
    sql: &str,
) -> Result<usize, diesel::result::Error> {
    use diesel_async::AsyncConnection;
    conn.transaction(async |conn| {
        let n = diesel::sql_query(sql).execute(conn).await?;
        if n > 0 {
            let event = AuditEvent {
                organisation: None,
                actor: None,
                person: None,
                action: Action::HousekeepingExpiredPurged,
                subject_type: kind,
                subject_id: None,
                details: serde_json::json!({ "rows": n }),
            };
            record(conn, event).await?;
        }
        Ok(n)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::Action;

    #[test]
    fn every_action_reads_back_from_its_text_and_the_texts_differ() {
        let mut texts = std::collections::BTreeSet::new();
        for &action in Action::ALL {
            assert_eq!(Action::parse(action.as_str()), Some(action));
            assert!(texts.insert(action.as_str()), "{} twice", action.as_str());
        }
        assert_eq!(Action::parse("goals.viewed"), None);
    }
}
