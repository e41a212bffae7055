//! The devices a supported person redeemed a device code on. A person's PIN has few digits, so
//! it works only together with the device key their phone received at redemption: a 256-bit
//! secret stored here as a hash. Someone who learns the person's account id (a supporter who
//! sees who wrote a goal) can therefore not try PINs: they do not hold a device key. A new
//! redemption (a new phone) revokes the keys of the old devices.

use diesel::{ExpressionMethods, OptionalExtension, QueryDsl};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::tokens::{new_refresh_token, secret_hash};
use crate::db::schema::person_devices;
use crate::ids::AccountId;

type QueryResult<T> = Result<T, diesel::result::Error>;

/// Registers a new device for `account`, revoking the others, and returns its key.
pub async fn register(conn: &mut AsyncPgConnection, account: AccountId) -> QueryResult<String> {
    let now = OffsetDateTime::now_utc();
    diesel::update(
        person_devices::table
            .filter(person_devices::account_id.eq(account))
            .filter(person_devices::revoked_at.is_null()),
    )
    .set(person_devices::revoked_at.eq(now))
    .execute(conn)
    .await?;
    let key = new_refresh_token();
    diesel::insert_into(person_devices::table)
        .values((
            person_devices::id.eq(Uuid::now_v7()),
            person_devices::account_id.eq(account),
            person_devices::key_hash.eq(secret_hash(&key)),
        ))
        .execute(conn)
        .await?;
    Ok(key)
}

/// The account whose live device holds `key`: one indexed lookup, no password work.
pub async fn account_for(
    conn: &mut AsyncPgConnection,
    key: &str,
) -> QueryResult<Option<AccountId>> {
    diesel::update(
        person_devices::table
            .filter(person_devices::key_hash.eq(secret_hash(key)))
            .filter(person_devices::revoked_at.is_null()),
    )
    .set(person_devices::last_used_at.eq(OffsetDateTime::now_utc()))
    .returning(person_devices::account_id)
    .get_result::<Uuid>(conn)
    .await
    .optional()
    .map(|found| found.map(AccountId))
}

/// Housekeeping: device keys revoked more than a day ago.
pub async fn purge_expired(conn: &mut AsyncPgConnection) -> diesel::QueryResult<usize> {
    diesel::sql_query("DELETE FROM person_devices WHERE revoked_at < now() - interval '1 day'")
        .execute(conn)
        .await
}
