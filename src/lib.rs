//! Camau: the backend of a person-centred planning and outcomes app for social care.
//! See docs/ARCHITECTURE.md for the shape of the code.

pub mod app;
pub mod auth;
pub mod config;
pub mod console;
pub mod db;
pub mod error;
pub mod fields;
pub mod http;
pub mod identity;
pub mod ids;
pub mod openapi;
pub mod outcomes;
pub mod plan;
pub mod platform;
pub mod routes;
pub mod social;
pub mod state;
pub mod trust;
