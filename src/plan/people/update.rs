//! `PATCH /v1/people/{person_id}`: change a person's record, or end their support.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, patch, web};
use diesel_async::AsyncConnection;

use crate::auth::access::{self, PersonAction, Relation};
use crate::auth::session::{self, PersonOf};
use crate::auth::{CurrentUser, Role};
use crate::error::{ApiError, ApiResult, ErrorCode, Problem, Validator};
use crate::http::etag::{etag, require_if_match};
use crate::ids::PersonId;
use crate::plan::people::model::{self, PersonChanges};
use crate::plan::people::types::{Person, UpdatePerson, distinct_needs};
use crate::state::AppState;
use crate::trust::audit::model::{self as audit, AuditEvent};

/// Update a person
///
/// Admins and coordinators change anything, including ending support (`support_ended_on`),
/// which makes the record read-only. Assigned mentors change the basic record; the person
/// changes their own preferences (name, pronouns, language, communication needs). Needs
/// `If-Match`.
#[utoipa::path(
    operation_id = "updatePerson",
    tag = "people",
    security(("bearer" = [])),
    params(("person_id" = uuid::Uuid, Path), ("If-Match" = String, Header)),
    request_body = UpdatePerson,
    responses(
        (status = 200, description = "Updated", body = Person, headers(("ETag" = String))),
        (status = 400, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A field you may not change", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Support has ended (`support_ended`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since your last read", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/people/{person_id}")]
pub async fn update(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    path: web::Path<PersonId>,
    body: web::Json<UpdatePerson>,
) -> ApiResult<HttpResponse> {
    let person = path.into_inner();
    let mut conn = state.conn().await?;
    let (actor, facts) = session::facts(&mut conn, &user, PersonOf::Person(person)).await?;
    let action = if actor.role == Role::Person {
        PersonAction::EditPreferences
    } else {
        PersonAction::EditRecord
    };
    let access = access::person(actor, facts, action)?;
    body.validate()?;
    let forbidden = match access.relation {
        Relation::Staff(Role::Admin | Role::Coordinator) => false,
        Relation::Staff(_) => body.touches_sensitive(),
        _ => body.touches_more_than_preferences(),
    };
    if forbidden {
        return Err(ApiError::forbidden().with_detail("you may not change some of these fields"));
    }
    let current = model::find(&mut conn, &access.scope)
        .await?
        .ok_or_else(ApiError::not_found)?;
    require_if_match(&req, current.version)?;
    let offered = body.welsh_offered.unwrap_or(current.welsh_offered);
    let accepted = body.welsh_accepted.unwrap_or(current.welsh_accepted);
    if accepted == Some(true) && !offered {
        let mut v = Validator::new();
        v.add(
            "/welsh_accepted",
            "not_offered",
            "Welsh cannot be accepted unless offered",
        );
        v.finish()?;
    }
    let body = body.into_inner();
    let changes = PersonChanges {
        preferred_name: body.preferred_name,
        legal_name: body.legal_name,
        date_of_birth: body.date_of_birth,
        gender: body.gender,
        pronouns: body.pronouns,
        preferred_language: body.preferred_language,
        welsh_offered: body.welsh_offered,
        welsh_accepted: body.welsh_accepted,
        communication_needs: body.communication_needs.as_deref().map(distinct_needs),
        service_type: body.service_type,
        support_started_on: body.support_started_on,
        support_ended_on: body.support_ended_on,
    };
    let ending = changes.support_ended_on.is_some();
    let scope = access.scope;
    let actor = access.actor.account_id;
    let organisation = scope.id().organisation;
    let row = conn
        .transaction(async move |conn| {
            let row = model::update(conn, &scope, current.version, &changes)
                .await
                .map_err(|e| match e {
                    diesel::result::Error::DatabaseError(
                        diesel::result::DatabaseErrorKind::CheckViolation,
                        _,
                    ) => ApiError::new(ErrorCode::ValidationFailed)
                        .with_detail("support cannot end before it started"),
                    e => e.into(),
                })?
                .ok_or_else(|| ApiError::new(ErrorCode::PreconditionFailed))?;
            audit::record(
                conn,
                AuditEvent {
                    organisation: Some(organisation),
                    person: Some(scope.id().person),
                    actor: Some(actor),
                    action: if ending {
                        crate::trust::audit::Action::PersonSupportDatesChanged
                    } else {
                        crate::trust::audit::Action::PersonUpdated
                    },
                    subject_type: "person",
                    subject_id: Some(row.id),
                    details: serde_json::json!({}),
                },
            )
            .await?;
            Ok::<_, ApiError>(row)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(row.version)))
        .json(Person::shown(row, access.relation)))
}
