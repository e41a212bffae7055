//! `POST /v1/people/{person_id}/consents`: a decision, replacing the current one for its
//! purpose.

use actix_web::http::header;
use actix_web::{HttpResponse, post, web};
use diesel_async::AsyncConnection;

use crate::auth::CurrentUser;
use crate::auth::access::{PersonAction, Relation};
use crate::error::{ApiError, ApiResult, Problem, Validator};
use crate::ids::PersonId;
use crate::plan::people::authorize;
use crate::state::AppState;
use crate::trust::consents::model::{self, NewConsent};
use crate::trust::consents::types::{Consent, Decision, GivenBy, RecordConsent};

/// Record a consent decision
///
/// The person, or an admin or coordinator recording who decided and how: the person, a
/// parent, an appointee, or staff in the person's best interests. A person records only
/// their own decisions. The decision replaces the current one for the purpose (kept as
/// history) and applies from the next request: a refusal hides what it covers at once.
#[utoipa::path(
    operation_id = "recordConsent",
    tag = "consents",
    security(("bearer" = [])),
    params(("person_id" = uuid::Uuid, Path)),
    request_body = RecordConsent,
    responses(
        (status = 201, description = "Recorded", body = Consent),
        (status = 400, description = "Invalid fields; an audience not of the purpose; a person recording for someone else", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Mentors and supporters do not record consents", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another decision for this purpose was recorded at the same moment; read and retry", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/people/{person_id}/consents")]
pub async fn record(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<PersonId>,
    body: web::Json<RecordConsent>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let person = path.into_inner();
    let access = authorize(&mut conn, &user, person, PersonAction::EditConsents).await?;
    let audience = body.validate()?;
    if access.relation == Relation::Person && body.given_by != GivenBy::Person {
        let mut v = Validator::new();
        v.add(
            "/given_by",
            "given_by_not_allowed",
            "a person records their own decisions; staff record others'",
        );
        v.finish()?;
    }
    let scope = access.scope;
    let by = access.actor.account_id;
    let new = NewConsent {
        purpose: body.purpose,
        audience,
        decision: body.decision,
        given_by: body.given_by,
        wording_version: body.wording_version.trim(),
        recorded_by: by,
    };
    let id = conn
        .transaction(async |conn| {
            let id = model::record(conn, &scope, &new).await?;
            let action = match new.decision {
                Decision::Given => crate::trust::audit::Action::ConsentGiven,
                Decision::Refused => crate::trust::audit::Action::ConsentRefused,
            };
            crate::trust::audit::model::changed(conn, &scope, by, action, "consent", id.0).await?;
            Ok::<_, ApiError>(id)
        })
        .await?;
    let row = model::list(&mut conn, &scope, Some(id))
        .await?
        .pop()
        .ok_or_else(|| ApiError::internal("a consent vanished after it was recorded"))?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/v1/people/{}/consents", person.0),
        ))
        .json(Consent::from_row(row)))
}
