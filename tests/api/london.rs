//! One calendar for Rust and SQL: `fields::london_date` (the IANA rules embedded by jiff) and
//! PostgreSQL's `AT TIME ZONE 'Europe/London'` (its own copy) must give the same local time for
//! every instant the service meets, or a goal set at 00:30 in July would count in one period in
//! a report (SQL) and another on the dashboard's "today" (Rust).

use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};
use diesel_async::RunQueryDsl;

use crate::support::TestApp;

#[derive(QueryableByName)]
struct Instant {
    #[diesel(sql_type = BigInt)]
    at: i64,
    #[diesel(sql_type = Text)]
    local: String,
}

#[actix_web::test]
async fn rust_and_postgresql_agree_on_london_time() {
    let app = TestApp::new().await;
    let mut conn = app.shared.state.conn().await.unwrap();
    // Every six hours from 1972 (after the all-year British Standard Time trial) to 2040, and every quarter hour of the two
    // days around each change of the clocks (the last Sundays of March and October).
    let rows: Vec<Instant> = diesel::sql_query(
        "WITH instants AS ( \
           SELECT generate_series('1972-01-01 00:00Z'::timestamptz, '2040-12-31 23:00Z', \
                                  interval '6 hours') AS t \
           UNION \
           SELECT generate_series(d - interval '1 day', d + interval '1 day', \
                                  interval '15 minutes') \
           FROM generate_series(1972, 2040) y, \
                LATERAL (VALUES (make_date(y, 3, 31)), (make_date(y, 10, 31))) m(last_day), \
                LATERAL (SELECT (m.last_day - extract(dow FROM m.last_day)::int)::timestamp \
                                AT TIME ZONE 'UTC' AS d) s) \
         SELECT extract(epoch FROM t)::bigint AS at, \
                to_char(t AT TIME ZONE 'Europe/London', 'YYYY-MM-DD HH24:MI') AS local \
         FROM instants",
    )
    .load(&mut conn)
    .await
    .unwrap();
    assert!(rows.len() > 110_000, "{} instants", rows.len());
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");
    let mut summer = 0;
    for row in &rows {
        let at = time::OffsetDateTime::from_unix_timestamp(row.at).unwrap();
        let offset = camau::fields::london_offset(at);
        summer += usize::from(!offset.is_utc());
        let local = at.to_offset(offset).format(&format).unwrap();
        assert_eq!(local, row.local, "at {at}");
        assert_eq!(
            camau::fields::london_date(at).to_string(),
            row.local[..10],
            "at {at}"
        );
    }
    // Both halves of the year met, so neither rule can pass by always answering UTC.
    assert!(
        summer > rows.len() / 3 && summer < rows.len() * 2 / 3,
        "{summer}"
    );
}
