//! The one route table. Every endpoint of the service is registered here and nowhere else; its
//! OpenAPI entry comes from the same registration.

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::identity::{
    accounts, contracts, devices, invitations, organisations, recovery, sessions,
};
use crate::outcomes::{dashboard, frameworks, kpis, outcome_codes, reports};
use crate::plan::{circles, goals, people, profiles, reviews, scales};
use crate::platform::health;
use crate::social::{encouragement, feed, notifications, photos, stories};
use crate::trust::{audit_log, concerns, consents, erasure, exports, holds};

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
                .service(recovery::request_password_reset::request_password_reset)
                .service(recovery::confirm_password_reset::confirm_password_reset)
                .service(sessions::me::me)
                .service(devices::change_pin::change_pin)
                .service(recovery::request_email_verification::request_email_verification)
                .service(recovery::confirm_email_verification::confirm_email_verification)
                // organisations and contracts
                .service(organisations::create::create)
                .service(organisations::list::list)
                .service(organisations::get::get)
                .service(organisations::update::update)
                .service(contracts::create::create)
                .service(contracts::list::list)
                // staff
                .service(invitations::create::create)
                .service(invitations::accept::accept)
                .service(invitations::list::list)
                .service(invitations::revoke::revoke)
                .service(accounts::list::list)
                .service(accounts::get::get)
                .service(accounts::update::update)
                // people
                .service(people::create::create)
                .service(people::list::list)
                .service(people::caseload::caseload)
                .service(people::get::get)
                .service(people::update::update)
                .service(people::mentors::mentors)
                .service(people::assign_mentors::assign_mentors)
                .service(people::issue_device_code::issue_device_code)
                .service(people::list_device_codes::list_device_codes)
                .service(people::revoke_device_code::revoke_device_code)
                // consents
                .service(consents::list::list)
                .service(consents::record::record)
                .service(consents::withdraw::withdraw)
                // data rights: holds, erasure, exports
                .service(holds::list::list)
                .service(holds::place::place)
                .service(holds::lift::lift)
                .service(erasure::erase::erase)
                .service(exports::create::create)
                .service(exports::get::get)
                // the audit trail
                .service(audit_log::access_log::access_log)
                .service(audit_log::organisation::audit)
                .service(devices::redeem_device_code::redeem_device_code)
                .service(devices::person_login::person_login)
                // strengths profiles
                .service(profiles::get::get)
                .service(profiles::update::update)
                .service(profiles::history::history)
                // circles of support
                .service(circles::list::list)
                .service(circles::create::create)
                .service(circles::update::update)
                .service(circles::remove::remove)
                .service(circles::invite::invite)
                .service(circles::list_invitations::list_invitations)
                .service(circles::revoke_invitation::revoke_invitation)
                .service(circles::accept::accept)
                .service(circles::mine::mine)
                .service(circles::leave::leave)
                // goals and actions
                .service(goals::list::list)
                .service(goals::create::create)
                .service(goals::get::get)
                .service(goals::update::update)
                .service(goals::list_actions::list_actions)
                .service(goals::create_action::create_action)
                .service(goals::update_action::update_action)
                .service(goals::progress::progress)
                // outcome frameworks
                .service(frameworks::list::list)
                .service(frameworks::get::get)
                .service(frameworks::create::create)
                .service(outcome_codes::list::list)
                .service(outcome_codes::add::add)
                .service(outcome_codes::remove::remove)
                // dashboard and reports
                .service(dashboard::get::get)
                .service(kpis::list::list)
                .service(reports::commissioner::outcomes)
                .service(reports::provider::outcomes)
                // reviews and scales
                .service(scales::list::list)
                .service(reviews::list::list)
                .service(reviews::create::create)
                .service(reviews::get::get)
                .service(reviews::update::update)
                .service(reviews::overdue::overdue)
                // stories and photos
                .service(stories::list::list)
                .service(stories::create::create)
                .service(stories::get::get)
                .service(stories::update::update)
                .service(stories::delete::delete)
                .service(stories::accept::accept)
                .service(photos::upload::upload)
                .service(crate::social::uploads::create::create)
                .service(crate::social::uploads::status::status)
                .service(crate::social::uploads::append::append)
                .service(crate::social::uploads::cancel::cancel)
                .service(photos::get::get)
                .service(photos::delete::delete)
                // encouragement
                .service(encouragement::reactions::reactions)
                .service(encouragement::react::react)
                .service(encouragement::comments::comments)
                .service(encouragement::comment::comment)
                .service(encouragement::reactions::goal_reactions)
                .service(encouragement::react::goal_react)
                .service(encouragement::comments::goal_comments)
                .service(encouragement::comment::goal_comment)
                .service(encouragement::reactions::action_reactions)
                .service(encouragement::react::action_react)
                .service(encouragement::comments::action_comments)
                .service(encouragement::comment::action_comment)
                .service(encouragement::hide::hide)
                // the feed
                .service(feed::person::person)
                .service(feed::mine::mine)
                .service(crate::platform::sync::get::get)
                .service(feed::stream_person::stream_person)
                .service(feed::stream_mine::stream_mine)
                // notifications
                .service(notifications::register::register)
                .service(notifications::unregister::unregister)
                .service(notifications::get_settings::get_settings)
                .service(notifications::put_settings::put_settings)
                // safeguarding
                .service(concerns::raise::raise)
                .service(concerns::list::list)
                .service(concerns::update::update),
        );
}

/// The OpenAPI document of this route table.
pub fn spec() -> utoipa::openapi::OpenApi {
    crate::openapi::document(configure)
}

/// The committed form of [`spec`] (`openapi/openapi.json`).
pub fn spec_json() -> String {
    crate::openapi::to_json(&spec())
}

/// The web console's pages (`console`): HTML for people at desks, outside the API and its
/// OpenAPI document.
pub fn console(cfg: &mut actix_web::web::ServiceConfig) {
    use crate::console;
    cfg.route(
        "/console",
        actix_web::web::get().to(|| async { console::page::see_other("/console/") }),
    )
    .service(
        actix_web::web::scope("/console")
            .service(console::home::home)
            .service(console::assets::stylesheet)
            .service(console::sign_in::show)
            .service(console::sign_in::submit)
            .service(console::sign_out::sign_out)
            .service(console::language::language)
            .service(console::dashboard::dashboard)
            .service(console::people::people)
            .service(console::plan::plan)
            .service(console::photo::photo)
            .service(console::staff::staff)
            .service(console::audit::audit)
            .service(console::audit::audit_csv)
            .service(console::report::reports)
            .service(console::report::reports_csv)
            .service(console::kpis::kpis),
    );
}
