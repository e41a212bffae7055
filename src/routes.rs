//! The one route table. Every endpoint of the service is registered here and nowhere else; its
//! OpenAPI entry comes from the same registration.

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::{accounts, contracts, health, invitations, organisations, sessions};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::live::live)
        .service(health::ready::ready)
        .service(health::metrics::metrics)
        .service(
            scope::scope("/v1")
                // sessions
                .service(sessions::login::login)
                .service(sessions::refresh::refresh)
                .service(sessions::logout::logout)
                .service(sessions::logout_all::logout_all)
                .service(sessions::change_password::change_password)
                .service(sessions::me::me)
                // organisations and contracts
                .service(organisations::create::create)
                .service(organisations::list::list)
                .service(organisations::get::get)
                .service(contracts::create::create)
                .service(contracts::list::list)
                // staff
                .service(invitations::create::create)
                .service(invitations::accept::accept)
                .service(accounts::list::list)
                .service(accounts::get::get)
                .service(accounts::update::update),
        );
}
