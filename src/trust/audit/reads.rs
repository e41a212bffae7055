//! Read events, written by group commit. Every read of a person's record is on the trail
//! before its response leaves (`http::audit_reads` waits for its event), but the events of
//! reads in flight at the same moment go in one multi-row `INSERT` and one commit, by one
//! writer task on its own pooled connection, instead of a second checkout, an insert and a
//! commit per read. Measured (benches/README.md, issue 20): a read's event alone cost about
//! as much database time as the read; in batches of 16 each costs about a quarter of that.
//!
//! Durability is unchanged: a response waits for the commit of the statement holding its
//! event (asynchronous commit, as before: only a crash of the database itself within its WAL
//! writer delay could lose one). If the batch fails, every read in it answers 503.

use std::sync::Mutex;
use std::time::Duration;

use diesel::sql_types::{Array, Nullable, Text, Uuid as SqlUuid};
use diesel_async::RunQueryDsl;
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

use crate::db::DbPool;
use crate::error::{ApiError, ApiResult};
use crate::ids::{AccountId, OrganisationId, PersonId};

/// Events written in one statement at most (each a row of nine bound arrays).
const BATCH: usize = 500;
/// Events waiting for the writer before senders wait too.
const QUEUE: usize = 4_096;

/// A read of a person's record, as the trail records it (`details` is empty for reads).
pub struct ReadEvent {
    pub organisation: Option<OrganisationId>,
    pub actor: AccountId,
    pub person: PersonId,
    pub action: String,
    pub subject_type: &'static str,
    pub subject_id: Uuid,
}

/// An event and who waits for it: told whether its statement committed.
type Job = (Row, oneshot::Sender<bool>);

struct Row {
    id: Uuid,
    event: ReadEvent,
    request_id: Option<String>,
    client_request_id: Option<String>,
}

/// The queue to the writer, a thread of its own (so no request worker's load delays every
/// audited read), started on first use and again if it ever stopped; it ends when the queue's
/// last sender (the application state) is dropped.
pub struct Writer {
    queue: Mutex<Option<mpsc::Sender<Job>>>,
    /// The longest one batch may take before its reads answer 503 (the statement limit and a
    /// second: a connection that stopped answering is not waited on for ever).
    limit: Duration,
}

impl Writer {
    pub fn new(statement_timeout: Duration) -> Self {
        Writer {
            queue: Mutex::new(None),
            limit: statement_timeout + Duration::from_secs(1),
        }
    }

    /// Records `event` with the current request's ids; returns once it is committed. A read
    /// waits for that at most one batch's limit, however long the queue before it: past that
    /// it answers 503 (its event may still be written, so the trail holds a read that was
    /// refused rather than lacking one that was served).
    pub async fn record(&self, pool: &DbPool, event: ReadEvent) -> ApiResult<()> {
        let row = Row {
            id: Uuid::now_v7(),
            event,
            request_id: crate::platform::telemetry::request_id::current(),
            client_request_id: crate::platform::telemetry::request_id::client(),
        };
        let (done, written) = oneshot::channel();
        let recorded = async {
            let queue = self.sender(pool);
            if let Err(mpsc::error::SendError((row, done))) = queue.send((row, done)).await {
                // The writer stopped (its runtime ended): start another and hand it over.
                *self.lock() = None;
                self.sender(pool).send((row, done)).await.ok()?;
            }
            // The writer logged why a batch failed; the read is withheld and may be tried again.
            written.await.ok().filter(|committed| *committed)
        };
        match tokio::time::timeout(self.limit, recorded).await {
            Ok(Some(_)) => Ok(()),
            _ => Err(ApiError::busy()),
        }
    }

    /// The queue slot; a panic elsewhere while it was held leaves nothing half-done in it.
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<mpsc::Sender<Job>>> {
        self.queue
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn sender(&self, pool: &DbPool) -> mpsc::Sender<Job> {
        let mut queue = self.lock();
        queue
            .get_or_insert_with(|| {
                let (tx, rx) = mpsc::channel(QUEUE);
                let (pool, limit) = (pool.clone(), self.limit);
                let started = std::thread::Builder::new()
                    .name("camau-read-events".into())
                    .spawn(move || {
                        match tokio::runtime::Builder::new_current_thread()
                            .enable_all()
                            .build()
                        {
                            Ok(rt) => rt.block_on(run(pool, rx, limit)),
                            Err(e) => tracing::error!(error = %e, "read events: no runtime"),
                        }
                    });
                if let Err(e) = started {
                    // The queue's receiver is gone with the closure: each read answers 503.
                    tracing::error!(error = %e, "read events: no writer thread");
                }
                tx
            })
            .clone()
    }
}

/// Takes what is waiting (at least one event), writes it in one statement, answers each.
async fn run(pool: DbPool, mut rx: mpsc::Receiver<Job>, limit: Duration) {
    let mut jobs = Vec::with_capacity(BATCH);
    while rx.recv_many(&mut jobs, BATCH).await > 0 {
        let written = match write(&pool, &jobs, limit).await {
            Ok(()) => true,
            Err(e) => {
                tracing::warn!(error = ?e, events = jobs.len(), "read events could not be written");
                false
            }
        };
        for (_, done) in jobs.drain(..) {
            let _ = done.send(written);
        }
    }
}

async fn write(pool: &DbPool, jobs: &[Job], limit: Duration) -> ApiResult<()> {
    let mut conn = pool.get().await?;
    let rows = jobs.iter().map(|(r, _)| r);
    let insert = diesel::sql_query(
        "WITH c AS (SELECT set_config('synchronous_commit', 'off', true)),
         e AS (
             INSERT INTO audit_events (id, organisation_id, actor_account_id, actor_role,
                                       person_id, action, subject_type, subject_id, details,
                                       request_id, client_request_id)
             SELECT x.id, coalesce(x.org, (SELECT organisation_id FROM people WHERE id = x.person)),
                    x.actor, coalesce((SELECT role FROM accounts WHERE id = x.actor), 'system'),
                    x.person, x.action, x.subject_type, x.subject_id, '{}'::jsonb,
                    x.request_id, x.client_request_id
               FROM c, unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[],
                              $6::text[], $7::uuid[], $8::text[], $9::text[])
                    AS x (id, org, actor, person, action, subject_type, subject_id, request_id,
                          client_request_id)
             RETURNING 1)
         SELECT count(*) FROM e",
    )
    .bind::<Array<SqlUuid>, _>(rows.clone().map(|r| r.id).collect::<Vec<_>>())
    .bind::<Array<Nullable<SqlUuid>>, _>(
        rows.clone()
            .map(|r| r.event.organisation.map(|o| o.0))
            .collect::<Vec<_>>(),
    )
    .bind::<Array<SqlUuid>, _>(rows.clone().map(|r| r.event.actor.0).collect::<Vec<_>>())
    .bind::<Array<SqlUuid>, _>(rows.clone().map(|r| r.event.person.0).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(
        rows.clone()
            .map(|r| r.event.action.as_str())
            .collect::<Vec<_>>(),
    )
    .bind::<Array<Text>, _>(
        rows.clone()
            .map(|r| r.event.subject_type)
            .collect::<Vec<_>>(),
    )
    .bind::<Array<SqlUuid>, _>(rows.clone().map(|r| r.event.subject_id).collect::<Vec<_>>())
    .bind::<Array<Nullable<Text>>, _>(
        rows.clone()
            .map(|r| r.request_id.as_deref())
            .collect::<Vec<_>>(),
    )
    .bind::<Array<Nullable<Text>>, _>(
        rows.map(|r| r.client_request_id.as_deref())
            .collect::<Vec<_>>(),
    );
    match tokio::time::timeout(limit, insert.execute(&mut conn)).await {
        Ok(done) => done.map(|_| ()).map_err(Into::into),
        Err(_) => {
            // Not back to the pool: it may never answer.
            let _ = deadpool::managed::Object::take(conn);
            Err(ApiError::busy())
        }
    }
}
