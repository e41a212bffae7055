//! Email verification codes: proof that an account reads mail at its address, before a
//! password reset is ever sent there. Stored as the code's hash, with the address it went to.

use diesel::{ExpressionMethods, OptionalExtension, QueryDsl};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;

use crate::auth::codes;
use crate::db::schema::{accounts, email_verifications};
use crate::ids::AccountId;

type QueryResult<T> = Result<T, diesel::result::Error>;

/// Stores a new code for `account` at `email` and returns it.
pub async fn open(
    conn: &mut AsyncPgConnection,
    account: AccountId,
    email: &str,
    ttl: std::time::Duration,
) -> QueryResult<String> {
    let code = codes::new_code(4);
    diesel::insert_into(email_verifications::table)
        .values((
            email_verifications::code_hash.eq(codes::code_hash(&code)),
            email_verifications::account_id.eq(account),
            email_verifications::email.eq(email),
            email_verifications::expires_at.eq(OffsetDateTime::now_utc()
                + time::Duration::try_from(ttl).unwrap_or(time::Duration::HOUR)),
        ))
        .execute(conn)
        .await?;
    Ok(code)
}

/// Marks `account`'s email verified if `code` is one of its open codes for that very address;
/// closes all its codes. `false`: no such code.
pub async fn confirm(
    conn: &mut AsyncPgConnection,
    account: AccountId,
    email: &str,
    code: &str,
) -> QueryResult<bool> {
    let found = diesel::delete(
        email_verifications::table
            .filter(email_verifications::code_hash.eq(codes::code_hash(code)))
            .filter(email_verifications::account_id.eq(account))
            .filter(email_verifications::email.eq(email))
            .filter(email_verifications::expires_at.gt(OffsetDateTime::now_utc())),
    )
    .returning(email_verifications::account_id)
    .get_result::<uuid::Uuid>(conn)
    .await
    .optional()?;
    if found.is_none() {
        return Ok(false);
    }
    diesel::delete(email_verifications::table.filter(email_verifications::account_id.eq(account)))
        .execute(conn)
        .await?;
    diesel::update(accounts::table.find(account.0))
        .set(accounts::email_verified_at.eq(OffsetDateTime::now_utc()))
        .execute(conn)
        .await?;
    Ok(true)
}

/// Housekeeping: email-verification codes past their expiry.
pub async fn purge_expired(conn: &mut AsyncPgConnection) -> diesel::QueryResult<usize> {
    diesel::sql_query("DELETE FROM email_verifications WHERE expires_at < now()")
        .execute(conn)
        .await
}
