//! The web console for the people at desks: a support organisation's staff (dashboard,
//! people, plans, staff, audit trail) and commissioners (outcome reports, KPI definitions).
//! Server-rendered HTML (`maud`) with no script; charts are server-side SVG. Each page is
//! another client of the API's own functions, so it passes the same `Authorized` proofs and
//! audits the same reads; only the credential differs: a session cookie (`session`) with a
//! CSRF token on every form, instead of a bearer token.

pub mod assets;
pub mod audit;
pub mod charts;
pub mod dashboard;
pub mod home;
pub mod kpis;
pub mod language;
pub mod page;
pub mod people;
pub mod photo;
pub mod plan;
pub mod report;
pub mod session;
pub mod sign_in;
pub mod sign_out;
pub mod staff;
pub mod words;

use serde::de::DeserializeOwned;

use crate::error::{ApiError, ErrorCode};

/// A form or query string, strictly: an unknown or malformed field is a 400 page, and no
/// control character gets into a value (as `http::text` guards JSON).
pub fn parse<T: DeserializeOwned>(raw: &[u8]) -> Result<T, page::PageError> {
    let bad = |detail: &str| {
        page::PageError::Api(ApiError::new(ErrorCode::ValidationFailed).with_detail(detail))
    };
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_bytes(raw).map_err(|_| bad("the form could not be read"))?;
    if pairs
        .iter()
        .any(|(k, v)| k.chars().chain(v.chars()).any(char::is_control))
    {
        return Err(bad("a field holds a control character"));
    }
    serde_urlencoded::from_bytes(raw).map_err(|e| bad(&e.to_string()))
}
