//! `POST /v1/people/{person_id}/exports`.

use actix_web::http::header;
use actix_web::{HttpResponse, post, web};

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use diesel_async::AsyncConnection;

use crate::error::{ApiError, ApiResult, Problem};
use crate::ids::PersonId;
use crate::plan::people::authorize;
use crate::state::AppState;
use crate::trust::exports::types::Export;
use crate::trust::exports::{build, model};

/// Ask for a copy of everything held
///
/// The person, or an admin for them. Starts a job and answers 202 at once; poll
/// `GET /v1/exports/{id}` until `status` is `ready`, then fetch the ZIP there with
/// `Accept: application/zip`. The ZIP holds `record.json` (every row about the person; what
/// is withheld, such as safeguarding concerns, is named under `withheld`), `summary.md`
/// (their plan and stories in their language) and their photos; it is kept a week. While one
/// is being built, asking again answers it, and for a day after one is ready, asking again
/// answers that one (`status: ready`). At most 3 are built per person a day (429
/// `rate_limited`). Asking and downloading are audited.
#[utoipa::path(
    operation_id = "requestExport",
    tag = "data rights",
    security(("bearer" = [])),
    params(("person_id" = uuid::Uuid, Path)),
    responses(
        (status = 202, description = "Started", body = Export, headers(("Location" = String))),
        (status = 403, description = "Neither the person nor an admin", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Exports built for this person today are spent", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/people/{person_id}/exports")]
pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<PersonId>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let person = path.into_inner();
    let access = authorize(&mut conn, &user, person, PersonAction::RequestExport).await?;
    // One job per person at a time (and in the database): a retry after a lost answer, or
    // a second tap, gets the job already running, and for a day the one already made. A new
    // one spends one of the person's few a day (each reads every photo of theirs). Decided
    // under a lock on the person, so taps at the same moment find the one the first made and
    // spend nothing.
    let scope = access.scope;
    let by = access.actor.account_id;
    let (row, new) = conn
        .transaction(async |conn| {
            model::lock_person(conn, &scope).await?;
            if let Some(current) = model::current(conn, &scope).await? {
                return Ok::<_, ApiError>((current, false));
            }
            crate::platform::quotas::take(
                conn,
                &state.config.quotas,
                crate::platform::quotas::Quota::Exports(scope.id().person.0),
            )
            .await?;
            Ok((model::insert(conn, &scope, by).await?, true))
        })
        .await?;
    if new {
        actix_web::rt::spawn(build::run(state.clone(), row.id, scope));
    }
    drop(conn);
    Ok(HttpResponse::Accepted()
        .insert_header((header::LOCATION, format!("/v1/exports/{}", row.id)))
        .json(Export::from(row)))
}
