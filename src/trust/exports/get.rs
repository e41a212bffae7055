//! `GET /v1/exports/{export_id}`: its status, or (`Accept: application/zip`) the file.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::auth::session::{PersonOf, authorize};
use crate::error::{ApiError, ApiResult, ErrorCode, Problem};
use crate::ids::ExportId;
use crate::state::AppState;
use crate::trust::audit::model::{self as audit, AuditEvent};
use crate::trust::exports::model;
use crate::trust::exports::types::{Export, ExportStatus};

/// An export
///
/// Its status as JSON; with `Accept: application/zip`, once `ready`, the ZIP itself (409
/// `export_not_ready` before). The person and admins.
#[utoipa::path(
    operation_id = "getExport",
    tag = "data rights",
    security(("bearer" = [])),
    params(("export_id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "The status, or the ZIP", content(
            (Export = "application/json"),
            (Vec<u8> = "application/zip"),
        )),
        (status = 403, description = "Neither the person nor an admin", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The ZIP was asked for before it is ready", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/exports/{export_id}")]
pub async fn get(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    path: web::Path<ExportId>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let mut conn = state.conn().await?;
    let access = authorize(
        &mut conn,
        &user,
        PersonOf::Export(id),
        PersonAction::RequestExport,
    )
    .await?;
    let row = model::find(&mut conn, &access.scope, id.0)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let wants_zip = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/zip"));
    if !wants_zip {
        return Ok(HttpResponse::Ok().json(Export::from(row)));
    }
    if row.status != ExportStatus::Ready {
        return Err(ApiError::new(ErrorCode::ExportNotReady));
    }
    let scope = access.scope.id();
    audit::record(
        &mut conn,
        AuditEvent {
            organisation: Some(scope.organisation),
            actor: Some(access.actor.account_id),
            person: Some(scope.person),
            action: crate::trust::audit::Action::ExportDownloaded,
            subject_type: "export",
            subject_id: Some(id.0),
            details: serde_json::json!({}),
        },
    )
    .await?;
    let stream = state.storage.read(&model::key(id.0)).await.map_err(|e| {
        tracing::warn!(error = %e, "export file unreadable");
        ApiError::new(ErrorCode::ServiceUnavailable).with_detail("storage is unavailable; retry")
    })?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/zip"))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"camau-export-{}.zip\"", id.0),
        ))
        .streaming(stream))
}
