//! `PATCH /v1/staff/{account_id}`: change a colleague's role, or deactivate them.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, patch, web};
use diesel_async::AsyncConnection;
use time::OffsetDateTime;

use crate::auth::access::OrgAction;
use crate::auth::session::{self as sessions, RevokeReason};
use crate::auth::{CurrentUser, Role};
use crate::error::{ApiError, ApiResult, ErrorCode, Problem, Validator};
use crate::http::etag::{etag, require_if_match};
use crate::identity::accounts::authorize_for_account;
use crate::identity::accounts::model::{self, AccountChanges};
use crate::identity::accounts::types::{StaffMember, UpdateStaff};
use crate::ids::AccountId;
use crate::state::AppState;
use crate::trust::audit::model::{self as audit, AuditEvent};

/// Update a member of staff
///
/// The organisation's admins. Needs `If-Match` with the `ETag` from the last read. Deactivating
/// ends every session of the account at once. Admins cannot change or deactivate themselves,
/// so an organisation is never left without an admin by accident.
#[utoipa::path(
    operation_id = "updateStaffMember",
    tag = "staff",
    security(("bearer" = [])),
    params(
        ("account_id" = uuid::Uuid, Path),
        ("If-Match" = String, Header, description = "The ETag from the last read"),
    ),
    request_body = UpdateStaff,
    responses(
        (status = 200, description = "Updated", body = StaffMember,
            headers(("ETag" = String, description = "The new version"))),
        (status = 400, description = "Invalid fields, or a role this organisation cannot have", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin of this organisation", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account in your organisation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Admins cannot change their own account here", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since your last read", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/staff/{account_id}")]
pub async fn update(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    path: web::Path<AccountId>,
    body: web::Json<UpdateStaff>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let mut conn = state.conn().await?;
    let user = user.check(&mut conn).await?;
    let org = authorize_for_account(&mut conn, &user, id, OrgAction::ManageStaff).await?;
    let current = model::find(&mut conn, &org, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    require_if_match(&req, current.version)?;
    if id == user.account_id {
        return Err(ApiError::new(ErrorCode::Conflict)
            .with_detail("ask another admin to change your own role or status"));
    }
    // Only admins and coordinators handle concerns (ACCESS-POLICY.md).
    let role_after = body.role.map(Role::from).unwrap_or(current.role());
    let lead_after = body.safeguarding_lead.unwrap_or(current.safeguarding_lead);
    if lead_after && !matches!(role_after, Role::Admin | Role::Coordinator) {
        let mut v = Validator::new();
        v.add(
            "/safeguarding_lead",
            "lead_needs_admin_or_coordinator",
            "safeguarding leads are admins or coordinators",
        );
        v.finish()?;
    }
    if let Some(role) = body.role.map(Role::from) {
        let (kind, _) = model::organisation_kind(&mut conn, &org)
            .await?
            .ok_or_else(ApiError::not_found)?;
        if !role.fits(kind) {
            let mut v = Validator::new();
            v.add(
                "/role",
                "role_not_in_organisation",
                "this kind of organisation has no such role",
            );
            v.finish()?;
        }
    }
    let changes = AccountChanges {
        safeguarding_lead: body.safeguarding_lead,
        speaks_welsh: body.speaks_welsh,
        role: body.role.map(Role::from),
        deactivated_at: body.active.map(|active| {
            if active {
                None
            } else {
                Some(
                    current
                        .deactivated_at
                        .unwrap_or_else(OffsetDateTime::now_utc),
                )
            }
        }),
    };
    let deactivating = body.active == Some(false);
    let version = current.version;
    let actor = user.account_id;
    let updated = conn
        .transaction(async move |conn| {
            let updated = model::update(conn, &org, id, version, &changes)
                .await?
                .ok_or_else(|| ApiError::new(ErrorCode::PreconditionFailed))?;
            if deactivating {
                sessions::revoke_all(conn, id, None, RevokeReason::Deactivated).await?;
            }
            audit::record(
                conn,
                AuditEvent {
                    organisation: Some(org.id()),
                    person: None,
                    actor: Some(actor),
                    action: crate::trust::audit::Action::AccountUpdated,
                    subject_type: "account",
                    subject_id: Some(id.0),
                    details: serde_json::json!({
                        "role": changes.role.map(|r| r.as_str()),
                        "active": changes.deactivated_at.map(|d| d.is_none()),
                        "safeguarding_lead": changes.safeguarding_lead,
                        "speaks_welsh": changes.speaks_welsh,
                    }),
                },
            )
            .await?;
            Ok::<_, ApiError>(updated)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(updated.version)))
        .json(StaffMember::full(updated)))
}
