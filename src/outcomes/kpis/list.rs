//! `GET /v1/kpis`.

use actix_web::{get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::outcomes::kpis::definitions::{KPIS, Kpi};
use crate::outcomes::kpis::disclosure;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct KpiList {
    pub items: Vec<Kpi>,
    pub disclosure: DisclosureDefinition,
}

/// The rules every count in a report passes (docs/KPIS.md §Disclosure).
#[derive(Debug, Serialize, ToSchema)]
pub struct DisclosureDefinition {
    /// The smallest count shown, in every report whoever is in it (an organisation may set a
    /// higher one).
    pub default_threshold: i64,
    pub rounding_base: i64,
    pub rules: &'static str,
}

/// Definitions of every figure
///
/// Any signed-in account: what each figure of the dashboard and the outcome reports counts,
/// out of what, and the disclosure rules, so a report can cite them.
#[utoipa::path(
    operation_id = "listKpis",
    tag = "reports",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Every figure's definition", body = KpiList),
    )
)]
#[get("/kpis")]
pub async fn list(state: web::Data<AppState>, user: CurrentUser) -> ApiResult<web::Json<KpiList>> {
    load(&state, &user).await.map(web::Json)
}

/// The definitions, for any signed-in caller of the API or the console.
pub async fn load(state: &AppState, user: &CurrentUser) -> ApiResult<KpiList> {
    let mut conn = state.conn().await?;
    user.check(&mut conn).await?;
    Ok(KpiList {
        items: KPIS.to_vec(),
        disclosure: DisclosureDefinition {
            default_threshold: disclosure::THRESHOLD,
            rounding_base: disclosure::BASE,
            rules: "Zero is shown as 0. A count from 1 to the threshold minus one is suppressed \
                    (null in JSON, * in CSV), as, by a keyed draw, may be one up to two above the \
                    threshold. Every other count is rounded to one of its two nearest multiples \
                    of 5, the nearer the likelier. Within a total and its breakdown cells, more \
                    cells (then the total) are suppressed until no suppressed value can be \
                    worked out from the others; a group whose people are suppressed shows no \
                    other count. Percentages come from the shown counts and are withheld when \
                    either is suppressed. The draws are keyed by a server secret and exactly \
                    what is counted (its people, goals, reviews or stories): the same things \
                    always show the same. The threshold is the same whoever is in the report \
                    (10; an organisation may raise it in steps of 5). A report covers one whole \
                    calendar month, quarter or year, or financial year, that has ended, and ages are taken \
                    at one date per report, its end. See docs/KPIS.md.",
        },
    })
}
