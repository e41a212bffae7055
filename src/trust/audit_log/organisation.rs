//! `GET /v1/organisations/{organisation_id}/audit`: the organisation's audit trail, for its
//! admins and auditors, filtered by actor, person and period; JSON pages or the whole match
//! as CSV.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};

use crate::auth::CurrentUser;
use crate::auth::access::{self, OrgAction};
use crate::error::{ApiError, ApiResult, ErrorCode, Problem};
use crate::http::pagination::PageQuery;
use crate::ids::OrganisationId;
use crate::state::AppState;
use crate::trust::audit::model::{self, AuditEvent, Filter};
use crate::trust::audit_log::types::{self, AuditEntry, AuditLog, AuditQuery};

/// Most events one CSV holds: a larger match asks for a shorter period.
const CSV_MAX: i64 = 50_000;

/// The organisation's audit trail
///
/// Admins of the organisation. Every read and change of its people's records (and its other
/// audited actions), newest first: who (account, name, role then), what, whose record, which
/// record, when, and the request id. Safeguarding concerns (who raised one about whom) show
/// only to admins who are safeguarding leads, as in a person's access log. `actor`, `person`, `from` and `to` narrow it. With
/// `Accept: text/csv`, every match (up to 50,000) as one CSV file; the export is itself
/// audited.
#[utoipa::path(
    operation_id = "getOrganisationAudit",
    tag = "audit",
    security(("bearer" = [])),
    params(("organisation_id" = uuid::Uuid, Path), AuditQuery),
    responses(
        (status = 200, description = "A page of events, or all of them as CSV", content(
            (AuditLog = "application/json"),
            (String = "text/csv"),
        )),
        (status = 400, description = "Bad filter, limit or cursor; a CSV of more than 50,000 events", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin of this organisation", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organisations/{organisation_id}/audit")]
pub async fn audit(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    path: web::Path<OrganisationId>,
    query: web::Query<AuditQuery>,
) -> ApiResult<HttpResponse> {
    let csv = crate::http::csv::wanted(&req);
    let answer = load(&state, &user, path.into_inner(), query.into_inner(), csv).await?;
    Ok(match answer {
        Audit::Page(log) => HttpResponse::Ok().json(log),
        Audit::Csv(text) => HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
            .insert_header((header::CACHE_CONTROL, "private, no-store"))
            .insert_header((
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"audit.csv\"",
            ))
            .body(text),
    })
}

/// A page of the trail, or all of it that matches as CSV (recorded as an export).
pub enum Audit {
    Page(AuditLog),
    Csv(String),
}

/// The trail, for the API and the console alike.
pub async fn load(
    state: &AppState,
    user: &CurrentUser,
    organisation: OrganisationId,
    query: AuditQuery,
    csv: bool,
) -> ApiResult<Audit> {
    let mut conn = state.conn().await?;
    let actor = user.check(&mut conn).await?;
    let org = access::organisation(&actor, organisation, OrgAction::ViewAudit)?;
    if let (Some(from), Some(to)) = (query.from, query.to)
        && from >= to
    {
        return Err(ApiError::new(ErrorCode::InvalidQueryParameter)
            .with_detail("`from` must be before `to`"));
    }
    let filter = Filter {
        actor: query.actor,
        person: query.person,
        from: query.from,
        to: query.to,
        hidden: crate::trust::audit_log::withheld_from(false, actor.safeguarding_lead),
    };
    if !csv {
        let page = PageQuery {
            limit: query.limit,
            cursor: query.cursor,
        }
        .page()?;
        let rows = model::for_organisation(&mut conn, &org, filter, page.after, page.fetch_limit())
            .await?;
        let (rows, next_cursor) = page.finish(rows, |r| r.id);
        return Ok(Audit::Page(AuditLog {
            items: rows.into_iter().map(AuditEntry::from).collect(),
            next_cursor,
        }));
    }
    let rows = model::for_organisation(&mut conn, &org, filter, None, CSV_MAX + 1).await?;
    if rows.len() as i64 > CSV_MAX {
        return Err(
            ApiError::new(ErrorCode::InvalidQueryParameter).with_detail(format!(
                "more than {CSV_MAX} events match; narrow the period with `from` and `to`"
            )),
        );
    }
    model::record(
        &mut conn,
        AuditEvent {
            organisation: Some(org.id()),
            actor: Some(actor.account_id),
            person: None,
            action: crate::trust::audit::Action::AuditExported,
            subject_type: "organisation",
            subject_id: Some(org.id().0),
            details: serde_json::json!({
                "rows": rows.len(),
                "actor": filter.actor,
                "person": filter.person,
            }),
        },
    )
    .await?;
    Ok(Audit::Csv(types::to_csv(&rows)))
}
