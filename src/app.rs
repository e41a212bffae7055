//! `Application::build(config)`: the one place the server is wired. `main` and the tests both
//! use it (the tests through `app`, in-process), so what is tested is what runs.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::{DefaultHeaders, from_fn};
use actix_web::{App, HttpServer, web};
use utoipa_swagger_ui::SwaggerUi;

use crate::config::Config;
use crate::http::deadline::body_deadline;
use crate::http::extract::{self, RouteIndex};
use crate::http::idempotency::idempotency;
use crate::http::observe::{Metrics, observe};
use crate::http::text::text_guard;
use crate::state::{AppState, StartupError};

/// Everything the workers share; cheap to clone.
#[derive(Clone)]
pub struct Shared {
    pub state: web::Data<AppState>,
    metrics: web::Data<Metrics>,
    routes: web::Data<RouteIndex>,
    spec: Arc<utoipa::openapi::OpenApi>,
}

impl Shared {
    pub fn new(config: Config) -> Result<Self, StartupError> {
        let spec = crate::routes::spec();
        Ok(Shared {
            state: web::Data::new(AppState::new(config)?),
            metrics: web::Data::new(Metrics::new()?),
            routes: web::Data::new(RouteIndex::from_openapi(&spec)),
            spec: Arc::new(spec),
        })
    }
}

/// The actix `App`: extractor error handlers, the route table, the docs and the fallback, all
/// behind the request-id / metrics / access-log middleware.
pub fn app(
    shared: Shared,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let max_json = shared.state.config.max_json_bytes;
    App::new()
        .app_data(shared.state.clone())
        .app_data(shared.state.tokens.clone())
        .app_data(shared.metrics.clone())
        .app_data(shared.routes.clone())
        .app_data(extract::json_config(max_json))
        .app_data(extract::path_config())
        .app_data(extract::query_config())
        .configure(|cfg| {
            crate::routes::configure(&mut utoipa_actix_web::service_config::ServiceConfig::new(
                cfg,
            ))
        })
        .configure(crate::routes::console)
        .service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", (*shared.spec).clone()))
        .route(
            "/docs",
            web::get().to(|| async {
                actix_web::HttpResponse::PermanentRedirect()
                    .insert_header(("Location", "/docs/"))
                    .finish()
            }),
        )
        .default_service(web::to(extract::fallback))
        .wrap(from_fn(crate::http::audit_reads::audit_reads))
        .wrap(from_fn(idempotency))
        .wrap(from_fn(text_guard))
        .wrap(from_fn(body_deadline))
        .wrap(from_fn(extract::method_guard))
        // Nothing the API answers may be cached by a shared cache or the phone's HTTP cache
        // (personal data), nor sniffed into another type.
        .wrap(
            DefaultHeaders::new()
                .add(("Cache-Control", "no-store"))
                .add(("X-Content-Type-Options", "nosniff")),
        )
        .wrap(from_fn(crate::social::uploads::tus_resumable))
        .wrap(from_fn(observe))
}

/// A bound, not yet running, server.
pub struct Application {
    port: u16,
    server: Server,
    state: web::Data<AppState>,
}

impl Application {
    pub fn build(config: Config) -> Result<Self, StartupError> {
        let listener = TcpListener::bind(config.bind)?;
        let port = listener.local_addr()?.port();
        let workers = config.workers;
        let shared = Shared::new(config)?;
        let state = shared.state.clone();
        let mut server = HttpServer::new(move || app(shared.clone()))
            .listen(listener)?
            // SIGTERM/SIGINT: stop accepting, let requests in flight finish.
            .shutdown_timeout(30);
        if let Some(workers) = workers {
            server = server.workers(workers);
        }
        Ok(Application {
            port,
            server: server.run(),
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The state this server's workers share (for tests that run several instances).
    pub fn state(&self) -> web::Data<AppState> {
        self.state.clone()
    }

    /// Serves, delivering mail and purging expired rows in the background, until SIGTERM/SIGINT.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let interval = self.state.config.housekeeping_interval;
        let mail = tokio::spawn(crate::platform::mail::worker::run(
            self.state.clone().into_inner(),
            self.state.config.mail.poll_interval,
            AppState::outbox,
        ));
        let notifications = tokio::spawn(crate::social::notifications::worker::run(
            self.state.clone().into_inner(),
            self.state.config.push.poll_interval,
        ));
        let live = tokio::spawn(crate::social::live::listen(
            self.state.live.clone(),
            self.state.config.database.clone(),
            self.state.config.streams.heartbeat,
        ));
        // actix stops accepting on SIGTERM/SIGINT and waits for requests in flight; a live
        // stream never finishes by itself, so it is told to end, or every stop would take the
        // whole grace period.
        let hub = self.state.live.clone();
        let closing = tokio::spawn(async move {
            use tokio::signal::unix::{SignalKind, signal};
            let (Ok(mut term), Ok(mut int)) = (
                signal(SignalKind::terminate()),
                signal(SignalKind::interrupt()),
            ) else {
                return;
            };
            tokio::select! {
                _ = term.recv() => {}
                _ = int.recv() => {}
            }
            hub.close_all();
        });
        let housekeeping = tokio::spawn(crate::platform::housekeeping::run(self.state, interval));
        let result = self.server.await;
        closing.abort();
        housekeeping.abort();
        live.abort();
        notifications.abort();
        mail.abort();
        result
    }
}
