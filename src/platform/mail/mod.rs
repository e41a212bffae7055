//! Email that is really sent. What a mail is about (an invitation, a password reset) and the
//! mail itself are written in one transaction, to an outbox; a background worker (`worker`)
//! delivers it over SMTP with retries and backoff, so a slow or absent mail server never fails
//! or slows a request, and a crash between the two loses nothing. The recipient, subject and
//! body are sealed in the table (they carry codes and addresses) and dropped once delivered.

pub mod templates;
pub mod worker;

use diesel::ExpressionMethods;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::seal::Sealer;
use crate::db::schema::outbox_emails;
use crate::error::{ApiError, ApiResult};

crate::text_enum! {
    /// Why a mail is sent; kept in clear for operations (counts, retries), with no personal data.
    pub enum MailKind {
        StaffInvitation = "staff_invitation",
        CircleInvitation = "circle_invitation",
        PasswordReset = "password_reset",
        EmailVerification = "email_verification",
    }
}

/// One rendered mail: plain text, both languages, the recipient's first.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
}

const SEAL_PURPOSE: &[u8] = b"outbox mail";

/// Queues `mail` on `conn` (inside the caller's transaction, so it is sent exactly when what it
/// announces is committed).
pub async fn enqueue(
    conn: &mut AsyncPgConnection,
    sealer: &Sealer,
    kind: MailKind,
    mail: &Mail,
) -> ApiResult<Uuid> {
    let id = Uuid::now_v7();
    let plain = serde_json::to_vec(mail).map_err(ApiError::internal)?;
    let sealed = sealer
        .seal(SEAL_PURPOSE, id.as_bytes(), &plain)
        .ok_or_else(|| ApiError::internal("cannot seal mail"))?;
    diesel::insert_into(outbox_emails::table)
        .values((
            outbox_emails::id.eq(id),
            outbox_emails::kind.eq(kind),
            outbox_emails::sealed.eq(sealed),
        ))
        .execute(conn)
        .await?;
    Ok(id)
}

/// Records a mail that is not sent (a password reset asked for an email with no account): a row
/// holding nothing personal, given up at once, so answering costs the same write either way.
pub async fn record_unsent(
    conn: &mut AsyncPgConnection,
    kind: MailKind,
    reason: &str,
) -> ApiResult<()> {
    let now = time::OffsetDateTime::now_utc();
    diesel::insert_into(outbox_emails::table)
        .values((
            outbox_emails::id.eq(Uuid::now_v7()),
            outbox_emails::kind.eq(kind),
            outbox_emails::failed_at.eq(now),
            outbox_emails::last_error.eq(reason),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// The mail sealed in row `id`; `None` when it cannot be opened (a server secret since
/// removed).
fn open(sealer: &Sealer, id: Uuid, sealed: &[u8]) -> Option<Mail> {
    let plain = sealer.open(SEAL_PURPOSE, id.as_bytes(), sealed)?;
    serde_json::from_slice(&plain).ok()
}

/// Housekeeping: sent or given-up mail holds nothing personal (its sealed copy is gone); a week
/// of it answers "was it sent?".
pub async fn purge_expired(conn: &mut AsyncPgConnection) -> diesel::QueryResult<usize> {
    diesel::sql_query(
        "DELETE FROM outbox_emails WHERE sent_at < now() - interval '7 days' \
         OR failed_at < now() - interval '7 days'",
    )
    .execute(conn)
    .await
}
