//! Goal, status-change and action rows and their queries.

use diesel::{
    ExpressionMethods, OptionalExtension, QueryDsl, Queryable, Selectable, SelectableHelper,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::auth::Authorized;
use crate::auth::access::PersonScope;
use crate::db::schema::{goal_actions, goal_status_changes, goals, review_ratings, reviews};
use crate::http::pagination::{Keyset, Page};
use crate::ids::{AccountId, ActionId, GoalId};
use crate::plan::goals::types::GoalStatus;

type QueryResult<T> = Result<T, diesel::result::Error>;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = goals, check_for_backend(diesel::pg::Pg))]
pub struct GoalRow {
    pub id: Uuid,
    pub person_id: Uuid,
    pub title: String,
    pub why_it_matters: Option<String>,
    pub lang: crate::fields::Lang,
    pub target_date: Option<Date>,
    pub status: crate::plan::goals::types::GoalStatus,
    pub scale_id: Uuid,
    pub author_account_id: Uuid,
    pub version: i32,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = goal_status_changes, check_for_backend(diesel::pg::Pg))]
pub struct StatusChangeRow {
    pub status: crate::plan::goals::types::GoalStatus,
    pub changed_by: Uuid,
    pub changed_at: OffsetDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = goal_actions, check_for_backend(diesel::pg::Pg))]
pub struct ActionRow {
    pub id: Uuid,
    pub goal_id: Uuid,
    pub description: String,
    pub owner: crate::plan::goals::types::Owner,
    pub owner_member_id: Option<Uuid>,
    pub due_on: Option<Date>,
    pub done_at: Option<OffsetDateTime>,
    pub state: crate::plan::goals::types::ActionState,
    pub author_account_id: Uuid,
    pub version: i32,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

pub struct NewGoal<'a> {
    pub title: &'a str,
    pub why_it_matters: Option<&'a str>,
    pub lang: &'a str,
    pub target_date: Option<Date>,
    pub scale_id: Uuid,
}

pub async fn insert(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    author: AccountId,
    new: &NewGoal<'_>,
) -> QueryResult<GoalRow> {
    let row = diesel::insert_into(goals::table)
        .values((
            goals::id.eq(GoalId::new().0),
            scope.stamp(goals::table),
            goals::title.eq(new.title),
            goals::why_it_matters.eq(new.why_it_matters),
            goals::lang.eq(new.lang),
            goals::target_date.eq(new.target_date),
            goals::status.eq(GoalStatus::Active),
            goals::scale_id.eq(new.scale_id),
            goals::author_account_id.eq(author),
        ))
        .returning(GoalRow::as_returning())
        .get_result(conn)
        .await?;
    record_status(conn, scope, GoalId(row.id), GoalStatus::Active, author).await?;
    Ok(row)
}

pub async fn record_status(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    goal: GoalId,
    status: crate::plan::goals::types::GoalStatus,
    by: AccountId,
) -> QueryResult<()> {
    diesel::insert_into(goal_status_changes::table)
        .values((
            goal_status_changes::id.eq(Uuid::now_v7()),
            goal_status_changes::goal_id.eq(goal),
            scope.stamp(goal_status_changes::table),
            goal_status_changes::status.eq(status),
            goal_status_changes::changed_by.eq(by),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn find(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    goal: GoalId,
) -> QueryResult<Option<GoalRow>> {
    goals::table
        .filter(goals::id.eq(goal))
        .filter(scope.owns(goals::table))
        .select(GoalRow::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn list(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    page: Page,
) -> QueryResult<Vec<GoalRow>> {
    let mut query = goals::table
        .filter(scope.owns(goals::table))
        .select(GoalRow::as_select())
        .into_boxed();
    query = query.oldest_first(page, goals::id);
    query.load(conn).await
}

/// Goals of the person among `ids`, with their scale ids (for review ratings).
pub async fn of_person(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    ids: &[Uuid],
) -> QueryResult<Vec<(Uuid, Uuid)>> {
    goals::table
        .filter(goals::id.eq_any(ids))
        .filter(scope.owns(goals::table))
        .select((goals::id, goals::scale_id))
        .load(conn)
        .await
}

pub async fn status_history(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    goal: GoalId,
) -> QueryResult<Vec<StatusChangeRow>> {
    goal_status_changes::table
        .filter(goal_status_changes::goal_id.eq(goal))
        .filter(scope.owns(goal_status_changes::table))
        .order(goal_status_changes::id.asc())
        .select(StatusChangeRow::as_select())
        .load(conn)
        .await
}

#[derive(Debug, Default, diesel::AsChangeset)]
#[diesel(table_name = goals)]
pub struct GoalChanges {
    pub title: Option<String>,
    pub why_it_matters: Option<Option<String>>,
    pub lang: Option<crate::fields::Lang>,
    pub target_date: Option<Option<Date>>,
    pub status: Option<crate::plan::goals::types::GoalStatus>,
}

pub async fn update(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    goal: GoalId,
    version: i32,
    changes: &GoalChanges,
) -> QueryResult<Option<GoalRow>> {
    diesel::update(
        goals::table
            .filter(goals::id.eq(goal))
            .filter(scope.owns(goals::table))
            .filter(goals::version.eq(version)),
    )
    .set((
        changes,
        goals::version.eq(version + 1),
        goals::updated_at.eq(OffsetDateTime::now_utc()),
    ))
    .returning(GoalRow::as_returning())
    .get_result(conn)
    .await
    .optional()
}

// --- actions -------------------------------------------------------------------------------------

pub struct NewAction<'a> {
    pub goal: GoalId,
    pub description: &'a str,
    pub owner: &'a str,
    pub owner_member_id: Option<Uuid>,
    pub due_on: Option<Date>,
    pub state: &'a str,
}

pub async fn insert_action(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    author: AccountId,
    new: &NewAction<'_>,
) -> QueryResult<ActionRow> {
    diesel::insert_into(goal_actions::table)
        .values((
            goal_actions::id.eq(ActionId::new().0),
            goal_actions::goal_id.eq(new.goal),
            scope.stamp(goal_actions::table),
            goal_actions::description.eq(new.description),
            goal_actions::owner.eq(new.owner),
            goal_actions::owner_member_id.eq(new.owner_member_id),
            goal_actions::due_on.eq(new.due_on),
            goal_actions::state.eq(new.state),
            goal_actions::author_account_id.eq(author),
        ))
        .returning(ActionRow::as_returning())
        .get_result(conn)
        .await
}

pub async fn actions(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    goal: GoalId,
    page: Page,
) -> QueryResult<Vec<ActionRow>> {
    let mut query = goal_actions::table
        .filter(goal_actions::goal_id.eq(goal))
        .filter(scope.owns(goal_actions::table))
        .select(ActionRow::as_select())
        .into_boxed();
    query = query.oldest_first(page, goal_actions::id);
    query.load(conn).await
}

pub async fn find_action(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    action: ActionId,
) -> QueryResult<Option<ActionRow>> {
    goal_actions::table
        .filter(goal_actions::id.eq(action))
        .filter(scope.owns(goal_actions::table))
        .select(ActionRow::as_select())
        .first(conn)
        .await
        .optional()
}

#[derive(Debug, Default, diesel::AsChangeset)]
#[diesel(table_name = goal_actions)]
pub struct ActionChanges {
    pub description: Option<String>,
    pub owner: Option<crate::plan::goals::types::Owner>,
    pub owner_member_id: Option<Option<Uuid>>,
    pub due_on: Option<Option<Date>>,
    pub done_at: Option<Option<OffsetDateTime>>,
    pub state: Option<crate::plan::goals::types::ActionState>,
}

pub async fn update_action(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    action: ActionId,
    version: i32,
    changes: &ActionChanges,
) -> QueryResult<Option<ActionRow>> {
    diesel::update(
        goal_actions::table
            .filter(goal_actions::id.eq(action))
            .filter(scope.owns(goal_actions::table))
            .filter(goal_actions::version.eq(version)),
    )
    .set((
        changes,
        goal_actions::version.eq(version + 1),
        goal_actions::updated_at.eq(OffsetDateTime::now_utc()),
    ))
    .returning(ActionRow::as_returning())
    .get_result(conn)
    .await
    .optional()
}

/// Every review rating of `goal`, oldest review first: (review, held on, value, comment).
pub async fn ratings_for_goal(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    goal: GoalId,
) -> QueryResult<Vec<(Uuid, Date, f64, Option<String>)>> {
    review_ratings::table
        .inner_join(reviews::table)
        .filter(review_ratings::goal_id.eq(goal))
        .filter(scope.owns(review_ratings::table))
        .order((reviews::held_on.asc(), reviews::id.asc()))
        .select((
            reviews::id,
            reviews::held_on,
            review_ratings::value,
            review_ratings::comment,
        ))
        .load(conn)
        .await
}
