//! Live updates across instances. Each instance keeps one connection of its own (outside the
//! pool) that `LISTEN`s on `camau_activity`; the trigger on `activities` sends the ids of each
//! new row on commit, so a change made through any instance reaches every instance. Here the
//! ids fan out in-process to the open streams (`feed::stream`), each of which checks the
//! caller's access again before sending anything. Streams are bounded per account and per
//! instance.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
use futures_util::StreamExt;
use secrecy::ExposeSecret;
use tokio::sync::{Notify, broadcast};
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::ids::AccountId;

/// One new activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    pub activity: Uuid,
    pub person: Uuid,
}

impl Event {
    /// Not an activity: events may have been missed, streams should tell clients to reload.
    pub const RESYNC: Event = Event {
        activity: Uuid::nil(),
        person: Uuid::nil(),
    };

    fn parse(payload: &str) -> Option<Self> {
        let (activity, person) = payload.split_once(' ')?;
        Some(Event {
            activity: activity.parse().ok()?,
            person: person.parse().ok()?,
        })
    }
}

type Streams = VecDeque<(u64, Arc<Notify>)>;

pub struct Hub {
    events: broadcast::Sender<Event>,
    /// Each account's open streams, oldest first, each with the signal that ends it.
    open: Mutex<HashMap<AccountId, Streams>>,
    next_id: std::sync::atomic::AtomicU64,
    total: AtomicUsize,
    per_account: usize,
    per_instance: usize,
    /// Whether the listening connection is up: streams opened meanwhile would miss events.
    listening: std::sync::atomic::AtomicBool,
    /// Set when the instance is stopping: open streams end (reason `shutdown`) so the server
    /// can stop without waiting out its grace period, and clients reconnect elsewhere.
    closing: tokio::sync::watch::Sender<bool>,
}

/// An open stream's place; dropping it frees the place.
pub struct Slot {
    hub: Arc<Hub>,
    account: AccountId,
    id: u64,
    /// Signalled when a newer stream of the same account takes this one's place.
    pub replaced: Arc<Notify>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.hub.total.fetch_sub(1, Ordering::SeqCst);
        if let Ok(mut open) = self.hub.open.lock()
            && let Some(streams) = open.get_mut(&self.account)
        {
            streams.retain(|(id, _)| *id != self.id);
            if streams.is_empty() {
                open.remove(&self.account);
            }
        }
    }
}

impl Hub {
    pub fn new(per_account: usize, per_instance: usize) -> Arc<Self> {
        let (events, _) = broadcast::channel(1024);
        Arc::new(Hub {
            events,
            open: Mutex::new(HashMap::new()),
            next_id: std::sync::atomic::AtomicU64::new(0),
            total: AtomicUsize::new(0),
            per_account: per_account.max(1),
            per_instance: per_instance.max(1),
            listening: std::sync::atomic::AtomicBool::new(false),
            closing: tokio::sync::watch::Sender::new(false),
        })
    }

    /// Ends every open stream and refuses new ones: the instance is stopping.
    pub fn close_all(&self) {
        self.closing.send_replace(true);
    }

    /// Becomes true when the instance starts stopping.
    pub fn closing(&self) -> tokio::sync::watch::Receiver<bool> {
        self.closing.subscribe()
    }

    /// A place for a new stream of `account`. Past the account's bound, its oldest stream is
    /// ended (`event: end`, reason `replaced`) to make room: a phone that changed network
    /// leaves a half-open connection behind that the server cannot yet tell is dead, and its
    /// reconnection must not be refused for it. Past the instance's bound, 503 with
    /// `Retry-After` (another instance behind the load balancer may have room).
    pub fn open(self: &Arc<Self>, account: AccountId) -> ApiResult<Slot> {
        if *self.closing.borrow() {
            return Err(ApiError::busy()
                .with_detail("this instance is stopping; reconnect")
                .retry_after(1));
        }
        let mut open = self.open.lock().map_err(|_| ApiError::busy())?;
        if self.total.fetch_add(1, Ordering::SeqCst) >= self.per_instance {
            self.total.fetch_sub(1, Ordering::SeqCst);
            return Err(ApiError::busy()
                .with_detail("this instance has no room for another live stream")
                .retry_after(5));
        }
        let streams = open.entry(account).or_default();
        while streams.len() >= self.per_account {
            if let Some((_, oldest)) = streams.pop_front() {
                oldest.notify_one();
            }
        }
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        let replaced = Arc::new(Notify::new());
        streams.push_back((id, replaced.clone()));
        Ok(Slot {
            hub: self.clone(),
            account,
            id,
            replaced,
        })
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.events.subscribe()
    }

    pub fn is_listening(&self) -> bool {
        self.listening.load(Ordering::SeqCst)
    }

    /// Streams open on this instance now.
    pub fn open_streams(&self) -> usize {
        self.total.load(Ordering::SeqCst)
    }
}

/// Keeps the listening connection up for as long as the server runs, reconnecting with
/// backoff; checks it every `check` with a trivial query, since a silently broken connection
/// would just stop delivering.
pub async fn listen(hub: Arc<Hub>, database: crate::config::DatabaseConfig, check: Duration) {
    let mut wait = Duration::from_millis(500);
    loop {
        match listen_once(&hub, &database, check).await {
            Ok(()) => wait = Duration::from_millis(500),
            Err(e) => {
                tracing::warn!(error = %e, "live updates: listening connection lost; reconnecting");
            }
        }
        hub.listening.store(false, Ordering::SeqCst);
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(Duration::from_secs(30));
    }
}

async fn listen_once(
    hub: &Hub,
    database: &crate::config::DatabaseConfig,
    check: Duration,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let mut conn = AsyncPgConnection::establish(database.url.expose_secret()).await?;
    conn.batch_execute("LISTEN camau_activity").await?;
    hub.listening.store(true, Ordering::SeqCst);
    // Whatever was announced while this instance was not listening is lost to it: every
    // open stream is told to reload (`event: reset`).
    let _ = hub.events.send(Event::RESYNC);
    tracing::info!("live updates: listening");
    loop {
        let next = {
            let stream = conn.notifications_stream();
            futures_util::pin_mut!(stream);
            tokio::time::timeout(check, stream.next()).await
        };
        match next {
            Ok(Some(Ok(n))) => {
                if let Some(event) = Event::parse(&n.payload) {
                    // No receivers is fine: nobody is watching on this instance.
                    let _ = hub.events.send(event);
                }
            }
            Ok(Some(Err(e))) => return Err(e.into()),
            Ok(None) => return Err("notification stream ended".into()),
            Err(_) => tokio::time::timeout(Duration::from_secs(5), conn.batch_execute("SELECT 1"))
                .await
                .map_err(|_| "the listening connection did not answer")??,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    #[test]
    fn payloads_are_two_ids() {
        let (a, p) = (Uuid::now_v7(), Uuid::now_v7());
        assert_eq!(
            Event::parse(&format!("{a} {p}")),
            Some(Event {
                activity: a,
                person: p
            })
        );
        assert_eq!(Event::parse("nonsense"), None);
    }

    #[tokio::test]
    async fn a_new_stream_replaces_the_accounts_oldest_and_the_instance_is_bounded() {
        let hub = Hub::new(2, 3);
        let (a, b) = (AccountId::new(), AccountId::new());
        let a1 = hub.open(a).unwrap();
        let _a2 = hub.open(a).unwrap();
        let _a3 = hub.open(a).unwrap();
        // The oldest was told to end; it frees its place when it does.
        tokio::time::timeout(Duration::from_secs(1), a1.replaced.notified())
            .await
            .expect("the oldest stream is replaced");
        assert_eq!(
            hub.open(b).err().unwrap().code,
            ErrorCode::ServiceUnavailable
        );
        drop(a1);
        let _b2 = hub.open(b).unwrap();
        assert_eq!(hub.open_streams(), 3);
    }
}
