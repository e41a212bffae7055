//! Newtype ids, so an organisation id can never be passed where an account id is expected.
//! Each binds and loads as a PostgreSQL `uuid`, so queries take and rows hold the typed id
//! (diesel's schema types the columns `Uuid`, so the column a typed id is compared with is not
//! checked: `owns`/`stamp` in `auth::access` write the person and organisation pair once).

use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Uuid as SqlUuid;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
            AsExpression, FromSqlRow,
        )]
        #[serde(transparent)]
        #[diesel(sql_type = SqlUuid)]
        pub struct $name(pub Uuid);

        impl ToSql<SqlUuid, Pg> for $name {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                <Uuid as ToSql<SqlUuid, Pg>>::to_sql(&self.0, out)
            }
        }

        impl FromSql<SqlUuid, Pg> for $name {
            fn from_sql(bytes: PgValue<'_>) -> deserialize::Result<Self> {
                <Uuid as FromSql<SqlUuid, Pg>>::from_sql(bytes).map(Self)
            }
        }

        impl $name {
            /// A new time-ordered (v7) id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id!(
    /// A provider organisation or a commissioning body.
    OrganisationId
);
id!(
    /// A sign-in account (staff, commissioner or platform administrator).
    AccountId
);
id!(
    /// One sign-in: the access tokens and refresh-token family it issued.
    SessionId
);
id!(InvitationId);
id!(
    /// A supported person.
    PersonId
);
id!(CircleMemberId);
id!(GoalId);
id!(ActionId);
id!(ReviewId);
id!(ContractId);
id!(
    /// An achievement story in words and photos.
    StoryId
);
id!(PhotoId);
id!(CommentId);
id!(ConsentId);
id!(ExportId);
