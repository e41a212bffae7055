//! Reaction and comment rows and their queries, for any kind of target.

use diesel::{
    ExpressionMethods, NullableExpressionMethods, OptionalExtension, QueryDsl, Queryable,
    Selectable, SelectableHelper,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::Authorized;
use crate::auth::access::PersonScope;
use crate::db::schema::{accounts, comments, people, reactions};
use crate::fields::Lang;
use crate::http::pagination::{Keyset, Page};
use crate::ids::{AccountId, CommentId};
use crate::social::encouragement::Target;
use crate::social::encouragement::types::ReactionKind;

type QueryResult<T> = Result<T, diesel::result::Error>;

/// Adds the reaction unless the account already gave it; whether it was new.
pub async fn react(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    target: Target,
    account: AccountId,
    kind: ReactionKind,
) -> QueryResult<bool> {
    let added = diesel::insert_into(reactions::table)
        .values((
            reactions::id.eq(Uuid::now_v7()),
            scope.stamp(reactions::table),
            reactions::story_id.eq(target.story()),
            reactions::goal_id.eq(target.goal()),
            reactions::action_id.eq(target.action()),
            reactions::account_id.eq(account),
            reactions::kind.eq(kind),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    Ok(added == 1)
}

/// Every reaction on the target: (kind, account).
pub async fn reactions_on(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    target: Target,
) -> QueryResult<Vec<(ReactionKind, Uuid)>> {
    let query = reactions::table
        .filter(scope.owns(reactions::table))
        .select((reactions::kind, reactions::account_id))
        .into_boxed();
    let query = match target {
        Target::Story(id) => query.filter(reactions::story_id.eq(id)),
        Target::Goal(id) => query.filter(reactions::goal_id.eq(id)),
        Target::Action(id) => query.filter(reactions::action_id.eq(id)),
    };
    query.load(conn).await
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = comments, check_for_backend(diesel::pg::Pg))]
pub struct CommentRow {
    pub id: Uuid,
    pub story_id: Option<Uuid>,
    pub goal_id: Option<Uuid>,
    pub action_id: Option<Uuid>,
    pub author_account_id: Uuid,
    pub body: String,
    pub lang: Lang,
    pub hidden_at: Option<OffsetDateTime>,
    pub hidden_by: Option<Uuid>,
    pub created_at: OffsetDateTime,
}

/// A comment with its author's display name.
pub type CommentView = (CommentRow, Option<String>);

macro_rules! author_name {
    () => {
        diesel::dsl::case_when(
            people::table
                .filter(people::id.eq(comments::person_id))
                .filter(people::account_id.eq(comments::author_account_id.nullable()))
                .count()
                .single_value()
                .eq(1),
            people::table
                .filter(people::id.eq(comments::person_id))
                .select(people::preferred_name)
                .single_value(),
        )
        .otherwise(
            accounts::table
                .filter(accounts::id.eq(comments::author_account_id))
                .select(accounts::name)
                .single_value(),
        )
    };
}

pub async fn insert_comment(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    target: Target,
    author: AccountId,
    body: &str,
    lang: Lang,
) -> QueryResult<Uuid> {
    diesel::insert_into(comments::table)
        .values((
            comments::id.eq(CommentId::new().0),
            scope.stamp(comments::table),
            comments::story_id.eq(target.story()),
            comments::goal_id.eq(target.goal()),
            comments::action_id.eq(target.action()),
            comments::author_account_id.eq(author),
            comments::body.eq(body),
            comments::lang.eq(lang),
        ))
        .returning(comments::id)
        .get_result(conn)
        .await
}

/// Comments on the target, oldest first; hidden ones only when `with_hidden`.
pub async fn comments_on(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    target: Target,
    with_hidden: bool,
    page: Page,
) -> QueryResult<Vec<CommentView>> {
    let mut query = comments::table
        .filter(scope.owns(comments::table))
        .select((CommentRow::as_select(), author_name!()))
        .into_boxed();
    query = match target {
        Target::Story(id) => query.filter(comments::story_id.eq(id)),
        Target::Goal(id) => query.filter(comments::goal_id.eq(id)),
        Target::Action(id) => query.filter(comments::action_id.eq(id)),
    };
    if !with_hidden {
        query = query.filter(comments::hidden_at.is_null());
    }
    query = query.oldest_first(page, comments::id);
    query.load(conn).await
}

pub async fn find_comment(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    comment: CommentId,
) -> QueryResult<Option<CommentView>> {
    comments::table
        .filter(comments::id.eq(comment))
        .filter(scope.owns(comments::table))
        .select((CommentRow::as_select(), author_name!()))
        .first(conn)
        .await
        .optional()
}

/// Hides the comment (once: hiding it again keeps the first time and who).
pub async fn hide(
    conn: &mut AsyncPgConnection,
    scope: &Authorized<PersonScope>,
    comment: CommentId,
    by: AccountId,
) -> QueryResult<()> {
    diesel::update(
        comments::table
            .filter(comments::id.eq(comment))
            .filter(scope.owns(comments::table))
            .filter(comments::hidden_by.is_null()),
    )
    .set((
        // Already hidden by a concern: the moderation is recorded too, and outlasts it.
        comments::hidden_at.eq(diesel::dsl::sql::<
            diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>,
        >("coalesce(hidden_at, now())")),
        comments::hidden_by.eq(by),
    ))
    .execute(conn)
    .await?;
    Ok(())
}
