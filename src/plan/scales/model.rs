//! Scale rows and their queries.

use diesel::{
    ExpressionMethods, OptionalExtension, QueryDsl, Queryable, Selectable, SelectableHelper,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::db::schema::scales;

type QueryResult<T> = Result<T, diesel::result::Error>;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = scales, check_for_backend(diesel::pg::Pg))]
pub struct ScaleRow {
    pub id: Uuid,
    pub code: String,
    pub name_en: String,
    pub name_cy: Option<String>,
    pub min_value: f64,
    pub max_value: f64,
    pub step: f64,
    pub labels: serde_json::Value,
    pub is_default: bool,
    pub source_note: Option<String>,
}

impl ScaleRow {
    /// Whether `value` is on this scale: within range and on a step.
    pub fn admits(&self, value: f64) -> bool {
        if !value.is_finite() || value < self.min_value - 1e-9 || value > self.max_value + 1e-9 {
            return false;
        }
        let steps = (value - self.min_value) / self.step;
        (steps - steps.round()).abs() < 1e-6
    }
}

pub async fn all(conn: &mut AsyncPgConnection) -> QueryResult<Vec<ScaleRow>> {
    scales::table
        .order(scales::code.asc())
        .select(ScaleRow::as_select())
        .load(conn)
        .await
}

/// The scale with `code`, or the default scale when `code` is `None`.
pub async fn by_code_or_default(
    conn: &mut AsyncPgConnection,
    code: Option<&str>,
) -> QueryResult<Option<ScaleRow>> {
    let query = scales::table.select(ScaleRow::as_select()).into_boxed();
    let query = match code {
        Some(code) => query.filter(scales::code.eq(code.to_owned())),
        None => query.filter(scales::is_default.eq(true)),
    };
    query.first(conn).await.optional()
}

pub async fn by_ids(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<Vec<ScaleRow>> {
    scales::table
        .filter(scales::id.eq_any(ids))
        .select(ScaleRow::as_select())
        .load(conn)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_must_be_in_range_and_on_a_step() {
        let scale = ScaleRow {
            id: Uuid::nil(),
            code: "gas".into(),
            name_en: "GAS".into(),
            name_cy: None,
            min_value: -2.0,
            max_value: 2.0,
            step: 1.0,
            labels: serde_json::json!([]),
            is_default: false,
            source_note: None,
        };
        assert!(scale.admits(-2.0) && scale.admits(0.0) && scale.admits(2.0));
        assert!(!scale.admits(2.5) && !scale.admits(0.5) && !scale.admits(f64::NAN));
    }
}
