//! `PUT /v1/people/{person_id}/mentors`: (re)assign a person's mentors.

use actix_web::{put, web};
use diesel_async::AsyncConnection;

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::error::{ApiError, ApiResult, Problem, Validator};
use crate::ids::PersonId;
use crate::plan::people::types::{Mentor, MentorList, SetMentors};
use crate::plan::people::{authorize, model};
use crate::state::AppState;
use crate::trust::audit::model::{self as audit, AuditEvent};

/// Assign mentors
///
/// Admins and coordinators. Replaces the whole set; a mentor taken off loses access to the
/// person on their very next request.
#[utoipa::path(
    operation_id = "assignMentors",
    tag = "people",
    security(("bearer" = [])),
    params(("person_id" = uuid::Uuid, Path)),
    request_body = SetMentors,
    responses(
        (status = 200, description = "The mentors now assigned", body = MentorList),
        (status = 400, description = "Someone who is not active staff here", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin or coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Support has ended", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/people/{person_id}/mentors")]
pub async fn assign_mentors(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<PersonId>,
    body: web::Json<SetMentors>,
) -> ApiResult<web::Json<MentorList>> {
    let mut conn = state.conn().await?;
    let access = authorize(
        &mut conn,
        &user,
        path.into_inner(),
        PersonAction::AssignMentors,
    )
    .await?;
    let mut ids = body.into_inner().mentor_ids;
    ids.sort();
    ids.dedup();
    let scope = access.scope;
    let staff = model::staff_among(&mut conn, scope.id().organisation, &ids).await?;
    if staff.len() != ids.len() || ids.len() > 20 {
        let mut v = Validator::new();
        v.add(
            "/mentor_ids",
            "not_staff",
            "at most 20, each active staff of this organisation",
        );
        v.finish()?;
    }
    let actor = access.actor.account_id;
    let rows = conn
        .transaction(async move |conn| {
            model::set_mentors(conn, &scope, &ids, actor).await?;
            audit::record(
                conn,
                AuditEvent {
                    organisation: Some(scope.id().organisation),
                    person: Some(scope.id().person),
                    actor: Some(actor),
                    action: crate::trust::audit::Action::PersonMentorsAssigned,
                    subject_type: "person",
                    subject_id: Some(scope.id().person.0),
                    details: serde_json::json!({ "mentor_ids": ids }),
                },
            )
            .await?;
            Ok::<_, ApiError>(model::mentors(conn, &scope).await?)
        })
        .await?;
    Ok(web::Json(MentorList {
        items: rows
            .into_iter()
            .map(|(id, name)| Mentor { id, name })
            .collect(),
    }))
}
