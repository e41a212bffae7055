//! Camau: the backend of a person-centred planning and outcomes app for social care.
//! See docs/ARCHITECTURE.md for the shape of the code.

pub mod accounts;
pub mod activity;
pub mod app;
pub mod audit;
pub mod auth;
pub mod bootstrap;
pub mod circles;
pub mod config;
pub mod contracts;
pub mod db;
pub mod encouragement;
pub mod error;
pub mod feed;
pub mod fields;
pub mod goals;
pub mod health;
pub mod housekeeping;
pub mod http;
pub mod ids;
pub mod images;
pub mod invitations;
pub mod mail;
pub mod openapi;
pub mod organisations;
pub mod people;
pub mod photos;
pub mod profiles;
pub mod reviews;
pub mod routes;
pub mod scales;
pub mod sessions;
pub mod state;
pub mod storage;
pub mod stories;
pub mod telemetry;
