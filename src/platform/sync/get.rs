//! `GET /v1/sync`: what changed since the client last synced.

use actix_web::{get, web};
use time::OffsetDateTime;

use crate::auth::CurrentUser;
use crate::auth::roles::Role;
use crate::error::{ApiError, ApiResult, ErrorCode, Problem};
use crate::platform::sync::model::{self, ChangeRow, Cursor};
use crate::platform::sync::types::{Change, ChangeKind, ChangeOp, SyncPage, SyncQuery};
use crate::state::AppState;

/// Changes since a cursor
///
/// Every record of the people you follow (a mentor's caseload, an organisation's people for
/// admins and coordinators, a person's own, a supporter's circles as their grants allow) that
/// changed since `since`, oldest first: profiles, circle members, goals, actions, reviews,
/// stories (a photo added or removed changes its story), reactions and comments. Each entry
/// is an `upsert` (read it at `href`) or a `delete` tombstone; `access` entries say your own
/// access to a person changed (`changed`, with the kinds now `visible`) or ended (`revoked`).
/// Read pages until `has_more` is false and keep the last `next_cursor`. Without `since`,
/// everything. A cursor older than 30 days answers 410 `sync_cursor_expired`: start again
/// without one. Not for commissioners or platform administrators (403). See docs/API.md
/// §Offline clients for how writes and conflicts fit with it.
#[utoipa::path(
    operation_id = "listChanges",
    tag = "sync",
    security(("bearer" = [])),
    params(SyncQuery),
    responses(
        (status = 200, description = "A page of changes", body = SyncPage),
        (status = 400, description = "Malformed cursor or limit", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Commissioners and platform administrators hold no person's records", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "`sync_cursor_expired`: the cursor is older than the tombstones kept; sync again from the start", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/sync")]
pub async fn get(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<SyncQuery>,
) -> ApiResult<web::Json<SyncPage>> {
    let now = OffsetDateTime::now_utc();
    let limit = query.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::new(ErrorCode::InvalidQueryParameter)
            .with_detail("limit must be between 1 and 500"));
    }
    let cursor = match query.since.as_deref() {
        None => Cursor::start(now),
        Some(text) => Cursor::decode(text).ok_or_else(|| {
            ApiError::new(ErrorCode::InvalidQueryParameter)
                .with_detail("since must be a next_cursor this endpoint gave")
        })?,
    };
    if cursor.issued < (now - super::KEEP).unix_timestamp() {
        return Err(ApiError::new(ErrorCode::SyncCursorExpired));
    }
    let mut conn = state.conn().await?;
    let actor = user.check(&mut conn).await?;
    if matches!(actor.role, Role::Commissioner | Role::PlatformAdmin) {
        return Err(ApiError::forbidden());
    }
    let mut rows = model::page(
        &mut conn,
        actor.account_id,
        actor.session_id,
        cursor,
        i64::from(limit) + 1,
    )
    .await?;
    let has_more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    // The cursor moves to the last change given; it is re-issued now, so a client that syncs
    // within every 30 days never has to start again.
    let last = rows.last().map_or(cursor, |r| Cursor {
        tx: r.tx,
        seq: r.seq,
        issued: now.unix_timestamp(),
    });
    let next = Cursor {
        issued: now.unix_timestamp(),
        ..last
    };
    let changes = rows
        .into_iter()
        .map(change)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(web::Json(SyncPage {
        changes,
        next_cursor: next.encode(),
        has_more,
    }))
}

fn kind(text: &str) -> Result<ChangeKind, ApiError> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|_| ApiError::internal(format!("unknown sync record type {text}")))
}

fn change(row: ChangeRow) -> Result<Change, ApiError> {
    let kind = match row.record_type.as_str() {
        "access" => ChangeKind::Access,
        other => self::kind(other)?,
    };
    let op = match row.op.as_str() {
        "upsert" => ChangeOp::Upsert,
        "delete" => ChangeOp::Delete,
        "changed" => ChangeOp::Changed,
        "revoked" => ChangeOp::Revoked,
        other => return Err(ApiError::internal(format!("unknown sync op {other}"))),
    };
    let (id, person) = (row.record_id, row.person_id);
    let href = match (kind, op) {
        (_, ChangeOp::Delete | ChangeOp::Revoked) => None,
        (ChangeKind::Profile, _) => Some(format!("/v1/people/{person}/profile")),
        (ChangeKind::CircleMember | ChangeKind::Access, _) => {
            Some(format!("/v1/people/{person}/circle"))
        }
        (ChangeKind::Goal, _) => Some(format!("/v1/goals/{id}")),
        (ChangeKind::Action, _) => row.on_goal.map(|g| format!("/v1/goals/{g}/actions")),
        (ChangeKind::Review, _) => Some(format!("/v1/reviews/{id}")),
        (ChangeKind::Photo, _) => None,
        (ChangeKind::Story, _) => Some(format!("/v1/stories/{id}")),
        (ChangeKind::Comment | ChangeKind::Reaction, _) => {
            let list = if kind == ChangeKind::Comment {
                "comments"
            } else {
                "reactions"
            };
            match (row.on_story, row.on_action, row.on_goal) {
                (Some(s), _, _) => Some(format!("/v1/stories/{s}/{list}")),
                (None, Some(a), _) => Some(format!("/v1/actions/{a}/{list}")),
                (None, None, Some(g)) => Some(format!("/v1/goals/{g}/{list}")),
                _ => None,
            }
        }
    };
    let visible = row
        .visible
        .map(|kinds| kinds.iter().map(|k| self::kind(k)).collect())
        .transpose()?;
    Ok(Change {
        kind,
        id,
        person_id: person,
        op,
        changed_at: row.changed_at,
        href,
        visible,
    })
}
