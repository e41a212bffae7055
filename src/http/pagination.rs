//! Cursor pagination for every list: ids are UUIDv7 and so ordered by creation; the cursor is
//! the last id seen, opaque to clients.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use diesel::query_dsl::methods::{FilterDsl, LimitDsl, OrderDsl};
use diesel::{Expression, ExpressionMethods, dsl};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult, ErrorCode};

pub const DEFAULT_LIMIT: i64 = 20;
pub const MAX_LIMIT: i64 = 100;

#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Items per page, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// A validated page request.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub limit: i64,
    pub after: Option<Uuid>,
}

impl PageQuery {
    pub fn page(&self) -> ApiResult<Page> {
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::new(ErrorCode::InvalidQueryParameter)
                .with_detail(format!("limit must be between 1 and {MAX_LIMIT}")));
        }
        let after = match &self.cursor {
            None => None,
            Some(c) => Some(decode_cursor(c).ok_or_else(|| {
                ApiError::new(ErrorCode::InvalidQueryParameter).with_detail("cursor is not valid")
            })?),
        };
        Ok(Page { limit, after })
    }
}

impl Page {
    /// Query one more row than asked, so we know whether a next page exists.
    pub fn fetch_limit(&self) -> i64 {
        self.limit + 1
    }

    /// Trims the extra row and returns the cursor for the next page.
    pub fn finish<T>(&self, mut rows: Vec<T>, id: impl Fn(&T) -> Uuid) -> (Vec<T>, Option<String>) {
        let more = rows.len() as i64 > self.limit;
        rows.truncate(self.limit as usize);
        let next = if more {
            rows.last().map(|r| encode_cursor(id(r)))
        } else {
            None
        };
        (rows, next)
    }
}

/// The keyset page of a diesel query, in one place: ordered by its UUIDv7 id, past the cursor,
/// one row more than asked (see [`Page::finish`]). For any query that can be filtered, ordered
/// and limited (a boxed select is).
pub trait Keyset<Id>: Sized {
    /// Oldest first: the rows after the cursor.
    fn oldest_first(self, page: Page, id: Id) -> Self;
    /// Newest first: the rows before the cursor.
    fn newest_first(self, page: Page, id: Id) -> Self;
}

impl<Q, Id> Keyset<Id> for Q
where
    Id: Expression<SqlType = diesel::sql_types::Uuid> + Copy,
    Q: FilterDsl<dsl::Gt<Id, Uuid>, Output = Q>
        + FilterDsl<dsl::Lt<Id, Uuid>, Output = Q>
        + OrderDsl<dsl::Asc<Id>, Output = Q>
        + OrderDsl<dsl::Desc<Id>, Output = Q>
        + LimitDsl<Output = Q>,
{
    fn oldest_first(self, page: Page, id: Id) -> Self {
        let query = OrderDsl::order(self, id.asc()).limit(page.fetch_limit());
        match page.after {
            Some(after) => FilterDsl::filter(query, id.gt(after)),
            None => query,
        }
    }

    fn newest_first(self, page: Page, id: Id) -> Self {
        let query = OrderDsl::order(self, id.desc()).limit(page.fetch_limit());
        match page.after {
            Some(before) => FilterDsl::filter(query, id.lt(before)),
            None => query,
        }
    }
}

fn encode_cursor(id: Uuid) -> String {
    URL_SAFE_NO_PAD.encode(id.as_bytes())
}

fn decode_cursor(cursor: &str) -> Option<Uuid> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    Uuid::from_slice(&bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let id = Uuid::now_v7();
        assert_eq!(decode_cursor(&encode_cursor(id)), Some(id));
        assert_eq!(decode_cursor("not a cursor"), None);
        let q = PageQuery {
            limit: Some(0),
            cursor: None,
        };
        assert!(q.page().is_err());
    }

    #[test]
    fn finish_reports_a_next_page_only_when_there_is_one() {
        let page = Page {
            limit: 2,
            after: None,
        };
        let ids: Vec<Uuid> = (0..3).map(|_| Uuid::now_v7()).collect();
        let (rows, next) = page.finish(ids.clone(), |u| *u);
        assert_eq!(rows.len(), 2);
        assert_eq!(next, Some(encode_cursor(ids[1])));
        let (rows, next) = page.finish(ids[..2].to_vec(), |u| *u);
        assert_eq!(rows.len(), 2);
        assert_eq!(next, None);
    }
}
