//! `GET /v1/organisations/{organisation_id}/reports/outcomes`.

use actix_web::{HttpRequest, HttpResponse, get, web};

use crate::auth::CurrentUser;
use crate::auth::access::{self, OrgAction};
use crate::error::{ApiResult, Problem};
use crate::fields::Lang;
use crate::ids::OrganisationId;
use crate::outcomes::kpis::figures::Window;
use crate::outcomes::reports::build::{self, Request};
use crate::outcomes::reports::types::{OutcomeReport, ReportQuery};
use crate::state::AppState;

/// A provider's own outcome report
///
/// The provider's admins: the report a commissioner would see, for this organisation alone,
/// under the same disclosure control (so it can be shared as it is). JSON, or CSV with
/// `Accept: text/csv`; labels follow `Accept-Language`.
#[utoipa::path(
    operation_id = "getOrganisationOutcomeReport",
    tag = "reports",
    security(("bearer" = [])),
    params(
        ("organisation_id" = uuid::Uuid, Path),
        ReportQuery,
        ("Accept-Language" = Option<String>, Header, example = "cy"),
    ),
    responses(
        (status = 200, description = "The report", content(
            (OutcomeReport = "application/json"),
            (String = "text/csv"),
        )),
        (status = 400, description = "Malformed dates or ids; a bad period or breakdown", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin of this provider", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A framework the organisation may not use", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "The account's reports for today are spent, or another of its reports is being built (`Retry-After`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organisations/{organisation_id}/reports/outcomes")]
pub async fn outcomes(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    path: web::Path<OrganisationId>,
    query: web::Query<ReportQuery>,
) -> ApiResult<HttpResponse> {
    let lang = Lang::from_request(&req);
    let mut conn = state.conn().await?;
    let actor = user.check(&mut conn).await?;
    let org = access::organisation(&actor, path.into_inner(), OrgAction::ViewOwnReport)?;
    let breakdowns = query.validate()?;
    let framework = build::framework(&mut conn, org.id().0, query.framework).await?;
    let name = crate::identity::organisations::model::name(&mut conn, &org).await?;
    let window = Window {
        organisation: org.id().0,
        from: query.from,
        to: query.to,
    };
    let threshold =
        crate::identity::organisations::model::report_threshold(&mut conn, &org).await?;
    let report = build::build_for(
        conn,
        &state,
        actor.account_id,
        Request {
            framework,
            from: query.from,
            to: query.to,
            breakdowns,
            threshold,
            providers: vec![(window, name)],
            lang,
        },
    )
    .await?;
    Ok(build::respond(&req, &report))
}
