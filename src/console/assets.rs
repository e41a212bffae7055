//! The console's one stylesheet, compiled in: nothing to deploy beside the binary.

use actix_web::http::header;
use actix_web::{HttpResponse, get};

const CSS: &str = include_str!("console.css");

#[get("/assets/console.css")]
pub async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/css; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(CSS)
}
