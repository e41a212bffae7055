//! Sessions and their refresh-token families. A session is one sign-in; every access token
//! names it and `live` is asked on every request. Refresh tokens rotate on each use; a token
//! presented a second time means it was copied, so the whole session is revoked.

use diesel::{
    ExpressionMethods, JoinOnDsl, NullableExpressionMethods, OptionalExtension, QueryDsl,
};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::auth::roles::{OrganisationKind, Role};
use crate::auth::seal::Sealer;
pub use crate::auth::session::{RevokeReason, revoke, revoke_all};
use crate::auth::tokens::{new_refresh_token, secret_hash};
use crate::config::TokenConfig;
use crate::db::schema::{accounts, organisations, people, refresh_tokens, sessions};
use crate::fields::Lang;
use crate::ids::{AccountId, SessionId};

type QueryResult<T> = Result<T, diesel::result::Error>;

fn offset(d: std::time::Duration) -> time::Duration {
    time::Duration::try_from(d).unwrap_or(time::Duration::DAY)
}

/// Starts a session for `account` and returns it with its first refresh token.
pub async fn start(
    conn: &mut AsyncPgConnection,
    account: AccountId,
    config: &TokenConfig,
) -> QueryResult<(SessionId, String)> {
    let session = SessionId::new();
    let now = OffsetDateTime::now_utc();
    let refresh = new_refresh_token();
    let refresh_expires = now + offset(config.refresh_ttl);
    let session_expires = now + offset(config.session_max_age);
    conn.transaction(async move |conn| {
        diesel::insert_into(sessions::table)
            .values((
                sessions::id.eq(session),
                sessions::account_id.eq(account),
                sessions::expires_at.eq(session_expires),
            ))
            .execute(conn)
            .await?;
        diesel::insert_into(refresh_tokens::table)
            .values((
                refresh_tokens::token_hash.eq(secret_hash(&refresh)),
                refresh_tokens::session_id.eq(session),
                refresh_tokens::expires_at.eq(refresh_expires.min(session_expires)),
            ))
            .execute(conn)
            .await?;
        Ok((session, refresh))
    })
    .await
}

pub enum Refreshed {
    /// The token was good (or is a retry inside the grace window): the session and the
    /// refresh token to use next.
    Rotated {
        account: AccountId,
        session: SessionId,
        refresh_token: String,
    },
    /// Unknown, expired, or its session or account has ended.
    Invalid,
    /// Already used, outside the grace window or after its successor was used: the session
    /// has now been revoked.
    Reused,
}

const SEAL_PURPOSE: &[u8] = b"refresh successor";

/// Trades `presented` for its successor. A token is spent once; presenting it again within
/// `config.refresh_grace` of its use, while its successor is unused, hands back that same
/// successor (the client lost the response and retried). Any other reuse means the token was
/// copied, and the whole session is revoked.
pub async fn refresh(
    conn: &mut AsyncPgConnection,
    presented: &str,
    config: &TokenConfig,
    sealer: &Sealer,
) -> QueryResult<Refreshed> {
    let hash = secret_hash(presented);
    let next = new_refresh_token();
    let sealed_next = sealer.seal(SEAL_PURPOSE, presented.as_bytes(), next.as_bytes());
    let refresh_ttl = offset(config.refresh_ttl);
    let grace = offset(config.refresh_grace);
    conn.transaction(async move |conn| {
        let now = OffsetDateTime::now_utc();
        let found = refresh_tokens::table
            .inner_join(sessions::table.inner_join(accounts::table))
            .filter(refresh_tokens::token_hash.eq(&hash))
            .select((
                refresh_tokens::used_at,
                refresh_tokens::expires_at,
                refresh_tokens::successor_hash,
                refresh_tokens::successor_sealed,
                sessions::id,
                sessions::expires_at,
                sessions::revoked_at,
                accounts::id,
                accounts::deactivated_at,
            ))
            .for_update()
            .first::<(
                Option<OffsetDateTime>,
                OffsetDateTime,
                Option<Vec<u8>>,
                Option<Vec<u8>>,
                Uuid,
                OffsetDateTime,
                Option<OffsetDateTime>,
                Uuid,
                Option<OffsetDateTime>,
            )>(conn)
            .await
            .optional()?;
        let Some((
            used,
            expires,
            successor_hash,
            successor_sealed,
            session,
            session_expires,
            revoked,
            account,
            deactivated,
        )) = found
        else {
            return Ok(Refreshed::Invalid);
        };
        let live = session_expires > now && revoked.is_none() && deactivated.is_none();
        if let Some(used) = used {
            if let (true, Some(successor_hash), Some(sealed)) =
                (live && used > now - grace, successor_hash, successor_sealed)
            {
                let successor_unused = refresh_tokens::table
                    .find(&successor_hash)
                    .filter(refresh_tokens::used_at.is_null())
                    .filter(refresh_tokens::expires_at.gt(now))
                    .select(refresh_tokens::token_hash)
                    .for_update()
                    .first::<Vec<u8>>(conn)
                    .await
                    .optional()?
                    .is_some();
                let successor = sealer
                    .open(SEAL_PURPOSE, presented.as_bytes(), &sealed)
                    .and_then(|t| String::from_utf8(t).ok());
                if let (true, Some(successor)) = (successor_unused, successor) {
                    return Ok(Refreshed::Rotated {
                        account: AccountId(account),
                        session: SessionId(session),
                        refresh_token: successor,
                    });
                }
            }
            revoke(conn, SessionId(session), RevokeReason::RefreshTokenReused).await?;
            return Ok(Refreshed::Reused);
        }
        if expires <= now || !live {
            return Ok(Refreshed::Invalid);
        }
        let next_hash = secret_hash(&next);
        diesel::insert_into(refresh_tokens::table)
            .values((
                refresh_tokens::token_hash.eq(&next_hash),
                refresh_tokens::session_id.eq(session),
                refresh_tokens::expires_at.eq((now + refresh_ttl).min(session_expires)),
            ))
            .execute(conn)
            .await?;
        diesel::update(refresh_tokens::table.find(&hash))
            .set((
                refresh_tokens::used_at.eq(now),
                refresh_tokens::successor_hash.eq(&next_hash),
                refresh_tokens::successor_sealed.eq(sealed_next),
            ))
            .execute(conn)
            .await?;
        Ok(Refreshed::Rotated {
            account: AccountId(account),
            session: SessionId(session),
            refresh_token: next,
        })
    })
    .await
}

/// What `/v1/me` shows: the account, its organisation, and the person it belongs to (for a
/// person's own login).
pub type MeRow = (
    (Uuid, Option<String>, String, Role, bool),
    Option<(Uuid, String, OrganisationKind)>,
    Option<(Uuid, String, Lang)>,
);

/// The caller's own account, organisation and person, checking the session in the same
/// statement (`None`: the session is not live).
pub async fn me(conn: &mut AsyncPgConnection, user: &CurrentUser) -> QueryResult<Option<MeRow>> {
    let (account, session) = user.claims();
    crate::auth::session::live_session!(account, session)
        .left_join(people::table.on(people::account_id.eq(accounts::id.nullable())))
        .select((
            (
                accounts::id,
                accounts::email,
                accounts::name,
                accounts::role,
                accounts::email_verified_at.is_not_null(),
            ),
            (organisations::id, organisations::name, organisations::kind).nullable(),
            (
                people::id,
                people::preferred_name,
                people::preferred_language,
            )
                .nullable(),
        ))
        .first(conn)
        .await
        .optional()
}

/// Housekeeping: ended sessions. A revoked session's access tokens die within the access-token
/// lifetime; a day is ample.
pub async fn purge_expired(conn: &mut AsyncPgConnection) -> diesel::QueryResult<usize> {
    diesel::sql_query(
        "DELETE FROM sessions WHERE expires_at < now() OR revoked_at < now() - interval '1 day'",
    )
    .execute(conn)
    .await
}

/// Housekeeping: refresh tokens past their expiry.
pub async fn purge_expired_refresh_tokens(
    conn: &mut AsyncPgConnection,
) -> diesel::QueryResult<usize> {
    diesel::sql_query("DELETE FROM refresh_tokens WHERE expires_at < now()")
        .execute(conn)
        .await
}
