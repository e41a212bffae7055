//! `GET /v1/frameworks/{framework_id}`.

use actix_web::{HttpRequest, get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, Problem};
use crate::fields::Lang;
use crate::outcomes::frameworks::model;
use crate::outcomes::frameworks::types::{
    Framework, FrameworkSummary, FrameworkVersion, OutcomeArea,
};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VersionQuery {
    /// A version of the framework (its id); by default the one in force today.
    pub version: Option<uuid::Uuid>,
}

/// An outcome framework with its areas and statements
///
/// Any signed-in account, for the service's frameworks and their organisation's own. Labels
/// follow `Accept-Language`, each saying which language it is in.
#[utoipa::path(
    operation_id = "getFramework",
    tag = "frameworks",
    security(("bearer" = [])),
    params(
        ("framework_id" = uuid::Uuid, Path),
        VersionQuery,
        ("Accept-Language" = Option<String>, Header, example = "cy"),
    ),
    responses(
        (status = 200, description = "The framework", body = Framework),
        (status = 400, description = "Bad version id", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such framework or version, or not one you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/frameworks/{framework_id}")]
pub async fn get(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    path: web::Path<uuid::Uuid>,
    query: web::Query<VersionQuery>,
) -> ApiResult<web::Json<Framework>> {
    let lang = Lang::from_request(&req);
    let mut conn = state.conn().await?;
    let actor = user.check(&mut conn).await?;
    let organisation = actor.organisation_id().map(|o| o.0);
    let row = model::find_visible(&mut conn, path.into_inner(), organisation)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let versions = model::versions_of(&mut conn, &[row.id]).await?;
    let today = crate::fields::today();
    let chosen = match query.version {
        Some(id) => versions.iter().find(|v| v.id == id),
        None => versions
            .iter()
            .rev()
            .find(|v| v.in_force_on(today))
            .or(versions.last()),
    }
    .cloned()
    .ok_or_else(ApiError::not_found)?;
    let (areas, statements) = model::contents(&mut conn, chosen.id).await?;
    Ok(web::Json(Framework {
        summary: FrameworkSummary::localised(row, versions, lang),
        version: FrameworkVersion::from(chosen),
        areas: areas
            .into_iter()
            .map(|a| OutcomeArea::localised(a, &statements, lang))
            .collect(),
    }))
}
