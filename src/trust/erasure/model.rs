//! The erasure itself, shared by `DELETE /v1/people/{id}` and `camau retention`.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bytea, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::Authorized;
use crate::auth::access::PersonScope;
use crate::error::{ApiError, ErrorCode, FieldError};
use crate::ids::AccountId;
use crate::platform::storage::Storage;
use crate::trust::audit::model::{self as audit, AuditEvent};
use crate::trust::holds::model as holds;

/// Tables the erasure leaves: the audit trail (append-only; ids only).
const KEPT: &[&str] = &["audit_events"];

/// Why a person's record is erased.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// An admin asked (the person's request, or the organisation's decision).
    Request,
    /// The organisation's retention period passed.
    Retention,
}

impl Reason {
    fn as_str(self) -> &'static str {
        match self {
            Reason::Request => "request",
            Reason::Retention => "retention",
        }
    }
}

/// How many rows of each table are about the person: what an erasure removes.
pub async fn counts(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
) -> QueryResult<serde_json::Map<String, serde_json::Value>> {
    let mut out = serde_json::Map::new();
    for table in person_tables(conn).await? {
        let n = count_in(conn, &table, scope.id().person.0).await?;
        if n > 0 {
            out.insert(table, n.into());
        }
    }
    Ok(out)
}

/// Every table with a `person_id`, from the schema itself: a new table is covered without
/// anyone remembering to add it.
pub async fn person_tables(conn: &mut AsyncPgConnection) -> QueryResult<Vec<String>> {
    #[derive(QueryableByName)]
    struct T {
        #[diesel(sql_type = Text)]
        table_name: String,
    }
    let rows: Vec<T> = diesel::sql_query(
        "SELECT c.table_name::text AS table_name FROM information_schema.columns c
           JOIN information_schema.tables t USING (table_schema, table_name)
          WHERE c.table_schema = current_schema() AND c.column_name = 'person_id'
            AND t.table_type = 'BASE TABLE'
          ORDER BY 1",
    )
    .load(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|t| t.table_name)
        .filter(|t| !KEPT.contains(&t.as_str()))
        .collect())
}

async fn count_in(conn: &mut AsyncPgConnection, table: &str, person: Uuid) -> QueryResult<i64> {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    // `table` comes from the catalogue, quoted as an identifier.
    let n: N = diesel::sql_query(format!(
        "SELECT count(*) AS n FROM \"{}\" WHERE person_id = $1",
        table.replace('"', "\"\"")
    ))
    .bind::<SqlUuid, _>(person)
    .get_result(conn)
    .await?;
    Ok(n.n)
}

/// A 409 naming the hold's reason.
pub fn held(reason: crate::trust::holds::types::HoldReason) -> ApiError {
    let mut e = ApiError::new(ErrorCode::LegalHold)
        .with_detail(format!("a {} hold stands on this record", reason.as_str()));
    e.errors.push(FieldError {
        field: "/reason".into(),
        code: reason.as_str(),
        message: "the hold's reason".into(),
    });
    e
}

/// Step one: a confirmation code for an admin, valid for `ttl`; refused under a hold.
pub async fn request(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    by: AccountId,
    ttl: time::Duration,
) -> Result<(Uuid, String, OffsetDateTime), ApiError> {
    let code = crate::auth::codes::new_code(5);
    let id = Uuid::now_v7();
    let expires_at = OffsetDateTime::now_utc() + ttl;
    let s = scope.id();
    conn.transaction(async |conn| {
        if let Some(h) = holds::list(conn, scope, true).await?.into_iter().next() {
            return Err(held(h.reason));
        }
        diesel::sql_query(
            "INSERT INTO erasure_requests (id, person_id, organisation_id, requested_by, code_hash, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind::<SqlUuid, _>(id)
        .bind::<SqlUuid, _>(s.person)
        .bind::<SqlUuid, _>(s.organisation)
        .bind::<SqlUuid, _>(by)
        .bind::<Bytea, _>(crate::auth::codes::code_hash(&code))
        .bind::<Timestamptz, _>(expires_at)
        .execute(conn)
        .await?;
        audit::changed(conn, scope, by, crate::trust::audit::Action::ErasureRequested, "erasure_request", id).await?;
        Ok(())
    })
    .await?;
    Ok((id, code, expires_at))
}

/// Step two (or retention): erases the person. `confirmation`: the code of step one (`None`
/// for retention). Returns the stored objects' prefixes, removed from storage after commit.
pub async fn erase(
    conn: &mut AsyncPgConnection,
    storage: &Storage,
    scope: &Authorized<PersonScope>,
    by: Option<AccountId>,
    reason: Reason,
    confirmation: Option<&str>,
) -> Result<serde_json::Map<String, serde_json::Value>, ApiError> {
    let s = scope.id();
    let (prefixes, counts) = conn
        .transaction(async |conn| {
            // One erasure (or change) of this person at a time.
            #[derive(QueryableByName)]
            struct Locked {
                #[diesel(sql_type = diesel::sql_types::Nullable<SqlUuid>)]
                account_id: Option<Uuid>,
            }
            let locked: Option<Locked> = diesel::sql_query(
                "SELECT account_id FROM people WHERE id = $1 AND organisation_id = $2 FOR UPDATE",
            )
            .bind::<SqlUuid, _>(s.person)
            .bind::<SqlUuid, _>(s.organisation)
            .get_result(conn)
            .await
            .optional()?;
            let Some(locked) = locked else {
                return Err(ApiError::not_found());
            };
            if let Some(h) = holds::list(conn, scope, true).await?.into_iter().next() {
                return Err(held(h.reason));
            }
            if reason == Reason::Retention && !still_due(conn, s.person.0).await? {
                // Support reopened, or the period lengthened, since the list was made.
                return Err(ApiError::new(ErrorCode::Conflict).with_detail("no longer due"));
            }
            if let Some(code) = confirmation {
                let used = diesel::sql_query(
                    "DELETE FROM erasure_requests
                      WHERE person_id = $1 AND code_hash = $2 AND expires_at > now()",
                )
                .bind::<SqlUuid, _>(s.person)
                .bind::<Bytea, _>(crate::auth::codes::code_hash(code))
                .execute(conn)
                .await?;
                if used == 0 {
                    return Err(ApiError::new(ErrorCode::ErasureConfirmationInvalid));
                }
            }
            let prefixes = object_prefixes(conn, s.person.0).await?;
            let counts = counts(conn, scope).await?;
            audit::record(
                conn,
                AuditEvent {
                    organisation: Some(s.organisation),
                    actor: by,
                    person: Some(s.person),
                    action: crate::trust::audit::Action::PersonErased,
                    subject_type: "person",
                    subject_id: Some(s.person.0),
                    details: serde_json::json!({ "reason": reason.as_str(), "rows": counts }),
                },
            )
            .await?;
            // Everything about the person hangs off `people` (ON DELETE CASCADE); a table
            // that does not is swept by its `person_id` after.
            diesel::sql_query("DELETE FROM people WHERE id = $1 AND organisation_id = $2")
                .bind::<SqlUuid, _>(s.person)
                .bind::<SqlUuid, _>(s.organisation)
                .execute(conn)
                .await?;
            for table in person_tables(conn).await? {
                diesel::sql_query(format!(
                    "DELETE FROM \"{}\" WHERE person_id = $1",
                    table.replace('"', "\"\"")
                ))
                .bind::<SqlUuid, _>(s.person)
                .execute(conn)
                .await?;
            }
            // Stored responses whose replay would show the person (any caller's): those
            // made under a check on them, and any that names them.
            diesel::sql_query(
                "DELETE FROM idempotency_keys
                  WHERE checks @> jsonb_build_array(jsonb_build_object('person', $1::text))
                     OR mentions @> ARRAY[$1]",
            )
            .bind::<SqlUuid, _>(s.person)
            .execute(conn)
            .await?;
            if let Some(account) = locked.account_id {
                // The person's own sign-in: its sessions, devices and the account itself
                // (tokens, settings and notifications go with it).
                diesel::sql_query("DELETE FROM sessions WHERE account_id = $1")
                    .bind::<SqlUuid, _>(account)
                    .execute(conn)
                    .await?;
                diesel::sql_query("DELETE FROM accounts WHERE id = $1")
                    .bind::<SqlUuid, _>(account)
                    .execute(conn)
                    .await?;
            }
            diesel::sql_query(
                "INSERT INTO erasures (id, organisation_id, reason, counts) VALUES ($1, $2, $3, $4)",
            )
            .bind::<SqlUuid, _>(Uuid::now_v7())
            .bind::<SqlUuid, _>(s.organisation)
            .bind::<Text, _>(reason.as_str())
            .bind::<diesel::sql_types::Jsonb, _>(serde_json::Value::Object(counts.clone()))
            .execute(conn)
            .await?;
            Ok::<_, ApiError>((prefixes, counts))
        })
        .await?;
    // The rows' triggers queued these in the same transaction: removed now, or by the next
    // sweep if storage is down.
    for prefix in prefixes {
        crate::platform::storage::sweep::remove(storage, conn, &prefix).await;
    }
    Ok(counts)
}

/// When `p` (of organisation `o`) is due: the period in force (a shortened one only once its
/// grace period is over) has passed since the end of support, both as dated and as recorded (a
/// backdated end waits the full period from when it was entered).
pub const DUE: &str = "retention_in_force(o.retention_months, o.retention_previous_months,
        o.retention_effective_at) IS NOT NULL AND p.support_ended_on IS NOT NULL
    AND p.support_ended_on + make_interval(months => retention_in_force(o.retention_months,
        o.retention_previous_months, o.retention_effective_at)) <= current_date
    AND p.support_ended_recorded_at + make_interval(months => retention_in_force(
        o.retention_months, o.retention_previous_months, o.retention_effective_at)) <= now()";

/// Whether the person is (still) due for erasure by retention.
async fn still_due(conn: &mut AsyncPgConnection, person: Uuid) -> QueryResult<bool> {
    #[derive(QueryableByName)]
    struct Due {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        due: bool,
    }
    let row: Due = diesel::sql_query(format!(
        "SELECT EXISTS (SELECT 1 FROM people p JOIN organisations o ON o.id = p.organisation_id
                         WHERE p.id = $1 AND {}) AS due",
        DUE
    ))
    .bind::<SqlUuid, _>(person)
    .get_result(conn)
    .await?;
    Ok(row.due)
}

/// The storage prefixes of the person's photos and exports.
async fn object_prefixes(conn: &mut AsyncPgConnection, person: Uuid) -> QueryResult<Vec<String>> {
    #[derive(QueryableByName)]
    struct P {
        #[diesel(sql_type = Text)]
        prefix: String,
    }
    let rows: Vec<P> = diesel::sql_query(
        "SELECT 'photos/' || id || '/' AS prefix FROM photos WHERE person_id = $1
         UNION ALL
         SELECT 'exports/' || id || '/' FROM exports WHERE person_id = $1",
    )
    .bind::<SqlUuid, _>(person)
    .load(conn)
    .await?;
    Ok(rows.into_iter().map(|p| p.prefix).collect())
}

/// Housekeeping: erasure requests never confirmed, past their time (audited).
pub async fn purge_expired(conn: &mut AsyncPgConnection) -> diesel::QueryResult<usize> {
    crate::trust::audit::model::purge_audited(
        conn,
        "erasure_request",
        "DELETE FROM erasure_requests WHERE expires_at < now()",
    )
    .await
}
