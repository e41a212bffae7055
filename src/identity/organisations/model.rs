//! Organisation rows and their queries.

use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, Selectable, SelectableHelper};
use diesel::{Insertable, Queryable};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::Authorized;
use crate::auth::roles::OrganisationKind;
use crate::db::schema::organisations;
use crate::http::pagination::{Keyset, Page};
use crate::ids::OrganisationId;

type QueryResult<T> = Result<T, diesel::result::Error>;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = organisations, check_for_backend(diesel::pg::Pg))]
pub struct OrganisationRow {
    pub id: Uuid,
    pub name: String,
    pub kind: crate::auth::roles::OrganisationKind,
    pub created_at: OffsetDateTime,
    pub default_framework_id: Option<Uuid>,
    pub report_threshold: Option<i32>,
    pub retention_months: Option<i32>,
    pub retention_previous_months: Option<i32>,
    /// When `retention_months` takes over from `retention_previous_months` (a shortening
    /// waits out [`RETENTION_GRACE`]); `None`: in force.
    pub retention_effective_at: Option<OffsetDateTime>,
}

/// How long a shorter retention period waits before anyone is erased by it: time to see who
/// would go (the change's answer lists them), to put holds in place, or to change it back.
pub const RETENTION_GRACE: time::Duration = time::Duration::days(30);

impl OrganisationRow {
    pub fn kind(&self) -> OrganisationKind {
        self.kind
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = organisations)]
pub struct NewOrganisation<'a> {
    pub id: Uuid,
    pub name: &'a str,
    pub kind: crate::auth::roles::OrganisationKind,
}

pub async fn insert(
    conn: &mut AsyncPgConnection,
    new: NewOrganisation<'_>,
) -> QueryResult<OrganisationRow> {
    diesel::insert_into(organisations::table)
        .values(&new)
        .returning(OrganisationRow::as_returning())
        .get_result(conn)
        .await
}

/// The caller's own organisation (from its live session).
pub async fn own(
    conn: &mut AsyncPgConnection,
    id: OrganisationId,
) -> QueryResult<Option<OrganisationRow>> {
    organisations::table
        .find(id.0)
        .select(OrganisationRow::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn find(
    conn: &mut AsyncPgConnection,
    org: &Authorized<OrganisationId>,
) -> QueryResult<Option<OrganisationRow>> {
    own(conn, org.id()).await
}

/// Every organisation: for the platform operator only.
pub async fn list(
    conn: &mut AsyncPgConnection,
    _platform: &Authorized<()>,
    page: Page,
) -> QueryResult<Vec<OrganisationRow>> {
    let mut query = organisations::table
        .select(OrganisationRow::as_select())
        .into_boxed();
    query = query.oldest_first(page, organisations::id);
    query.load(conn).await
}

/// The framework the organisation reports against unless told otherwise: the one it picked,
/// else the National Outcomes Framework for Wales.
pub async fn default_framework(conn: &mut AsyncPgConnection, org: Uuid) -> QueryResult<Uuid> {
    let picked: Option<Option<Uuid>> = organisations::table
        .filter(organisations::id.eq(org))
        .select(organisations::default_framework_id)
        .first(conn)
        .await
        .optional()?;
    Ok(picked
        .flatten()
        .unwrap_or(crate::outcomes::frameworks::NOF_WALES))
}

pub async fn name(
    conn: &mut AsyncPgConnection,
    org: &Authorized<OrganisationId>,
) -> QueryResult<String> {
    organisations::table
        .filter(organisations::id.eq(org.id()))
        .select(organisations::name)
        .first(conn)
        .await
}

/// The smallest count the organisation's reports show, when it set one.
pub async fn report_threshold(
    conn: &mut AsyncPgConnection,
    org: &Authorized<OrganisationId>,
) -> QueryResult<Option<i64>> {
    let t: Option<i32> = organisations::table
        .filter(organisations::id.eq(org.id()))
        .select(organisations::report_threshold)
        .first(conn)
        .await?;
    Ok(t.map(i64::from))
}

pub async fn update_settings(
    conn: &mut AsyncPgConnection,
    org: &Authorized<OrganisationId>,
    framework: Option<Uuid>,
    threshold: Option<Option<i32>>,
    retention: Option<Option<i32>>,
) -> QueryResult<OrganisationRow> {
    // A retention period that would erase sooner than the one in force now (a shorter one, or
    // one where there was none) waits out the grace period, the one in force meanwhile; a
    // longer one, or none, keeps people longer and applies at once.
    let retention = match retention {
        None => None,
        Some(new) => {
            let current: (Option<i32>, Option<i32>, Option<OffsetDateTime>) = organisations::table
                .find(org.id().0)
                .select((
                    organisations::retention_months,
                    organisations::retention_previous_months,
                    organisations::retention_effective_at,
                ))
                .for_update()
                .first(conn)
                .await?;
            let now = OffsetDateTime::now_utc();
            let in_force = match current {
                (_, previous, Some(at)) if at > now => previous,
                (months, _, _) => months,
            };
            let sooner = match (new, in_force) {
                (Some(n), Some(f)) => n < f,
                (Some(_), None) => true,
                (None, _) => false,
            };
            Some(if new == current.0 {
                // The same again (a retry): its grace period is not started afresh.
                (new, current.1, current.2)
            } else if sooner {
                (new, in_force, Some(now + RETENTION_GRACE))
            } else {
                (new, None, None)
            })
        }
    };
    diesel::update(organisations::table.filter(organisations::id.eq(org.id())))
        .set((
            framework.map(|f| organisations::default_framework_id.eq(f)),
            threshold.map(|t| organisations::report_threshold.eq(t)),
            retention.map(|(r, _, _)| organisations::retention_months.eq(r)),
            retention.map(|(_, p, _)| organisations::retention_previous_months.eq(p)),
            retention.map(|(_, _, at)| organisations::retention_effective_at.eq(at)),
        ))
        .returning(OrganisationRow::as_returning())
        .get_result(conn)
        .await
}
