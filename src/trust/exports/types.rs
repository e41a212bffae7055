//! What the export endpoints send.

use serde::Serialize;
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::trust::exports::model::ExportRow;

crate::text_enum! {
    pub enum ExportStatus {
        Pending = "pending",
        Ready = "ready",
        Failed = "failed",
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Export {
    pub id: Uuid,
    pub person_id: Uuid,
    pub status: ExportStatus,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub ready_at: Option<OffsetDateTime>,
    /// When the file is removed.
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    pub size_bytes: Option<i64>,
    /// Where to fetch the ZIP once ready: this resource with `Accept: application/zip`.
    pub download: Option<String>,
}

impl From<ExportRow> for Export {
    fn from(r: ExportRow) -> Self {
        Export {
            id: r.id,
            person_id: r.person_id,
            status: r.status,
            created_at: r.created_at,
            ready_at: r.ready_at,
            expires_at: r.expires_at,
            size_bytes: r.size_bytes,
            download: (r.status == ExportStatus::Ready).then(|| format!("/v1/exports/{}", r.id)),
        }
    }
}
