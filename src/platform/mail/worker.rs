//! Delivers the outbox. Each pass claims due mails with `FOR UPDATE SKIP LOCKED` (several
//! instances never send one mail twice at once), sends them, and records the outcome: sent
//! (the sealed copy is dropped), a transient failure (tried again after a growing delay), or a
//! permanent one or too many attempts (given up; the sealed copy is dropped too). A mail claimed
//! by an instance that dies is tried again when its claim lapses.

use std::time::Duration;

use std::sync::Arc;

use diesel::sql_types::{Bytea, Integer, Text, Uuid as SqlUuid};
use diesel::{ExpressionMethods, QueryDsl, QueryableByName};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::seal::Sealer;
use crate::config::{MailConfig, MailTransport};
use crate::db::DbPool;
use crate::db::schema::outbox_emails;
use crate::error::ApiResult;
use crate::platform::mail::{Mail, open};

/// How mail leaves: over SMTP, or (development) a log line with no recipient and no body.
pub enum Mailer {
    Log,
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

/// Why a send failed, in words that hold no address or content.
#[derive(Clone)]
struct Failure {
    /// The server refused this recipient: trying again cannot help.
    permanent: bool,
    /// The server could not be reached at all: the rest of the batch would fare the same.
    unreachable: bool,
    reason: String,
}

/// Replies that condemn one recipient (RFC 5321: mailbox unavailable, user not local, mailbox
/// name not allowed). Every other failure, 5xx included, is treated as passing: a 535 after a
/// password rotation or a 530 wanting STARTTLS is the server's configuration, and must not
/// throw the whole outbox away.
const RECIPIENT_REFUSED: [&str; 3] = ["550", "551", "553"];

impl Mailer {
    pub fn new(config: &MailConfig) -> Result<Self, String> {
        config
            .from
            .parse::<lettre::message::Mailbox>()
            .map_err(|e| format!("CAMAU_MAIL_FROM: {e}"))?;
        Ok(match &config.transport {
            MailTransport::Log => {
                tracing::warn!(
                    "CAMAU_MAIL_TRANSPORT=log: invitations and password resets are not sent"
                );
                Mailer::Log
            }
            MailTransport::Smtp(url) => Mailer::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret())
                    .map_err(|e| format!("CAMAU_SMTP_URL: {e}"))?
                    .timeout(Some(SEND_TIMEOUT))
                    .build(),
            ),
        })
    }

    async fn send(&self, from: &str, id: Uuid, mail: Mail) -> Result<(), Failure> {
        let permanent = |reason: &str| Failure {
            permanent: true,
            unreachable: false,
            reason: reason.into(),
        };
        let message = Message::builder()
            .from(from.parse().map_err(|_| permanent("bad sender address"))?)
            .to(mail
                .to
                .parse()
                .map_err(|_| permanent("bad recipient address"))?)
            .message_id(Some(format!("<{id}@camau>")))
            .subject(mail.subject)
            .header(ContentType::TEXT_PLAIN)
            .header(ContentTransferEncoding::QuotedPrintable)
            .body(mail.text)
            .map_err(|_| permanent("cannot build message"))?;
        match self {
            Mailer::Log => {
                tracing::info!(mail_id = %id, "mail not sent: the log transport is configured");
                Ok(())
            }
            Mailer::Smtp(transport) => transport.send(message).await.map(|_| ()).map_err(|e| {
                let code = e.status().map(|c| c.to_string());
                Failure {
                    permanent: code
                        .as_deref()
                        .is_some_and(|c| RECIPIENT_REFUSED.contains(&c)),
                    unreachable: code.is_none(),
                    reason: match code {
                        Some(code) => format!("smtp {code}"),
                        None if e.is_timeout() => "smtp timeout".into(),
                        None => "smtp connection".into(),
                    },
                }
            }),
        }
    }
}

#[derive(QueryableByName)]
struct Claimed {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Bytea)]
    sealed: Vec<u8>,
    #[diesel(sql_type = Integer)]
    attempts: i32,
}

/// What one pass did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Pass {
    pub sent: usize,
    pub retrying: usize,
    pub given_up: usize,
}

/// How long a claimed mail is left alone before another pass may try it: longer than a whole
/// batch of sends at their timeout (`BATCH` × 20 s), so no two instances send one mail at once.
const CLAIM_SECS: i32 = 300;
/// The longest one send may take, connection included.
const SEND_TIMEOUT: Duration = Duration::from_secs(20);
const BATCH: i32 = 5;

/// The wait before attempt `n + 1`: 30 s, 1, 2, 4 ... minutes, at most 6 hours.
/// The wait before try `attempts + 1`: 30 s, doubling, at most 6 hours.
pub fn backoff(attempts: i32) -> time::Duration {
    let secs = 30i64.saturating_mul(1i64 << attempts.clamp(0, 20) as u32 >> 1);
    time::Duration::seconds(secs.clamp(30, 6 * 3600))
}

async fn claim(conn: &mut AsyncPgConnection, batch: i32) -> ApiResult<Vec<Claimed>> {
    Ok(diesel::sql_query(
        // Oldest due first: an UPDATE's RETURNING has no order of its own, and when the
        // server turns out to be down, the mails after the first wait without losing an
        // attempt, so the first must be the one waiting longest.
        "WITH due AS (SELECT id, next_attempt_at FROM outbox_emails \
           WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now() \
           ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED), \
         claimed AS (UPDATE outbox_emails o SET attempts = o.attempts + 1, \
           next_attempt_at = now() + make_interval(secs => $2) \
           FROM due WHERE o.id = due.id \
           RETURNING o.id, o.kind, o.sealed, o.attempts, due.next_attempt_at AS due_at) \
         SELECT id, kind, sealed, attempts FROM claimed ORDER BY due_at, id",
    )
    .bind::<Integer, _>(batch)
    .bind::<Integer, _>(CLAIM_SECS)
    .load(conn)
    .await?)
}

/// What delivery needs (`AppState::outbox` lends it).
pub struct Outbox<'a> {
    pub pool: &'a DbPool,
    pub sealer: &'a Sealer,
    pub mailer: &'a Mailer,
    pub config: &'a MailConfig,
}

/// Delivers every due mail, a batch at a time, until none is due.
pub async fn deliver_due(outbox: Outbox<'_>) -> ApiResult<Pass> {
    let state = outbox;
    let mut pass = Pass::default();
    loop {
        let claimed = {
            let mut conn = state.pool.get().await?;
            claim(&mut conn, BATCH).await?
        };
        if claimed.is_empty() {
            return Ok(pass);
        }
        let mut unreachable: Option<Failure> = None;
        for mail in claimed {
            if unreachable.is_some() {
                // The server is down: the rest of the batch waits, untried, its claim's attempt
                // given back, so waiting never counts towards giving up.
                let mut conn = state.pool.get().await?;
                diesel::update(
                    outbox_emails::table
                        .find(mail.id)
                        .filter(outbox_emails::attempts.eq(mail.attempts)),
                )
                .set((
                    outbox_emails::attempts.eq(mail.attempts - 1),
                    outbox_emails::next_attempt_at
                        .eq(OffsetDateTime::now_utc() + backoff(mail.attempts)),
                ))
                .execute(&mut conn)
                .await?;
                pass.retrying += 1;
                continue;
            }
            let outcome = match (&unreachable, open(state.sealer, mail.id, &mail.sealed)) {
                (Some(down), _) => Err(down.clone()),
                (None, Some(m)) => state.mailer.send(&state.config.from, mail.id, m).await,
                (None, None) => Err(Failure {
                    permanent: true,
                    unreachable: false,
                    reason: "sealed under a retired key".into(),
                }),
            };
            if let Err(f) = &outcome
                && f.unreachable
            {
                unreachable = Some(f.clone());
            }
            let now = OffsetDateTime::now_utc();
            // Only while this pass's claim holds: a pass that outlived its claim must not
            // overwrite what a later one recorded.
            let row = outbox_emails::table
                .find(mail.id)
                .filter(outbox_emails::attempts.eq(mail.attempts))
                .filter(outbox_emails::sent_at.is_null())
                .filter(outbox_emails::failed_at.is_null());
            let mut conn = state.pool.get().await?;
            match outcome {
                Ok(()) => {
                    diesel::update(row)
                        .set((
                            outbox_emails::sent_at.eq(now),
                            outbox_emails::sealed.eq(None::<Vec<u8>>),
                            outbox_emails::last_error.eq(None::<String>),
                        ))
                        .execute(&mut conn)
                        .await?;
                    pass.sent += 1;
                }
                Err(f) if f.permanent || mail.attempts >= state.config.max_attempts => {
                    tracing::warn!(mail_id = %mail.id, kind = %mail.kind, attempts = mail.attempts,
                        reason = %f.reason, "mail given up");
                    diesel::update(row)
                        .set((
                            outbox_emails::failed_at.eq(now),
                            outbox_emails::sealed.eq(None::<Vec<u8>>),
                            outbox_emails::last_error.eq(f.reason),
                        ))
                        .execute(&mut conn)
                        .await?;
                    pass.given_up += 1;
                }
                Err(f) => {
                    tracing::info!(mail_id = %mail.id, kind = %mail.kind, attempts = mail.attempts,
                        reason = %f.reason, "mail will be retried");
                    diesel::update(row)
                        .set((
                            outbox_emails::next_attempt_at.eq(now + backoff(mail.attempts)),
                            outbox_emails::last_error.eq(f.reason),
                        ))
                        .execute(&mut conn)
                        .await?;
                    pass.retrying += 1;
                }
            }
        }
        if unreachable.is_some() {
            return Ok(pass);
        }
    }
}

/// Delivers the outbox every `interval` until the server stops.
pub async fn run<S: Send + Sync + 'static>(
    state: Arc<S>,
    interval: Duration,
    outbox: fn(&S) -> Outbox<'_>,
) {
    let mut tick = tokio::time::interval(interval);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = deliver_due(outbox(&state)).await {
            tracing::warn!(error = %e, "mail delivery pass failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::backoff;

    #[test]
    fn the_wait_doubles_from_thirty_seconds_to_at_most_six_hours() {
        let secs: Vec<i64> = (1..=12).map(|n| backoff(n).whole_seconds()).collect();
        assert_eq!(&secs[..5], &[30, 60, 120, 240, 480]);
        assert_eq!(*secs.last().unwrap(), 6 * 3600);
    }
}
