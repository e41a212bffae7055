//! `POST /v1/people/{person_id}/goals`: a goal in the person's own words.

use actix_web::http::header;
use actix_web::{HttpResponse, post, web};
use diesel_async::AsyncConnection;

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::error::{ApiError, ApiResult, Problem, Validator};
use crate::http::etag::etag;
use crate::ids::{GoalId, PersonId};
use crate::plan::goals::model::{self, NewGoal};
use crate::plan::goals::types::{CreateGoal, Goal};
use crate::plan::people::authorize;
use crate::plan::scales::model as scales;
use crate::social::activity::{self, ActivityKind, Subject};
use crate::state::AppState;

/// Create a goal
///
/// Staff who work with the person, and the person. The goal starts `active`.
#[utoipa::path(
    operation_id = "createGoal",
    tag = "goals",
    security(("bearer" = [])),
    params(("person_id" = uuid::Uuid, Path)),
    request_body = CreateGoal,
    responses(
        (status = 201, description = "Created", body = Goal, headers(("ETag" = String))),
        (status = 400, description = "Invalid fields or unknown scale", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Supporters cannot create goals", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Support has ended", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/people/{person_id}/goals")]
pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<PersonId>,
    body: web::Json<CreateGoal>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let access = authorize(&mut conn, &user, path.into_inner(), PersonAction::EditGoals).await?;
    body.validate()?;
    let Some(scale) = scales::by_code_or_default(&mut conn, body.scale.as_deref()).await? else {
        let mut v = Validator::new();
        v.add("/scale", "unknown_scale", "no scale has this code");
        return v.finish().map(|()| HttpResponse::BadRequest().finish());
    };
    let scope = access.scope;
    let author = access.actor.account_id;
    let (row, history) = conn
        .transaction(async move |conn| {
            let row = model::insert(
                conn,
                &scope,
                author,
                &NewGoal {
                    title: &body.title,
                    why_it_matters: body.why_it_matters.as_deref(),
                    lang: body.lang.as_str(),
                    target_date: body.target_date,
                    scale_id: scale.id,
                },
            )
            .await?;
            let subject = Subject {
                goal: Some(row.id),
                ..Subject::default()
            };
            activity::record(conn, &scope, author, ActivityKind::GoalSet, subject).await?;
            crate::trust::audit::model::changed(
                conn,
                &scope,
                author,
                crate::trust::audit::Action::GoalCreated,
                "goal",
                row.id,
            )
            .await?;
            let history = model::status_history(conn, &scope, GoalId(row.id)).await?;
            Ok::<_, ApiError>((row, history))
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::ETAG, etag(row.version)))
        .json(Goal::from_row(row, Some(history))))
}
