//! The feed as Server-Sent Events. A stream first replays what the client missed (after its
//! `Last-Event-ID`), then sends each new item the caller may see as it happens, with a
//! heartbeat. Every event, and every heartbeat, checks the caller's access again against the
//! live tables: a supporter removed from the circle, or stripped of a grant, stops receiving
//! at once, and a stream whose access ended is closed with an `end` event.

use std::collections::HashSet;
use std::sync::Arc;

use actix_web::HttpResponse;
use actix_web::web::Bytes;
use tokio::sync::{broadcast, mpsc};
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::auth::session::Actor;
use crate::error::{ApiResult, ErrorCode};
use crate::http::pagination::Page;
use crate::ids::PersonId;
use crate::social::feed::model::{self, Scope, Viewer};
use crate::social::feed::types::FeedItem;
use crate::social::live::{Event, Slot};
use crate::state::AppState;

/// Most missed items replayed on reconnection; past that the client gets `reset` and reloads
/// the feed.
const REPLAY: i64 = 100;

#[derive(Debug, Clone, Copy)]
pub enum Watch {
    Person(PersonId),
    Mine,
}

impl Watch {
    fn scope(self) -> Scope {
        match self {
            Watch::Person(p) => Scope::Person(p.0),
            Watch::Mine => Scope::Mine,
        }
    }
}

/// The caller's access now.
enum Access {
    Allowed(Actor),
    /// Session, relation or grant gone: the stream ends.
    Ended,
    /// The database could not say (busy, restarting): neither granted nor ended.
    Unknown,
}

async fn still_allowed(state: &AppState, user: &CurrentUser, watch: Watch) -> Access {
    let Ok(mut conn) = state.conn().await else {
        return Access::Unknown;
    };
    let checked = match watch {
        Watch::Person(p) => {
            crate::plan::people::authorize(&mut conn, user, p, PersonAction::ViewFeed)
                .await
                .map(|a| a.actor)
        }
        Watch::Mine => user.check(&mut conn).await,
    };
    match checked {
        Ok(actor) => Access::Allowed(actor),
        Err(e)
            if matches!(
                e.code,
                ErrorCode::Unauthenticated | ErrorCode::NotFound | ErrorCode::Forbidden
            ) =>
        {
            Access::Ended
        }
        Err(_) => Access::Unknown,
    }
}

fn frame(item: &FeedItem) -> Bytes {
    let data = serde_json::to_string(item).unwrap_or_default();
    Bytes::from(format!(
        "id: {}\nevent: activity\ndata: {data}\n\n",
        item.id
    ))
}

/// Opens a stream for `user`, already authorized as `actor`.
pub async fn open(
    state: Arc<AppState>,
    user: CurrentUser,
    actor: Actor,
    watch: Watch,
    last_event: Option<Uuid>,
) -> ApiResult<HttpResponse> {
    let slot = state.live.open(actor.account_id)?;
    // Subscribed before the replay is read, so nothing falls between the two.
    let events = state.live.subscribe();
    let mut conn = state.conn().await?;
    let mut replay = Vec::new();
    let mut reset = false;
    if let Some(last) = last_event {
        let page = Page {
            limit: REPLAY,
            after: None,
        };
        let items = model::page(&mut conn, Viewer::of(&actor), watch.scope(), page, None).await?;
        reset = items.len() as i64 > REPLAY && items.iter().all(|i| i.id > last);
        replay = items.into_iter().filter(|i| i.id > last).collect();
        replay.reverse();
    }
    let followed = followed_by(&mut conn, &actor, watch).await?;
    drop(conn);
    let (tx, rx) = mpsc::channel::<Bytes>(32);
    actix_web::rt::spawn(run(
        state, user, watch, slot, events, followed, replay, reset, tx,
    ));
    let body = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv()
            .await
            .map(|bytes| (Ok::<_, std::convert::Infallible>(bytes), rx))
    });
    Ok(HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header(("X-Accel-Buffering", "no"))
        .streaming(body))
}

async fn followed_by(
    conn: &mut diesel_async::AsyncPgConnection,
    actor: &Actor,
    watch: Watch,
) -> ApiResult<HashSet<Uuid>> {
    Ok(match watch {
        Watch::Person(p) => HashSet::from([p.0]),
        Watch::Mine => model::followed(conn, Viewer::of(actor))
            .await?
            .into_iter()
            .collect(),
    })
}

#[allow(clippy::too_many_arguments)]
async fn run(
    state: Arc<AppState>,
    user: CurrentUser,
    watch: Watch,
    slot: Slot,
    mut events: broadcast::Receiver<Event>,
    mut followed: HashSet<Uuid>,
    replay: Vec<FeedItem>,
    reset: bool,
    tx: mpsc::Sender<Bytes>,
) {
    let heartbeat_every = state.config.streams.heartbeat;
    let send = |bytes: Bytes| {
        let tx = tx.clone();
        async move { tx.send(bytes).await.is_ok() }
    };
    if !send(Bytes::from_static(b"retry: 5000\n\n")).await {
        return;
    }
    if reset && !send(Bytes::from_static(b"event: reset\ndata: {}\n\n")).await {
        return;
    }
    for item in &replay {
        if !send(frame(item)).await {
            return;
        }
    }
    let mut heartbeat = tokio::time::interval(heartbeat_every);
    heartbeat.tick().await;
    let end = Bytes::from_static(b"event: end\ndata: {\"reason\":\"access_ended\"}\n\n");
    let reload = Bytes::from_static(b"event: reset\ndata: {}\n\n");
    let replaced = slot.replaced.clone();
    let mut closing = state.live.closing();
    loop {
        tokio::select! {
            () = replaced.notified() => {
                let _ = send(Bytes::from_static(b"event: end\ndata: {\"reason\":\"replaced\"}\n\n")).await;
                return;
            }
            _ = closing.wait_for(|stopping| *stopping) => {
                let _ = send(Bytes::from_static(b"event: end\ndata: {\"reason\":\"shutdown\"}\n\n")).await;
                return;
            }
            event = events.recv() => match event {
                Ok(event) if event == Event::RESYNC => {
                    if !send(reload.clone()).await {
                        return;
                    }
                }
                Ok(event) if followed.contains(&event.person) => {
                    let actor = match still_allowed(&state, &user, watch).await {
                        Access::Allowed(actor) => actor,
                        Access::Ended => {
                            let _ = send(end).await;
                            return;
                        }
                        // Not known now: the client reloads rather than miss the item.
                        Access::Unknown => {
                            if !send(reload.clone()).await {
                                return;
                            }
                            continue;
                        }
                    };
                    let item = match state.conn().await {
                        Ok(mut conn) => {
                            let page = Page { limit: 1, after: None };
                            model::page(&mut conn, Viewer::of(&actor), watch.scope(), page, Some(&[event.activity]))
                                .await
                                .ok()
                                .and_then(|mut items| items.pop())
                        }
                        Err(_) => None,
                    };
                    if let Some(item) = item
                        && !send(frame(&item)).await
                    {
                        return;
                    }
                }
                Ok(_) => {}
                // This stream fell behind the instance's event buffer: the client reloads.
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    if !send(Bytes::from_static(b"event: reset\ndata: {}\n\n")).await {
                        return;
                    }
                }
                Err(broadcast::error::RecvError::Closed) => return,
            },
            _ = heartbeat.tick() => {
                let actor = match still_allowed(&state, &user, watch).await {
                    Access::Allowed(actor) => Some(actor),
                    Access::Ended => {
                        let _ = send(end).await;
                        return;
                    }
                    Access::Unknown => None,
                };
                if let Some(actor) = actor
                    && let (Watch::Mine, Ok(mut conn)) = (watch, state.conn().await)
                    && let Ok(now) = followed_by(&mut conn, &actor, watch).await
                {
                    followed = now;
                }
                if !send(Bytes::from_static(b": heartbeat\n\n")).await {
                    return;
                }
            }
            () = tx.closed() => return,
        }
    }
}

/// `Last-Event-ID`, when it is an activity id.
pub fn last_event_id(req: &actix_web::HttpRequest) -> Option<Uuid> {
    req.headers()
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
}
