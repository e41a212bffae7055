//! Review and rating rows and their queries.

use diesel::sql_types::{Date as SqlDate, Nullable, Text, Uuid as SqlUuid};
use diesel::{
    ExpressionMethods, OptionalExtension, QueryDsl, Queryable, QueryableByName, Selectable,
    SelectableHelper,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::auth::Authorized;
use crate::auth::access::PersonScope;
use crate::db::schema::{review_ratings, reviews};
use crate::http::pagination::{Keyset, Page};
use crate::ids::{AccountId, OrganisationId, ReviewId};

type QueryResult<T> = Result<T, diesel::result::Error>;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = reviews, check_for_backend(diesel::pg::Pg))]
pub struct ReviewRow {
    pub id: Uuid,
    pub person_id: Uuid,
    pub held_on: Date,
    pub person_took_part: bool,
    pub staff_participants: Vec<Uuid>,
    pub circle_participants: Vec<Uuid>,
    pub whats_working: Option<String>,
    pub whats_not_working: Option<String>,
    pub staff_notes: Option<String>,
    pub lang: crate::fields::Lang,
    pub next_review_on: Option<Date>,
    pub author_account_id: Uuid,
    pub version: i32,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = review_ratings, check_for_backend(diesel::pg::Pg))]
pub struct RatingRow {
    pub review_id: Uuid,
    pub goal_id: Uuid,
    pub value: f64,
    pub comment: Option<String>,
}

#[derive(Debug, Default, diesel::AsChangeset)]
#[diesel(table_name = reviews)]
pub struct ReviewFields {
    pub held_on: Option<Date>,
    pub person_took_part: Option<bool>,
    pub staff_participants: Option<Vec<Uuid>>,
    pub circle_participants: Option<Vec<Uuid>>,
    pub whats_working: Option<Option<String>>,
    pub whats_not_working: Option<Option<String>>,
    pub staff_notes: Option<Option<String>>,
    pub lang: Option<crate::fields::Lang>,
    pub next_review_on: Option<Option<Date>>,
}

pub async fn insert(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    author: AccountId,
    held_on: Date,
    person_took_part: bool,
    lang: &str,
    fields: &ReviewFields,
) -> QueryResult<ReviewRow> {
    let id = ReviewId::new().0;
    diesel::insert_into(reviews::table)
        .values((
            reviews::id.eq(id),
            scope.stamp(reviews::table),
            reviews::held_on.eq(held_on),
            reviews::person_took_part.eq(person_took_part),
            reviews::lang.eq(lang),
            reviews::author_account_id.eq(author),
        ))
        .execute(conn)
        .await?;
    diesel::update(reviews::table.find(id))
        .set(fields)
        .returning(ReviewRow::as_returning())
        .get_result(conn)
        .await
}

pub async fn find(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    review: ReviewId,
) -> QueryResult<Option<ReviewRow>> {
    reviews::table
        .filter(reviews::id.eq(review))
        .filter(scope.owns(reviews::table))
        .select(ReviewRow::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn list(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    page: Page,
) -> QueryResult<Vec<ReviewRow>> {
    let mut query = reviews::table
        .filter(scope.owns(reviews::table))
        .select(ReviewRow::as_select())
        .into_boxed();
    query = query.oldest_first(page, reviews::id);
    query.load(conn).await
}

pub async fn update(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    review: ReviewId,
    version: i32,
    fields: &ReviewFields,
) -> QueryResult<Option<ReviewRow>> {
    diesel::update(
        reviews::table
            .filter(reviews::id.eq(review))
            .filter(scope.owns(reviews::table))
            .filter(reviews::version.eq(version)),
    )
    .set((
        fields,
        reviews::version.eq(version + 1),
        reviews::updated_at.eq(OffsetDateTime::now_utc()),
    ))
    .returning(ReviewRow::as_returning())
    .get_result(conn)
    .await
    .optional()
}

pub async fn ratings(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    review_ids: &[Uuid],
) -> QueryResult<Vec<RatingRow>> {
    review_ratings::table
        .filter(review_ratings::review_id.eq_any(review_ids))
        .filter(scope.owns(review_ratings::table))
        .order((review_ratings::review_id, review_ratings::goal_id))
        .select(RatingRow::as_select())
        .load(conn)
        .await
}

/// Replaces the ratings of `review` with `ratings` (goal, value, comment).
pub async fn replace_ratings(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    review: ReviewId,
    ratings: &[(Uuid, f64, Option<String>)],
) -> QueryResult<()> {
    diesel::delete(
        review_ratings::table
            .filter(review_ratings::review_id.eq(review))
            .filter(scope.owns(review_ratings::table)),
    )
    .execute(conn)
    .await?;
    let rows: Vec<_> = ratings
        .iter()
        .map(|(goal, value, comment)| {
            (
                review_ratings::review_id.eq(review),
                review_ratings::goal_id.eq(*goal),
                scope.stamp(review_ratings::table),
                review_ratings::value.eq(*value),
                review_ratings::comment.eq(comment.clone()),
            )
        })
        .collect();
    diesel::insert_into(review_ratings::table)
        .values(rows)
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(Debug, QueryableByName)]
pub struct OverdueRow {
    #[diesel(sql_type = SqlUuid)]
    pub person_id: Uuid,
    #[diesel(sql_type = Text)]
    pub preferred_name: String,
    #[diesel(sql_type = SqlDate)]
    pub last_review_on: Date,
    #[diesel(sql_type = SqlDate)]
    pub next_review_on: Date,
}

/// People of the organisation (or of `mentor`'s caseload) whose latest review named a next
/// review date that has passed, and whose support has not ended. Most overdue first.
pub async fn overdue(
    conn: &mut AsyncPgConnection,
    org: &Authorized<OrganisationId>,
    mentor: Option<AccountId>,
) -> QueryResult<Vec<OverdueRow>> {
    diesel::sql_query(
        "SELECT p.id AS person_id, p.preferred_name, r.held_on AS last_review_on, r.next_review_on \
         FROM people p \
         JOIN LATERAL (SELECT held_on, next_review_on FROM reviews \
                       WHERE person_id = p.id AND organisation_id = p.organisation_id \
                       ORDER BY held_on DESC, id DESC LIMIT 1) r ON true \
         WHERE p.organisation_id = $1 \
           AND (p.support_ended_on IS NULL OR p.support_ended_on > $3) \
           AND r.next_review_on < $3 \
           AND ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM mentor_assignments m \
                                            WHERE m.person_id = p.id AND m.mentor_id = $2)) \
         ORDER BY r.next_review_on, p.id \
         LIMIT 500",
    )
    .bind::<SqlUuid, _>(org.id())
    .bind::<Nullable<SqlUuid>, _>(mentor.map(|m| m.0))
    .bind::<diesel::sql_types::Date, _>(crate::fields::today())
    .load(conn)
    .await
}
