//! `GET /v1/scales`.

use actix_web::{HttpRequest, get, web};

use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::fields::Lang;
use crate::plan::scales::model;
use crate::plan::scales::types::{Scale, ScaleList};
use crate::state::AppState;

/// List rating scales
///
/// Any signed-in account. Labels follow `Accept-Language` (`cy` or `en`); each label says
/// which language it is in, since not every Welsh text exists yet.
#[utoipa::path(
    operation_id = "listScales",
    tag = "reviews",
    security(("bearer" = [])),
    params(("Accept-Language" = Option<String>, Header, example = "cy")),
    responses(
        (status = 200, description = "Every scale", body = ScaleList),
    )
)]
#[get("/scales")]
pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
) -> ApiResult<web::Json<ScaleList>> {
    let lang = Lang::from_request(&req);
    let mut conn = state.conn().await?;
    user.check(&mut conn).await?;
    let rows = model::all(&mut conn).await?;
    Ok(web::Json(ScaleList {
        items: rows
            .into_iter()
            .map(|r| Scale::localised(r, lang))
            .collect(),
    }))
}
