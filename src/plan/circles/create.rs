//! `POST /v1/people/{person_id}/circle`: add someone to the circle of support.

use actix_web::{HttpResponse, post, web};
use diesel_async::AsyncConnection;

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::error::{ApiError, ApiResult, Problem};
use crate::http::etag::etag;
use crate::ids::PersonId;
use crate::plan::circles::model;
use crate::plan::circles::types::{CreateMember, Member};
use crate::plan::people::authorize;
use crate::state::AppState;
use crate::trust::audit::model::{self as audit, AuditEvent};

/// Add a circle member
///
/// The person, or staff who work with them (recorded as acting on the person's behalf in the
/// audit trail). Grants default to nothing.
#[utoipa::path(
    operation_id = "addCircleMember",
    tag = "circles",
    security(("bearer" = [])),
    params(("person_id" = uuid::Uuid, Path)),
    request_body = CreateMember,
    responses(
        (status = 201, description = "Added", body = Member, headers(("ETag" = String))),
        (status = 400, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Supporters cannot change the circle", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Support has ended", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/people/{person_id}/circle")]
pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<PersonId>,
    body: web::Json<CreateMember>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let access = authorize(
        &mut conn,
        &user,
        path.into_inner(),
        PersonAction::EditCircle,
    )
    .await?;
    body.validate()?;
    let fields = body.into_inner().into_fields();
    let scope = access.scope;
    let actor = access.actor.account_id;
    let row = conn
        .transaction(async move |conn| {
            let row = model::insert(conn, &scope, &fields).await?;
            audit::record(
                conn,
                AuditEvent {
                    organisation: Some(scope.id().organisation),
                    person: Some(scope.id().person),
                    actor: Some(actor),
                    action: crate::trust::audit::Action::CircleMemberAdded,
                    subject_type: "circle_member",
                    subject_id: Some(row.id),
                    details: serde_json::json!({ "person_id": scope.id().person }),
                },
            )
            .await?;
            Ok::<_, ApiError>(row)
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((actix_web::http::header::ETAG, etag(row.version)))
        .json(Member::from(row)))
}
