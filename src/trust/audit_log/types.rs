//! What the audit endpoints answer: built from rows explicitly, never the rows themselves.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::fields::Lang;
use crate::trust::audit::model::EventRow;
use crate::trust::audit_log::words;

/// Who did it, as the access log shows them.
#[derive(Debug, Serialize, ToSchema)]
pub struct LogActor {
    /// `None` for the service itself and for an account since erased.
    pub account_id: Option<Uuid>,
    pub name: Option<String>,
    /// The role they had then: `admin`, `coordinator`, `mentor`, `person`, `supporter`,
    /// `platform_admin`, `commissioner`, or `system` (the service itself).
    pub role: String,
}

/// One access to, or change of, a person's record.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccessLogEntry {
    pub id: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub actor: LogActor,
    /// What was done, e.g. `goals.viewed`, `goal.created`, `story.deleted`.
    pub action: String,
    /// The record named: `person`, `goal`, `goal_action`, `story`, `photo`, `review`, ...
    pub subject_type: String,
    pub subject_id: Option<Uuid>,
    /// In plain words, in the language asked for: "Your mentor Alex viewed your goals".
    pub summary: String,
}

impl AccessLogEntry {
    pub fn from_row(row: EventRow, person_account: Option<Uuid>, lang: Lang) -> Self {
        let summary = words::summary(&row, person_account, lang);
        AccessLogEntry {
            id: row.id,
            at: row.occurred_at,
            actor: LogActor {
                account_id: row.actor_account_id,
                name: row.actor_name,
                role: row.actor_role.unwrap_or_else(|| "system".into()),
            },
            action: row.action,
            subject_type: row.subject_type,
            subject_id: row.subject_id,
            summary,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccessLog {
    /// Newest first.
    pub items: Vec<AccessLogEntry>,
    pub next_cursor: Option<String>,
}

/// One event of an organisation's audit trail.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntry {
    pub id: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub actor: LogActor,
    pub action: String,
    /// The person whose record it concerns, if any.
    pub person_id: Option<Uuid>,
    pub subject_type: String,
    pub subject_id: Option<Uuid>,
    /// The request that did it (made by the service; as in its logs and error bodies).
    pub request_id: Option<String>,
    /// The `X-Request-Id` the client sent with it, if any (the client's word, not ours).
    pub client_request_id: Option<String>,
}

impl From<EventRow> for AuditEntry {
    fn from(row: EventRow) -> Self {
        AuditEntry {
            id: row.id,
            at: row.occurred_at,
            actor: LogActor {
                account_id: row.actor_account_id,
                name: row.actor_name,
                role: row.actor_role.unwrap_or_else(|| "system".into()),
            },
            action: row.action,
            person_id: row.person_id,
            subject_type: row.subject_type,
            subject_id: row.subject_id,
            request_id: row.request_id,
            client_request_id: row.client_request_id,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditLog {
    /// Newest first.
    pub items: Vec<AuditEntry>,
    pub next_cursor: Option<String>,
}

/// Filters of an organisation's audit trail.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only what this account did.
    pub actor: Option<Uuid>,
    /// Only what concerns this person.
    pub person: Option<Uuid>,
    /// From this instant (RFC 3339), inclusive.
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[param(value_type = Option<String>, format = DateTime)]
    pub from: Option<OffsetDateTime>,
    /// Until this instant (RFC 3339), exclusive.
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[param(value_type = Option<String>, format = DateTime)]
    pub to: Option<OffsetDateTime>,
    /// Items per page, 1 to 100 (default 20); ignored for CSV, which holds every match.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// The CSV an auditor downloads: every match, newest first.
pub fn to_csv(rows: &[EventRow]) -> String {
    let mut out = String::from(
        "id,at,actor_account_id,actor_name,actor_role,action,person_id,subject_type,subject_id,request_id,client_request_id\r\n",
    );
    let opt = |u: Option<Uuid>| u.map(|u| u.to_string()).unwrap_or_default();
    for r in rows {
        let at = r
            .occurred_at
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        let cells = [
            r.id.to_string(),
            at,
            opt(r.actor_account_id),
            r.actor_name.clone().unwrap_or_default(),
            r.actor_role.clone().unwrap_or_else(|| "system".into()),
            r.action.clone(),
            opt(r.person_id),
            r.subject_type.clone(),
            opt(r.subject_id),
            r.request_id.clone().unwrap_or_default(),
            r.client_request_id.clone().unwrap_or_default(),
        ];
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            crate::http::csv::field(&mut out, c);
        }
        out.push_str("\r\n");
    }
    out
}
