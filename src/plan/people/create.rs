//! `POST /v1/people`: staff start supporting someone.

use actix_web::{HttpResponse, post, web};
use diesel_async::AsyncConnection;

use crate::auth::CurrentUser;
use crate::auth::access::{self, PersonAction, Relation};
use crate::auth::session::{self, PersonOf};
use crate::error::{ApiError, ApiResult, Problem, Validator};
use crate::http::etag::etag;
use crate::ids::PersonId;
use crate::plan::people::model::{self, NewPerson};
use crate::plan::people::types::{CreatePerson, Person, distinct_needs};
use crate::state::AppState;
use crate::trust::audit::model::{self as audit, AuditEvent};

/// Create a person
///
/// Admins and coordinators of a provider. The person belongs to the caller's organisation.
#[utoipa::path(
    operation_id = "createPerson",
    tag = "people",
    security(("bearer" = [])),
    request_body = CreatePerson,
    responses(
        (status = 201, description = "Created", body = Person, headers(("ETag" = String))),
        (status = 400, description = "Invalid fields, or a mentor who is not staff here", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin or coordinator of a provider", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Commissioners never reach person-level data", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/people")]
pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<CreatePerson>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let token = user;
    let user = token.check(&mut conn).await?;
    let org = access::people_of_organisation(&user, true)?;
    body.validate()?;
    let body = body.into_inner();
    let mut mentor_ids = body.mentor_ids.clone();
    mentor_ids.sort();
    mentor_ids.dedup();
    let staff = model::staff_among(&mut conn, org.id(), &mentor_ids).await?;
    if staff.len() != mentor_ids.len() {
        let mut v = Validator::new();
        v.add(
            "/mentor_ids",
            "not_staff",
            "every mentor must be active staff of this organisation",
        );
        v.finish()?;
    }
    let new = NewPerson {
        id: PersonId::new().0,
        organisation_id: org.id().0,
        preferred_name: body.preferred_name,
        legal_name: body.legal_name,
        date_of_birth: body.date_of_birth,
        gender: body.gender,
        pronouns: body.pronouns,
        preferred_language: body.preferred_language,
        welsh_offered: body.welsh_offered,
        welsh_accepted: body.welsh_accepted,
        communication_needs: distinct_needs(&body.communication_needs),
        service_type: body.service_type,
        support_started_on: body.support_started_on,
    };
    let actor = user.clone();
    let row = conn
        .transaction(async move |conn| {
            let row = model::insert(conn, &new).await?;
            let person = PersonId(row.id);
            let access = session::authorize(
                conn,
                &token,
                PersonOf::Person(person),
                PersonAction::AssignMentors,
            )
            .await?;
            model::set_mentors(conn, &access.scope, &mentor_ids, actor.account_id).await?;
            audit::record(
                conn,
                AuditEvent {
                    organisation: actor.organisation_id(),
                    person: Some(person),
                    actor: Some(actor.account_id),
                    action: crate::trust::audit::Action::PersonCreated,
                    subject_type: "person",
                    subject_id: Some(row.id),
                    details: serde_json::json!({ "mentor_ids": mentor_ids }),
                },
            )
            .await?;
            Ok::<_, ApiError>(row)
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((actix_web::http::header::ETAG, etag(row.version)))
        .json(Person::shown(row, Relation::Staff(user.role))))
}
