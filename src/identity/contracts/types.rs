//! Request and response bodies for contracts.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::identity::contracts::model::ContractRow;

use crate::fields::iso_date;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "provider_id": "019cade2-4a17-7269-bef2-a74de452e6b4",
    "starts_on": "2026-04-01",
    "ends_on": "2027-03-31"
}))]
pub struct CreateContract {
    pub provider_id: Uuid,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date, example = "2026-04-01")]
    pub starts_on: Date,
    #[serde(default, with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date, example = "2027-03-31")]
    pub ends_on: Option<Date>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Contract {
    pub id: Uuid,
    pub commissioning_body_id: Uuid,
    pub provider_id: Uuid,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub starts_on: Date,
    #[serde(with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub ends_on: Option<Date>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl From<ContractRow> for Contract {
    fn from(row: ContractRow) -> Self {
        Contract {
            id: row.id,
            commissioning_body_id: row.commissioning_body_id,
            provider_id: row.provider_id,
            starts_on: row.starts_on,
            ends_on: row.ends_on,
            created_at: row.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContractList {
    pub items: Vec<Contract>,
    pub next_cursor: Option<String>,
}
