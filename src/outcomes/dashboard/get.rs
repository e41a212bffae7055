//! `GET /v1/organisations/{organisation_id}/dashboard`.

use actix_web::{HttpRequest, get, web};

use crate::auth::access::{self, OrgAction};
use crate::auth::{CurrentUser, Role};
use crate::error::{ApiResult, Problem, Validator};
use crate::fields::Lang;
use crate::ids::{AccountId, OrganisationId};
use crate::outcomes::dashboard::model;
use crate::outcomes::dashboard::types::{
    AreaGoals, AreaProgress, Dashboard, DashboardQuery, DataQuality, Engagement, MentorCaseload,
    ReviewCounts, WelshOffer,
};
use crate::outcomes::frameworks::model as frameworks;
use crate::outcomes::kpis::figures::{self, Scope, Window};
use crate::outcomes::reports::build;
use crate::outcomes::reports::types::ReportFramework;
use crate::plan::scales::types::pick;
use crate::state::AppState;

/// A provider's dashboard
///
/// Admins and coordinators see the whole organisation; a mentor sees the same figures for
/// their own caseload. People supported today; caseloads; goals by outcome area and status;
/// goals achieved, distance travelled per area, reviews and engagement over the period (by
/// default the last 90 days); the Welsh Active Offer; and data quality. Counts only: no names
/// of supported people. Labels follow `Accept-Language`.
#[utoipa::path(
    operation_id = "getDashboard",
    tag = "reports",
    security(("bearer" = [])),
    params(
        ("organisation_id" = uuid::Uuid, Path),
        DashboardQuery,
        ("Accept-Language" = Option<String>, Header, example = "cy"),
    ),
    responses(
        (status = 200, description = "The dashboard", body = Dashboard),
        (status = 400, description = "Malformed dates or ids; a bad period", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff of this provider", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A framework the organisation may not use", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Another of the account's dashboards or reports is being worked out (`Retry-After`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organisations/{organisation_id}/dashboard")]
pub async fn get(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    path: web::Path<OrganisationId>,
    query: web::Query<DashboardQuery>,
) -> ApiResult<web::Json<Dashboard>> {
    let lang = Lang::from_request(&req);
    load(&state, &user, lang, path.into_inner(), &query)
        .await
        .map(web::Json)
}

/// The dashboard, for the API and the console alike.
pub async fn load(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    lang: Lang,
    organisation: OrganisationId,
    query: &DashboardQuery,
) -> ApiResult<Dashboard> {
    let mut conn = state.conn().await?;
    let actor = user.check(&mut conn).await?;
    let org = access::organisation(&actor, organisation, OrgAction::ViewDashboard)?;
    let mentor = (actor.role == Role::Mentor).then_some(actor.account_id);
    let today = crate::fields::today();
    let to = query.to.unwrap_or(today);
    let from = query.from.unwrap_or(to - time::Duration::days(90));
    let mut v = Validator::new();
    crate::outcomes::reports::types::check_period(&mut v, from, to);
    v.finish()?;
    let framework = build::framework(&mut conn, org.id().0, query.framework).await?;
    // Its figures are the reports' aggregate (up to 120 s): one at a time per account.
    let _turn = build::one_at_a_time(actor.account_id)?;
    // What it shows is read where reads go (the replica, if one is configured and current).
    drop(conn);
    let mut conn = state.read_conn().await?;

    figures::keyed(&mut conn).await?;
    let summary = model::summary(&mut conn, &org, mentor, from, to, today).await?;
    let caseloads = model::caseloads(&mut conn, &org, mentor, today).await?;
    let by_status = model::goals_by_area(&mut conn, &org, mentor, framework.id, today).await?;
    let scope = Scope {
        windows: vec![Window {
            organisation: org.id().0,
            from,
            to,
        }],
        mentor: mentor.map(|AccountId(m)| m),
        for_commissioners: false,
    };
    let progress = figures::by_area(&mut conn, framework.id, &scope, &[]).await?;
    let areas = frameworks::areas_in_force(&mut conn, framework.id, to).await?;

    let label = |code: &str| {
        areas
            .iter()
            .find(|a| a.code == code)
            .map(|a| pick(&a.label_en, a.label_cy.as_deref(), lang))
    };
    let mut goals_by_area: Vec<AreaGoals> = areas
        .iter()
        .map(|a| Some(a.code.clone()))
        .chain([None])
        .map(|code| {
            let count = |status: &str| {
                by_status
                    .iter()
                    .filter(|r| r.area == code && r.status == status)
                    .map(|r| r.goals)
                    .sum()
            };
            AreaGoals {
                label: code.as_deref().and_then(label),
                active: count("active"),
                achieved: count("achieved"),
                paused: count("paused"),
                stopped: count("stopped"),
                code,
            }
        })
        .collect();
    goals_by_area.retain(|g| g.code.is_some() || g.active + g.achieved + g.paused + g.stopped > 0);
    let share = |n: i64, of: i64| (of > 0).then(|| (n as f64 * 1000.0 / of as f64).round() / 10.0);
    let distance_travelled = areas
        .iter()
        .map(|a| {
            let f = progress.iter().find(|r| r.area == a.code);
            let value = |pick: fn(&figures::AreaFigures) -> i64| f.map(pick).unwrap_or(0);
            let measured = value(|f| f.measured);
            AreaProgress {
                code: a.code.clone(),
                label: pick(&a.label_en, a.label_cy.as_deref(), lang),
                people: value(|f| f.people),
                goals_set: value(|f| f.goals_set),
                goals_achieved: value(|f| f.goals_achieved),
                measured,
                improved: value(|f| f.improved),
                same: value(|f| f.same),
                worse: value(|f| f.worse),
                improved_pct: share(value(|f| f.improved), measured),
                same_pct: share(value(|f| f.same), measured),
                worse_pct: share(value(|f| f.worse), measured),
                median_change_pct: f
                    .and_then(|f| f.median_change)
                    .map(|m| (m * 1000.0).round() / 10.0),
                stories: value(|f| f.stories),
            }
        })
        .collect();
    let months = ((to - from).whole_days() + 1) as f64 / 30.0;
    let per_person_month = if summary.active_people > 0 {
        (summary.stories as f64 / summary.active_people as f64 / months * 100.0).round() / 100.0
    } else {
        0.0
    };
    Ok(Dashboard {
        scope: if mentor.is_some() {
            "caseload"
        } else {
            "organisation"
        }
        .into(),
        framework: ReportFramework {
            id: framework.id,
            name: pick(&framework.name_en, framework.name_cy.as_deref(), lang),
            key: framework.key,
            status: framework.status,
        },
        from,
        to,
        active_people: summary.active_people,
        caseloads: caseloads
            .into_iter()
            .map(|c| MentorCaseload {
                mentor_id: c.mentor_id,
                name: c.name,
                speaks_welsh: c.speaks_welsh,
                people: c.people,
            })
            .collect(),
        goals_by_area,
        goals_achieved: summary.goals_achieved,
        distance_travelled,
        reviews: ReviewCounts {
            held: summary.reviews_held,
            due: summary.reviews_due,
            overdue: summary.reviews_overdue,
        },
        engagement: Engagement {
            stories: summary.stories,
            stories_per_person_per_month: per_person_month,
            reactions: summary.reactions,
            comments: summary.comments,
        },
        welsh: WelshOffer {
            offered: summary.welsh_offered,
            accepted: summary.welsh_accepted,
            accepted_with_welsh_speaking_mentor: summary.welsh_with_welsh_speaking_mentor,
            preferring_welsh: summary.preferring_welsh,
        },
        data_quality: DataQuality {
            goals_without_codes: summary.goals_without_codes,
            people_without_recent_review: summary.people_without_recent_review,
            goals_without_baseline: summary.goals_without_baseline,
            people_without_circle: summary.people_without_circle,
        },
    })
}
