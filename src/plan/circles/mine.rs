//! `GET /v1/me/circles`: the circles a supporter belongs to, so a supporter signing in on a new
//! phone finds the people whose progress they follow.

use actix_web::{get, web};

use crate::auth::CurrentUser;
use crate::error::{ApiResult, Problem};
use crate::http::pagination::PageQuery;
use crate::plan::circles::model;
use crate::plan::circles::types::{MyCircle, MyCircleList};
use crate::state::AppState;

/// List my circles
///
/// The circles the signed-in account is a current member of, with the person's preferred
/// name and the grants they gave. Empty for anyone who is not a supporter.
#[utoipa::path(
    operation_id = "listMyCircles",
    tag = "circles",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of circles, oldest membership first", body = MyCircleList),
        (status = 400, description = "Bad limit or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/circles")]
pub async fn mine(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<PageQuery>,
) -> ApiResult<web::Json<MyCircleList>> {
    let page = query.page()?;
    let mut conn = state.conn().await?;
    let actor = user.check(&mut conn).await?;
    let rows = model::of_account(&mut conn, actor.account_id, page).await?;
    let (rows, next_cursor) = page.finish(rows, |r| r.member_id);
    Ok(web::Json(MyCircleList {
        items: rows.into_iter().map(MyCircle::from).collect(),
        next_cursor,
    }))
}
