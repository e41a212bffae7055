//! The integration-test binary: every test drives the real application in-process against its
//! own PostgreSQL database. Run through `scripts/test` (it provides the database server).

mod access;
mod audit;
mod bootstrap;
mod concerns;
mod consents;
mod errors;
mod feed;
mod frameworks;
mod health;
mod housekeeping;
mod idempotency;
mod input;
mod invitations;
mod journey;
mod live;
mod mail;
mod me;
mod notifications;
mod openapi;
mod organisations;
mod people;
mod photos;
mod plans;
mod quotas;
mod reports;
mod rights;
mod schema;
mod sessions;
mod staff;
mod stories;
mod structure;
mod support;
mod sync;
mod throttle;
mod tokens;
