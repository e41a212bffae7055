//! Newtype ids, so an organisation id can never be passed where an account id is expected.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

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
