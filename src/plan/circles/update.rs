//! `PATCH /v1/circle-members/{member_id}`: change a member's details or grants.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, patch, web};
use diesel_async::AsyncConnection;

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::error::{ApiError, ApiResult, ErrorCode, Problem};
use crate::http::etag::{etag, require_if_match};
use crate::ids::CircleMemberId;
use crate::plan::circles::types::{Member, UpdateMember};
use crate::plan::circles::{authorize_member, model};
use crate::state::AppState;
use crate::trust::audit::model::{self as audit, AuditEvent};

/// Update a circle member
///
/// The person, or staff who work with them. A grant taken away applies to the supporter's
/// very next request. Needs `If-Match`.
#[utoipa::path(
    operation_id = "updateCircleMember",
    tag = "circles",
    security(("bearer" = [])),
    params(("member_id" = uuid::Uuid, Path), ("If-Match" = String, Header)),
    request_body = UpdateMember,
    responses(
        (status = 200, description = "Updated", body = Member, headers(("ETag" = String))),
        (status = 400, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Supporters cannot change the circle", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Support has ended", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since your last read", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/circle-members/{member_id}")]
pub async fn update(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    path: web::Path<CircleMemberId>,
    body: web::Json<UpdateMember>,
) -> ApiResult<HttpResponse> {
    let member = path.into_inner();
    let mut conn = state.conn().await?;
    let access = authorize_member(&mut conn, &user, member, PersonAction::EditCircle).await?;
    body.validate()?;
    let current = model::find(&mut conn, &access.scope, member)
        .await?
        .ok_or_else(ApiError::not_found)?;
    require_if_match(&req, current.version)?;
    let fields = body.into_inner().into_fields();
    let scope = access.scope;
    let actor = access.actor.account_id;
    let row = conn
        .transaction(async move |conn| {
            let row = model::update(conn, &scope, member, current.version, &fields)
                .await?
                .ok_or_else(|| ApiError::new(ErrorCode::PreconditionFailed))?;
            audit::record(
                conn,
                AuditEvent {
                    organisation: Some(scope.id().organisation),
                    person: Some(scope.id().person),
                    actor: Some(actor),
                    action: crate::trust::audit::Action::CircleMemberUpdated,
                    subject_type: "circle_member",
                    subject_id: Some(row.id),
                    details: serde_json::json!({
                        "grants": [row.can_see_profile, row.can_see_goals, row.can_see_stories,
                                   row.can_see_reviews, row.can_encourage, row.can_contribute],
                    }),
                },
            )
            .await?;
            Ok::<_, ApiError>(row)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(row.version)))
        .json(Member::from(row)))
}
