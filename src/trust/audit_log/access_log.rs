//! `GET /v1/people/{person_id}/access-log`: who viewed or changed the person's record.

use actix_web::{HttpRequest, get, web};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl};
use diesel_async::RunQueryDsl;

use crate::auth::CurrentUser;
use crate::auth::access::{PersonAction, Relation};
use crate::db::schema::people;
use crate::error::{ApiResult, Problem};
use crate::fields::Lang;
use crate::http::pagination::PageQuery;
use crate::ids::PersonId;
use crate::state::AppState;
use crate::trust::audit::model;
use crate::trust::audit_log::types::{AccessLog, AccessLogEntry};

/// The person's access log
///
/// Every view and change of the person's record, newest first, each with who did it (their
/// role then) and a sentence in plain words in the language of `Accept-Language`. The
/// person, and their organisation's admins and coordinators. Safeguarding concerns show only
/// to safeguarding leads; the person's own log also leaves out holds and erasure requests.
#[utoipa::path(
    operation_id = "getAccessLog",
    tag = "audit",
    security(("bearer" = [])),
    params(
        ("person_id" = uuid::Uuid, Path),
        PageQuery,
        ("Accept-Language" = Option<String>, Header, example = "cy"),
    ),
    responses(
        (status = 200, description = "A page of the log, newest first", body = AccessLog),
        (status = 400, description = "Bad limit or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Mentors and supporters do not read the access log", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/people/{person_id}/access-log")]
pub async fn access_log(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    path: web::Path<PersonId>,
    query: web::Query<PageQuery>,
) -> ApiResult<web::Json<AccessLog>> {
    let lang = Lang::from_request(&req);
    let mut conn = state.conn().await?;
    let person = path.into_inner();
    let access = crate::auth::session::authorize(
        &mut conn,
        &user,
        crate::auth::session::PersonOf::Person(person),
        PersonAction::ViewAccessLog,
    )
    .await?;
    let page = query.page()?;
    let hidden = crate::trust::audit_log::withheld_from(
        matches!(access.relation, Relation::Person),
        access.actor.safeguarding_lead,
    );
    let person_account: Option<uuid::Uuid> = people::table
        .filter(people::id.eq(access.scope.id().person))
        .select(people::account_id)
        .first::<Option<uuid::Uuid>>(&mut conn)
        .await
        .optional()?
        .flatten();
    let rows = model::for_person(
        &mut conn,
        &access.scope,
        hidden,
        page.after,
        page.fetch_limit(),
    )
    .await?;
    let (rows, next_cursor) = page.finish(rows, |r| r.id);
    Ok(web::Json(AccessLog {
        items: rows
            .into_iter()
            .map(|r| AccessLogEntry::from_row(r, person_account, lang))
            .collect(),
        next_cursor,
    }))
}
