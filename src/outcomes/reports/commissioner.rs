//! `GET /v1/commissioners/{commissioner_id}/reports/outcomes`.

use actix_web::{HttpRequest, HttpResponse, get, web};

use crate::auth::CurrentUser;
use crate::auth::access::{self, OrgAction};
use crate::error::{ApiResult, Problem};
use crate::fields::Lang;
use crate::ids::OrganisationId;
use crate::outcomes::reports::build::{self, Request};
use crate::outcomes::reports::types::{OutcomeReport, ReportQuery};
use crate::state::AppState;

/// A commissioner's outcome report
///
/// The commissioning body's commissioners and admins. Aggregate figures per outcome area of a
/// framework over the period, across the providers the body holds contracts with, each over the
/// part of the period its contract covers (a contract that ended adds nothing after its end).
/// Every count is disclosure-controlled (`null`: suppressed) and the definitions are at
/// `GET /v1/kpis`. JSON, or CSV with `Accept: text/csv`; labels follow `Accept-Language`.
#[utoipa::path(
    operation_id = "getCommissionerOutcomeReport",
    tag = "reports",
    security(("bearer" = [])),
    params(
        ("commissioner_id" = uuid::Uuid, Path, description = "The commissioning body"),
        ReportQuery,
        ("Accept-Language" = Option<String>, Header, example = "cy"),
    ),
    responses(
        (status = 200, description = "The report", content(
            (OutcomeReport = "application/json"),
            (String = "text/csv"),
        )),
        (status = 400, description = "Malformed dates or ids; a bad period or breakdown", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a commissioner or admin of this body", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such commissioning body, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A framework the body may not use", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "The account's reports for today are spent, or another of its reports is being built (`Retry-After`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/commissioners/{commissioner_id}/reports/outcomes")]
pub async fn outcomes(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    path: web::Path<OrganisationId>,
    query: web::Query<ReportQuery>,
) -> ApiResult<HttpResponse> {
    let lang = Lang::from_request(&req);
    let report = load(&state, &user, lang, path.into_inner(), &query).await?;
    Ok(build::respond(&req, &report))
}

/// The report, for the API and the console alike.
pub async fn load(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    lang: Lang,
    body: OrganisationId,
    query: &ReportQuery,
) -> ApiResult<OutcomeReport> {
    let mut conn = state.conn().await?;
    let actor = user.check(&mut conn).await?;
    let body = access::organisation(&actor, body, OrgAction::ViewCommissionerReport)?;
    let breakdowns = query.validate()?;
    let framework = build::framework(&mut conn, body.id().0, query.framework).await?;
    let contracts = crate::identity::contracts::model::spans(&mut conn, &body).await?;
    let spans: Vec<_> = contracts.iter().map(|c| (c.0, c.1, c.2)).collect();
    let windows = build::windows(&spans, query.from, query.to);
    let providers = windows
        .into_iter()
        .map(|w| {
            let name = contracts
                .iter()
                .find(|c| c.0 == w.organisation)
                .map(|c| c.3.clone())
                .unwrap_or_default();
            (w, name)
        })
        .collect();
    let threshold =
        crate::identity::organisations::model::report_threshold(&mut conn, &body).await?;
    build::build_for(
        conn,
        state,
        actor.account_id,
        Request {
            framework,
            from: query.from,
            to: query.to,
            breakdowns,
            threshold,
            providers,
            lang,
        },
    )
    .await
}
