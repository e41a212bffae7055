//! `AppState`: what every handler may reach (configuration, the pool, keys, hashing, storage).
//! It sits below every slice, so slices import it and never `app` or `routes`, which only
//! `main`, `lib` and the tests import.

use actix_web::web;
use secrecy::ExposeSecret;

use crate::auth::password::Passwords;
use crate::auth::seal::Sealer;
use crate::auth::tokens::TokenKeys;
use crate::config::Config;
use crate::db::{self, DbConn, DbPool};
use crate::error::ApiResult;
use crate::platform::mail::worker::{Mailer, Outbox};
use crate::platform::storage::Storage;

/// What every handler may reach: configuration, the pool, keys, hashing and storage.
pub struct AppState {
    pub config: Config,
    pub pool: DbPool,
    /// The read replica's pool, when one is configured (see [`AppState::read_conn`]).
    pub read_pool: Option<DbPool>,
    /// Also registered on its own, for the `CurrentUser` extractor (which needs nothing else).
    pub tokens: web::Data<TokenKeys>,
    pub passwords: Passwords,
    pub storage: Storage,
    /// Seals replayable responses, refresh successors and queued mail (see `auth::seal`).
    pub sealer: Sealer,
    /// Delivers the mail outbox (see `mail::worker`).
    pub mailer: Mailer,
    /// Cleans photos, a few at a time (see `images`).
    pub photo_workers: crate::social::images::Workers,
    /// Live updates (see `live`).
    pub live: std::sync::Arc<crate::social::live::Hub>,
    /// Sends push notifications (see `notifications`).
    pub pusher: crate::social::push::Pusher,
    /// Writes read events by group commit (see `audit::reads`).
    pub read_events: crate::trust::audit::reads::Writer,
}

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("database pool: {0}")]
    Pool(#[from] deadpool::managed::BuildError),
    #[error("mail: {0}")]
    Mail(String),
    #[error("push notifications: {0}")]
    Push(String),
    #[error("password hasher: {0}")]
    Passwords(String),
    #[error("object storage: {0}")]
    Storage(#[from] object_store::Error),
    #[error("metrics: {0}")]
    Metrics(#[from] prometheus::Error),
    #[error("listening socket: {0}")]
    Io(#[from] std::io::Error),
}

impl AppState {
    pub fn new(config: Config) -> Result<Self, StartupError> {
        Ok(AppState {
            pool: db::pool(&config.database)?,
            read_pool: config
                .database
                .read_url
                .as_ref()
                .map(|url| db::pool_at(&config.database, url.expose_secret()))
                .transpose()?,
            tokens: web::Data::new(TokenKeys::new(&config.tokens)),
            passwords: Passwords::new(config.password_hash_concurrency, config.password_hash_queue)
                .map_err(|e| StartupError::Passwords(e.to_string()))?,
            storage: Storage::from_config(&config.storage)?,
            mailer: Mailer::new(&config.mail).map_err(StartupError::Mail)?,
            photo_workers: crate::social::images::Workers::new(
                config.photos.concurrency,
                config.photos.max_bytes_in_flight,
                config.photos.queue_wait,
            ),
            pusher: match &config.push.transport {
                crate::config::PushTransport::Log => crate::social::push::Pusher::Log,
                crate::config::PushTransport::Fcm {
                    credentials,
                    endpoint,
                } => crate::social::push::Pusher::Fcm(Box::new(
                    crate::social::push::Fcm::new(credentials.expose_secret(), endpoint)
                        .map_err(StartupError::Push)?,
                )),
            },
            live: crate::social::live::Hub::new(
                config.streams.per_account,
                config.streams.per_instance,
            ),
            sealer: Sealer::new(config.tokens.keys.iter().map(|(_, k)| k.clone()).collect()),
            read_events: crate::trust::audit::reads::Writer::new(config.database.statement_timeout),
            config,
        })
    }

    /// What the mail worker needs.
    pub fn outbox(&self) -> Outbox<'_> {
        Outbox {
            pool: &self.pool,
            sealer: &self.sealer,
            mailer: &self.mailer,
            config: &self.config.mail,
        }
    }

    /// A pooled connection; 503 when none frees up within the pool timeout.
    pub async fn conn(&self) -> ApiResult<DbConn> {
        Ok(self.pool.get().await?)
    }

    /// A connection for reading what reports, dashboards and exports read: the read replica
    /// when one is configured and has replayed everything the primary had committed when this
    /// is called (waiting up to `CAMAU_READ_REPLICA_WAIT_MS`); the primary otherwise (logged),
    /// so a replica that is down or behind makes these reads slower for the primary, never
    /// older than the request and never unavailable. Only for reads: a replica refuses writes.
    pub async fn read_conn(&self) -> ApiResult<DbConn> {
        if let Some(pool) = &self.read_pool {
            // The primary's connection goes back while the replica is awaited.
            let from = db::primary_position(&mut *self.conn().await?).await?;
            match db::replica(pool, &from, self.config.database.read_wait).await {
                Ok(conn) => return Ok(conn),
                Err(why) => {
                    tracing::warn!(
                        why,
                        "reading from the primary: the read replica is not usable"
                    );
                }
            }
        }
        self.conn().await
    }
}
