//! Photos of stories: uploaded through the API one request each, cleaned (see `images`),
//! stored in three sizes under keys made from ids, and read back only through an authorized
//! request that redirects to a short-lived signed URL (S3) or streams the bytes (local disk).

pub mod delete;
pub mod get;
pub mod model;
pub mod upload;

use serde::Deserialize;
use uuid::Uuid;

crate::text_enum! {
    /// The stored sizes: `original` at most 4096 px on its longest side, `display` 1600,
    /// `thumb` 400. All are re-encoded JPEGs without metadata.
    #[derive(Default)]
    pub enum Size {
        Thumb = "thumb",
        #[default]
        Display = "display",
        Original = "original",
    }
}

/// The object key of one size of a photo: ids only, never a client's file name.
pub fn key(photo: Uuid, size: Size) -> String {
    format!(
        "{}{}.jpg",
        crate::storage::sweep::photo_prefix(photo),
        size.as_str()
    )
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SizeQuery {
    /// `display` when absent.
    #[serde(default)]
    #[param(inline)]
    pub size: Size,
}
