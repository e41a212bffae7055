//! Password resets by email: a single-use, short-lived code, stored as its hash. Asking again
//! adds a code and leaves earlier ones working until they expire, so a stranger asking for
//! resets of someone's email cannot spoil the code they are about to use; the first one used
//! closes them all.

use diesel::{ExpressionMethods, OptionalExtension, QueryDsl};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::codes;
use crate::db::schema::{accounts, password_resets};
use crate::ids::AccountId;

type QueryResult<T> = Result<T, diesel::result::Error>;

/// Opens a reset for `account` and returns its code.
pub async fn open(
    conn: &mut AsyncPgConnection,
    account: AccountId,
    ttl: std::time::Duration,
) -> QueryResult<String> {
    let code = codes::new_code(4);
    diesel::insert_into(password_resets::table)
        .values((
            password_resets::token_hash.eq(codes::code_hash(&code)),
            password_resets::account_id.eq(account),
            password_resets::expires_at.eq(OffsetDateTime::now_utc()
                + time::Duration::try_from(ttl).unwrap_or(time::Duration::HOUR)),
        ))
        .execute(conn)
        .await?;
    Ok(code)
}

/// The active account an open reset belongs to, with its email and name (for the password
/// rules). Read before the password work; [`spend`] decides.
pub async fn account_of(
    conn: &mut AsyncPgConnection,
    code_hash: &[u8],
) -> QueryResult<Option<(Uuid, Option<String>, String)>> {
    password_resets::table
        .inner_join(accounts::table)
        .filter(password_resets::token_hash.eq(code_hash))
        .filter(password_resets::used_at.is_null())
        .filter(password_resets::expires_at.gt(OffsetDateTime::now_utc()))
        .filter(accounts::deactivated_at.is_null())
        .select((accounts::id, accounts::email, accounts::name))
        .first(conn)
        .await
        .optional()
}

/// Spends the reset atomically: of two requests with one code, one gets the account.
pub async fn spend(conn: &mut AsyncPgConnection, code_hash: &[u8]) -> QueryResult<Option<Uuid>> {
    diesel::update(
        password_resets::table
            .filter(password_resets::token_hash.eq(code_hash))
            .filter(password_resets::used_at.is_null())
            .filter(password_resets::expires_at.gt(OffsetDateTime::now_utc())),
    )
    .set(password_resets::used_at.eq(OffsetDateTime::now_utc()))
    .returning(password_resets::account_id)
    .get_result(conn)
    .await
    .optional()
}

/// Closes every reset of `account` (after one was used).
pub async fn close_all(conn: &mut AsyncPgConnection, account: AccountId) -> QueryResult<usize> {
    diesel::delete(password_resets::table.filter(password_resets::account_id.eq(account)))
        .execute(conn)
        .await
}

/// Housekeeping: password-reset codes used or past their expiry.
pub async fn purge_expired(conn: &mut AsyncPgConnection) -> diesel::QueryResult<usize> {
    diesel::sql_query("DELETE FROM password_resets WHERE expires_at < now() OR used_at IS NOT NULL")
        .execute(conn)
        .await
}
