//! `GET /v1/frameworks`.

use actix_web::{HttpRequest, get, web};

use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::fields::Lang;
use crate::outcomes::frameworks::model;
use crate::outcomes::frameworks::types::{FrameworkList, FrameworkSummary};
use crate::state::AppState;

/// List outcome frameworks
///
/// Any signed-in account: the service's frameworks (read-only) and the caller's organisation's
/// own, each with its versions. Labels follow `Accept-Language` (`cy` or `en`); each says
/// which language it is in, since not every Welsh text exists.
#[utoipa::path(
    operation_id = "listFrameworks",
    tag = "frameworks",
    security(("bearer" = [])),
    params(("Accept-Language" = Option<String>, Header, example = "cy")),
    responses(
        (status = 200, description = "The frameworks", body = FrameworkList),
    )
)]
#[get("/frameworks")]
pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
) -> ApiResult<web::Json<FrameworkList>> {
    let lang = Lang::from_request(&req);
    load(&state, &user, lang).await.map(web::Json)
}

/// The frameworks the caller's organisation may use, for the API and the console alike.
pub async fn load(state: &AppState, user: &CurrentUser, lang: Lang) -> ApiResult<FrameworkList> {
    let mut conn = state.conn().await?;
    let actor = user.check(&mut conn).await?;
    let organisation = actor.organisation_id().map(|o| o.0);
    let rows = model::visible(&mut conn, organisation).await?;
    let ids: Vec<uuid::Uuid> = rows.iter().map(|r| r.id).collect();
    let mut versions = model::versions_of(&mut conn, &ids).await?;
    Ok(FrameworkList {
        items: rows
            .into_iter()
            .map(|row| {
                let (own, rest) = versions.drain(..).partition(|v| v.framework_id == row.id);
                versions = rest;
                FrameworkSummary::localised(row, own, lang)
            })
            .collect(),
    })
}
