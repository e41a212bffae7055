//! The dashboard's shape.

use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::fields::iso_date;
use crate::outcomes::reports::types::ReportFramework;
use crate::plan::scales::types::Label;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DashboardQuery {
    /// The framework for the area figures; by default the organisation's.
    pub framework: Option<Uuid>,
    /// First day of the period (UK time); by default 90 days before `to`.
    #[param(value_type = Option<String>, format = Date)]
    #[serde(default, with = "iso_date::option")]
    pub from: Option<Date>,
    /// Last day of the period, inclusive; by default today.
    #[param(value_type = Option<String>, format = Date)]
    #[serde(default, with = "iso_date::option")]
    pub to: Option<Date>,
}

/// Figures of the organisation's people (or a mentor's caseload), as they are: `GET /v1/kpis`
/// defines each.
#[derive(Debug, Serialize, ToSchema)]
pub struct Dashboard {
    /// `organisation` or `caseload` (a mentor's own people).
    #[schema(example = "organisation")]
    pub scope: String,
    pub framework: ReportFramework,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub from: Date,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub to: Date,
    /// People supported today.
    pub active_people: i64,
    pub caseloads: Vec<MentorCaseload>,
    pub goals_by_area: Vec<AreaGoals>,
    /// Goals achieved in the period, coded or not.
    pub goals_achieved: i64,
    pub distance_travelled: Vec<AreaProgress>,
    pub reviews: ReviewCounts,
    pub engagement: Engagement,
    pub welsh: WelshOffer,
    pub data_quality: DataQuality,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MentorCaseload {
    pub mentor_id: Uuid,
    pub name: String,
    pub speaks_welsh: bool,
    pub people: i64,
}

/// Goals of the people supported today by status, for one area (`code: null`: not coded to
/// this framework).
#[derive(Debug, Serialize, ToSchema)]
pub struct AreaGoals {
    pub code: Option<String>,
    pub label: Option<Label>,
    pub active: i64,
    pub achieved: i64,
    pub paused: i64,
    pub stopped: i64,
}

/// Distance travelled in one area over the period.
#[derive(Debug, Serialize, ToSchema)]
pub struct AreaProgress {
    pub code: String,
    pub label: Label,
    pub people: i64,
    pub goals_set: i64,
    pub goals_achieved: i64,
    /// People with a baseline and a later rating in the period.
    pub measured: i64,
    pub improved: i64,
    pub same: i64,
    pub worse: i64,
    /// Shares of `measured`, in per cent (`null` when nobody was measured).
    pub improved_pct: Option<f64>,
    pub same_pct: Option<f64>,
    pub worse_pct: Option<f64>,
    /// Median change, in percentage points of the scale.
    pub median_change_pct: Option<f64>,
    pub stories: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewCounts {
    /// Held in the period.
    pub held: i64,
    /// Next review due in the coming 30 days.
    pub due: i64,
    /// Next review date passed.
    pub overdue: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Engagement {
    /// Published stories told in the period.
    pub stories: i64,
    /// Stories per person supported today per 30 days of the period.
    pub stories_per_person_per_month: f64,
    pub reactions: i64,
    /// Comments not hidden.
    pub comments: i64,
}

/// The Welsh Active Offer among people supported today.
#[derive(Debug, Serialize, ToSchema)]
pub struct WelshOffer {
    pub offered: i64,
    pub accepted: i64,
    /// Of those who accepted, how many have a mentor who speaks Welsh.
    pub accepted_with_welsh_speaking_mentor: i64,
    pub preferring_welsh: i64,
}

/// What is missing from the record, among people supported today.
#[derive(Debug, Serialize, ToSchema)]
pub struct DataQuality {
    /// Active goals with no outcome code (from any framework).
    pub goals_without_codes: i64,
    /// People with no review in the last 90 days.
    pub people_without_recent_review: i64,
    /// Active goals never rated.
    pub goals_without_baseline: i64,
    /// People with nobody in their circle.
    pub people_without_circle: i64,
}
