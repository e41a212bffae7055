//! `PUT /v1/people/{person_id}/profile`: save sections of the strengths profile.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, put, web};
use diesel_async::{AsyncConnection, RunQueryDsl};

use crate::auth::CurrentUser;
use crate::auth::access::{PersonAction, Relation};
use crate::error::{ApiError, ApiResult, Problem};
use crate::http::etag::{check_if_match, etag, if_match};
use crate::ids::PersonId;
use crate::plan::people::authorize;
use crate::plan::profiles::model::{self, NewEntry};
use crate::plan::profiles::types::{Profile, ProfileSection, SaveProfile};
use crate::state::AppState;

/// Save profile sections
///
/// Staff who work with the person and the person. Each named section gets a new version
/// (the old one stays in the history); sections not named are unchanged. Needs `If-Match`
/// with the profile's ETag, so a mentor and the person cannot overwrite each other unseen.
#[utoipa::path(
    operation_id = "saveProfile",
    tag = "profiles",
    security(("bearer" = [])),
    params(("person_id" = uuid::Uuid, Path), ("If-Match" = String, Header)),
    request_body = SaveProfile,
    responses(
        (status = 200, description = "The profile as saved", body = Profile, headers(("ETag" = String))),
        (status = 400, description = "Invalid sections", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Supporters cannot edit the profile", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Support has ended", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since your last read", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/people/{person_id}/profile")]
pub async fn update(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    path: web::Path<PersonId>,
    body: web::Json<SaveProfile>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let access = authorize(
        &mut conn,
        &user,
        path.into_inner(),
        PersonAction::EditProfile,
    )
    .await?;
    body.validate()?;
    let author_kind = match access.relation {
        Relation::Person => "person",
        Relation::Staff(_) => "staff",
        Relation::Supporter(_) => "supporter",
    };
    let scope = access.scope;
    let author = access.actor.account_id;
    let if_match = if_match(&req);
    let (rows, version) = conn
        .transaction(async move |conn| {
            // Serialise saves of one person's profile so the version check holds.
            diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext($1))")
                .bind::<diesel::sql_types::Text, _>(scope.id().person.0.to_string())
                .execute(conn)
                .await?;
            let version = model::version(conn, &scope).await?;
            check_if_match(if_match.as_deref(), version)?;
            let entries: Vec<NewEntry<'_>> = body
                .sections
                .iter()
                .map(|(section, text)| NewEntry {
                    section: *section,
                    body: &text.text,
                    lang: text.lang,
                })
                .collect();
            model::insert(conn, &scope, author, author_kind, &entries).await?;
            let person = scope.id().person.0;
            crate::trust::audit::model::changed(
                conn,
                &scope,
                author,
                crate::trust::audit::Action::ProfileUpdated,
                "person",
                person,
            )
            .await?;
            let rows = model::current(conn, &scope).await?;
            let version = model::version(conn, &scope).await?;
            Ok::<_, ApiError>((rows, version))
        })
        .await?;
    let mut sections: Vec<ProfileSection> = rows
        .into_iter()
        .map(|(row, name)| ProfileSection::from_row(row, name))
        .collect();
    sections.sort_by_key(|s| s.section);
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(version)))
        .json(Profile {
            person_id: scope.id().person.0,
            sections,
        }))
}
