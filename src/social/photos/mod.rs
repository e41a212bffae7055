//! Photos of stories: uploaded through the API one request each, cleaned (see `images`),
//! stored in three sizes under keys made from ids, and read back only through an authorized
//! request that redirects to a short-lived signed URL (S3) or streams the bytes (local disk).

pub mod delete;
pub mod get;
pub mod model;
pub mod store;
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
        crate::platform::storage::sweep::photo_prefix(photo),
        size.as_str()
    )
}

/// Authorizes `action` on a photo's person and returns ((story author, story status), width,
/// height). As for stories: a photo of a story the caller may not see is 404 whatever the
/// action, and only then is the action checked (403).
pub async fn authorize_photo(
    conn: &mut diesel_async::AsyncPgConnection,
    user: &crate::auth::CurrentUser,
    photo: crate::ids::PhotoId,
    action: crate::auth::access::PersonAction,
) -> crate::error::ApiResult<(
    crate::auth::access::PersonAccess,
    ((Uuid, crate::social::stories::types::StoryStatus), i32, i32),
)> {
    use crate::auth::access::{self, PersonAction};
    use crate::auth::session::{PersonOf, facts};
    let (actor, facts) = facts(conn, user, PersonOf::Photo(photo)).await?;
    let seeing = access::person(actor.clone(), facts, PersonAction::ViewFeed)?;
    let found = model::find_visible(conn, &seeing, photo)
        .await?
        .ok_or_else(crate::error::ApiError::not_found)?;
    Ok((access::person(actor, facts, action)?, found))
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
