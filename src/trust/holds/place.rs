//! `POST /v1/people/{person_id}/holds`.

use actix_web::{HttpResponse, post, web};
use diesel_async::AsyncConnection;

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::error::{ApiError, ApiResult, Problem};
use crate::ids::PersonId;
use crate::plan::people::authorize;
use crate::state::AppState;
use crate::trust::holds::model;
use crate::trust::holds::types::{Hold, PlaceHold};

/// Place a hold
///
/// Admins. From now until it is lifted, the person's record cannot be erased (409
/// `legal_hold`), by hand or by retention.
#[utoipa::path(
    operation_id = "placeHold",
    tag = "data rights",
    security(("bearer" = [])),
    params(("person_id" = uuid::Uuid, Path)),
    request_body = PlaceHold,
    responses(
        (status = 201, description = "Placed", body = Hold),
        (status = 400, description = "Unknown reason", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/people/{person_id}/holds")]
pub async fn place(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<PersonId>,
    body: web::Json<PlaceHold>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let person = path.into_inner();
    let access = authorize(&mut conn, &user, person, PersonAction::ManageHolds).await?;
    let (scope, by) = (access.scope, access.actor.account_id);
    let row = conn
        .transaction(async |conn| {
            let row = model::place(conn, &scope, body.reason, by).await?;
            crate::trust::audit::model::changed(
                conn,
                &scope,
                by,
                crate::trust::audit::Action::HoldPlaced,
                "legal_hold",
                row.id,
            )
            .await?;
            Ok::<_, ApiError>(row)
        })
        .await?;
    Ok(HttpResponse::Created().json(Hold::from(row)))
}
