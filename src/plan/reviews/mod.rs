//! Reviews: the regular meetings where the person, their mentor and circle look at what is
//! working and what is not, and rate each goal on its scale. A goal's first rating is its
//! baseline; `goals::progress` reads the ratings back as distance travelled.

pub mod create;
pub mod get;
pub mod list;
pub mod model;
pub mod overdue;
pub mod types;
pub mod update;

use diesel_async::AsyncPgConnection;

use crate::auth::Authorized;
use crate::auth::CurrentUser;
use crate::auth::access::{PersonAccess, PersonAction, PersonScope};
use crate::auth::session::PersonOf;
use crate::error::{ApiResult, Validator};
use crate::ids::ReviewId;
use crate::plan::circles::model as circles;
use crate::plan::goals::model as goals;
use crate::plan::people::model as people;
use crate::plan::scales::model as scales;
use types::RatingInput;
use uuid::Uuid;

/// Authorizes `action` on the person `review` belongs to.
pub async fn authorize_review(
    conn: &mut AsyncPgConnection,
    user: &CurrentUser,
    review: ReviewId,
    action: PersonAction,
) -> ApiResult<PersonAccess> {
    crate::auth::session::authorize(conn, user, PersonOf::Review(review), action).await
}

/// Checks ratings (goals of this person, values on each goal's scale) and participants
/// (staff of the organisation, members of the circle), naming every bad field.
pub async fn check_references(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    ratings: Option<&[RatingInput]>,
    staff: Option<&[Uuid]>,
    members: Option<&[Uuid]>,
) -> ApiResult<()> {
    let mut v = Validator::new();
    if let Some(ratings) = ratings {
        let ids: Vec<Uuid> = ratings.iter().map(|r| r.goal_id).collect();
        let found = goals::of_person(conn, scope, &ids).await?;
        let scale_ids: Vec<Uuid> = found.iter().map(|(_, s)| *s).collect();
        let scale_rows = scales::by_ids(conn, &scale_ids).await?;
        for (i, rating) in ratings.iter().enumerate() {
            if ratings[..i].iter().any(|r| r.goal_id == rating.goal_id) {
                v.add(
                    &format!("/ratings/{i}/goal_id"),
                    "duplicate",
                    "one rating per goal",
                );
                continue;
            }
            let scale = found
                .iter()
                .find(|(g, _)| *g == rating.goal_id)
                .and_then(|(_, s)| scale_rows.iter().find(|row| row.id == *s));
            match scale {
                None => v.add(
                    &format!("/ratings/{i}/goal_id"),
                    "unknown_goal",
                    "not a goal of this person",
                ),
                Some(scale) if !scale.admits(rating.value) => v.add(
                    &format!("/ratings/{i}/value"),
                    "off_scale",
                    format!(
                        "must be from {} to {} in steps of {}",
                        scale.min_value, scale.max_value, scale.step
                    ),
                ),
                Some(_) => {}
            }
            if let Some(c) = &rating.comment {
                v.text(&format!("/ratings/{i}/comment"), c, 0, 2000);
            }
        }
    }
    if let Some(staff) = staff {
        let found = people::staff_among(conn, scope.id().organisation, staff).await?;
        if staff.iter().any(|s| !found.contains(s)) {
            v.add(
                "/staff_participants",
                "not_staff",
                "every participant must be staff of this organisation",
            );
        }
    }
    if let Some(members) = members {
        let current = circles::member_ids(conn, scope).await?;
        if members.iter().any(|m| !current.contains(m)) {
            v.add(
                "/circle_participants",
                "not_in_circle",
                "every participant must be in the circle",
            );
        }
    }
    v.finish()
}
